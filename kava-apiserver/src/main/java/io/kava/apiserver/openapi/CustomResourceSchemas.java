package io.kava.apiserver.openapi;

import tools.jackson.databind.JsonNode;

/**
 * Where the schemas of custom resources come from (their CRDs; see {@code registry.crd.CrdRegistrar}). A kind without
 * a built-in model is published with the schema given here, or with a permissive one when there is none.
 */
@FunctionalInterface
public interface CustomResourceSchemas {
  /**
   * The schema of a custom resource kind in published form (v2-compatible, no {@code $ref}), without
   * {@code apiVersion}, {@code kind} and {@code metadata}, which are added as for every kind; null when unknown.
   * Must not change while the registry does not: the documents are rebuilt only when the registry changes.
   */
  JsonNode schema(String group, String version, String kind);
}
