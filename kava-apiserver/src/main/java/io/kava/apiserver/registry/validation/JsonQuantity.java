package io.kava.apiserver.registry.validation;

import io.kava.api.quantity.Quantity;
import tools.jackson.databind.JsonNode;

/** Quantities as they appear in request bodies: a JSON string (trimmed, as upstream's UnmarshalJSON does) or number. */
public final class JsonQuantity {
  private JsonQuantity() {}

  /** The quantity a JSON value holds; null when absent or not a quantity. */
  public static Quantity parseOrNull(JsonNode v) {
    if (v == null || v.isNull() || v.isContainer()) return null;
    try {
      return Quantity.parse(text(v));
    } catch (IllegalArgumentException | ArithmeticException e) {
      return null;
    }
  }

  /** Upstream's parse error for a JSON value, or null when it parses (or is absent). */
  public static String parseError(JsonNode v) {
    if (v == null || v.isNull()) return null;
    if (v.isContainer()) return Quantity.ERR_FORMAT_WRONG;
    try {
      Quantity.parse(text(v));
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String text(JsonNode v) { return v.isNumber() ? v.numberValue().toString() : v.asString().trim(); }
}
