package io.kava.apiserver.openapi;

import io.kava.apiserver.registry.BuiltinResources;
import io.kava.apiserver.registry.ResourceRegistry;

/** One registry of the built-in kinds and its OpenAPI service, shared by the tests (generating the models takes a second). */
final class Fixture {
  private Fixture() {}

  static final ResourceRegistry REGISTRY = new ResourceRegistry();
  static final OpenApiEndpoints ENDPOINTS;

  static {
    BuiltinResources.registerAll(REGISTRY);
    ENDPOINTS = new OpenApiEndpoints(REGISTRY);
  }
}
