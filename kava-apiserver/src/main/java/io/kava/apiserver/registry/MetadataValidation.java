package io.kava.apiserver.registry;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.ObjectMetaValidation;
import io.kava.apiserver.patch.PatchMeta;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Generic metadata validation, run after the kind's own so that kind-specific messages come first. */
final class MetadataValidation {
  private MetadataValidation() {}

  static List<FieldError> validate(ResourceDefinition def, JsonNode metadata) {
    if (servedByApiExtensions(def)) return ObjectMetaValidation.validateGeneric(metadata, def.namespaced(), def.strategy().nameRule());
    return ObjectMetaValidation.validate(metadata, def.namespaced(), def.strategy().nameRule());
  }

  static List<FieldError> validateUpdate(ResourceDefinition def, JsonNode metadata, JsonNode oldMetadata) {
    if (servedByApiExtensions(def)) return ObjectMetaValidation.validateUpdateGeneric(metadata, oldMetadata);
    return ObjectMetaValidation.validateUpdate(metadata, oldMetadata);
  }

  /**
   * CRDs and custom resources (kinds that are not built in) are served by apiextensions-apiserver upstream, which
   * applies apimachinery's generic ObjectMeta rules: any qualified finalizer name (e.g. the CRD cleanup finalizer
   * customresourcecleanup.apiextensions.k8s.io), not only the standard ones and domain/name.
   */
  private static boolean servedByApiExtensions(ResourceDefinition def) {
    return def.group().equals("apiextensions.k8s.io") || !PatchMeta.supports(def.apiVersion(), def.kind());
  }
}
