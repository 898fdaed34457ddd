package io.kava.apiserver.registry;

import io.kava.api.validation.FieldError;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Kind-specific validation with upstream's field paths and messages. Pure: never mutates. Generic metadata
 * validation (name format, labels, annotations) is done by the framework after this one, so kind messages come first.
 */
public interface Validator {
  List<FieldError> validate(JsonNode object);

  /** Update validation: usually {@link #validate} plus immutable-field checks against {@code old}. */
  default List<FieldError> validateUpdate(JsonNode object, JsonNode old) { return validate(object); }

  Validator NONE = o -> List.of();
}
