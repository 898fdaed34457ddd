package io.kava.apiserver.registry;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.ObjectMetaValidation;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Generic metadata validation, run after the kind's own so that kind-specific messages come first. */
final class MetadataValidation {
  private MetadataValidation() {}

  static List<FieldError> validate(ResourceDefinition def, JsonNode metadata) {
    return ObjectMetaValidation.validate(metadata, def.namespaced(), def.strategy().nameRule());
  }

  static List<FieldError> validateUpdate(ResourceDefinition def, JsonNode metadata, JsonNode oldMetadata) {
    return ObjectMetaValidation.validateUpdate(metadata, oldMetadata);
  }
}
