package io.kava.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One validation failure on one field, rendered the way upstream's field.Error renders it, e.g.
 * {@code spec.containers[0].name: Required value} or
 * {@code metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must consist of ...}.
 *
 * @param field    the field path ({@code spec.containers[0].image})
 * @param badValue the offending value (String, Number, Boolean, List or null); omitted from the message for
 *                 types that do not show it (Required, Forbidden, TooMany, Internal)
 * @param detail   extra human text, may be empty
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

  /** Upstream's ErrorType: its wire reason (StatusCause.reason) and its message text. */
  public enum Type {
    NOT_FOUND("FieldValueNotFound", "Not found"),
    REQUIRED("FieldValueRequired", "Required value"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value"),
    INVALID("FieldValueInvalid", "Invalid value"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    TOO_LONG("FieldValueTooLong", "Too long"),
    TOO_MANY("FieldValueTooMany", "Too many"),
    INTERNAL("InternalError", "Internal error"),
    TYPE_INVALID("FieldValueTypeInvalid", "Invalid value");

    public final String reason;
    public final String text;

    Type(String reason, String text) {
      this.reason = reason;
      this.text = text;
    }
  }

  public static FieldError required(String field, String detail) { return new FieldError(Type.REQUIRED, field, null, detail); }

  public static FieldError invalid(String field, Object value, String detail) { return new FieldError(Type.INVALID, field, value, detail); }

  public static FieldError forbidden(String field, String detail) { return new FieldError(Type.FORBIDDEN, field, null, detail); }

  public static FieldError duplicate(String field, Object value) { return new FieldError(Type.DUPLICATE, field, value, ""); }

  public static FieldError notFound(String field, Object value) { return new FieldError(Type.NOT_FOUND, field, value, ""); }

  public static FieldError tooLong(String field, Object value, int max) {
    return new FieldError(Type.TOO_LONG, field, value, "may not be more than " + max + " bytes");
  }

  public static FieldError notSupported(String field, Object value, List<String> valid) {
    String detail = valid.isEmpty() ? "" : "supported values: " + valid.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
    return new FieldError(Type.NOT_SUPPORTED, field, value, detail);
  }

  /** The message without the field path: {@code Invalid value: "x": detail}. */
  public String errorBody() {
    StringBuilder s = new StringBuilder(type.text);
    boolean showValue = switch (type) {
      case REQUIRED, FORBIDDEN, TOO_MANY, INTERNAL -> false;
      case TOO_LONG -> badValue != null;
      default -> true;
    };
    if (showValue) s.append(": ").append(render(badValue));
    if (detail != null && !detail.isEmpty()) s.append(": ").append(detail);
    return s.toString();
  }

  /** {@code field: body}, upstream's Error(). */
  public String message() { return field + ": " + errorBody(); }

  @Override
  public String toString() { return message(); }

  private static String render(Object v) {
    if (v == null) return "null";
    if (v instanceof String s) return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    if (v instanceof List<?> l) return "[]" + l.stream().map(FieldError::render).collect(Collectors.joining(",", "{", "}"));
    return String.valueOf(v);
  }
}
