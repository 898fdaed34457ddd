package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import java.util.Arrays;
import java.util.List;

/** upstream's field.Required/Invalid/... taking a {@link FieldPath}, plus the shared message constants. */
final class Errs {
  private Errs() {}

  static final String IS_NEGATIVE = "must be greater than or equal to 0";
  static final String NOT_POSITIVE = "must be greater than zero";
  static final String IMMUTABLE = "field is immutable";
  static final String NOT_INTEGER = "must be an integer";
  static final String FILE_MODE = "must be a number between 0 and 0777 (octal), both inclusive";

  static FieldError required(FieldPath p, String detail) { return FieldError.required(p.toString(), detail); }

  static FieldError invalid(FieldPath p, Object value, String detail) { return FieldError.invalid(p.toString(), value, detail); }

  static FieldError forbidden(FieldPath p, String detail) { return FieldError.forbidden(p.toString(), detail); }

  static FieldError duplicate(FieldPath p, Object value) { return FieldError.duplicate(p.toString(), value); }

  static FieldError notFound(FieldPath p, Object value) { return FieldError.notFound(p.toString(), value); }

  static FieldError notFound(FieldPath p, Object value, String detail) {
    return new FieldError(FieldError.Type.NOT_FOUND, p.toString(), value, detail);
  }

  static FieldError notSupported(FieldPath p, Object value, String... supported) {
    return FieldError.notSupported(p.toString(), value, Arrays.asList(supported));
  }

  static FieldError notSupported(FieldPath p, Object value, List<String> supported) {
    return FieldError.notSupported(p.toString(), value, supported);
  }

  /** TooLong never prints the value (upstream's ErrorBody omits it for this type). */
  static FieldError tooLong(FieldPath p, int max) {
    return new FieldError(FieldError.Type.TOO_LONG, p.toString(), null, "may not be more than " + max + " bytes");
  }

  static FieldError tooMany(FieldPath p, int actual, int max) {
    return new FieldError(FieldError.Type.TOO_MANY, p.toString(), actual, "must have at most " + max + " items");
  }

  static FieldError internal(FieldPath p, String detail) {
    return new FieldError(FieldError.Type.INTERNAL, p.toString(), null, detail);
  }

  /** ValidateNonnegativeField. */
  static void nonNegative(List<FieldError> errs, long value, FieldPath p) {
    if (value < 0) errs.add(invalid(p, value, IS_NEGATIVE));
  }

  /** ValidateImmutableField with a value already rendered for the message. */
  static FieldError immutable(FieldPath p, Object value) { return invalid(p, value, IMMUTABLE); }
}
