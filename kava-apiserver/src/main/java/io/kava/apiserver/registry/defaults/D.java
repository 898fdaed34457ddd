package io.kava.apiserver.registry.defaults;

import io.kava.api.quantity.Quantity;
import io.kava.apiserver.registry.validation.JsonQuantity;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tree edits for defaulting, with Go's notion of "unset": a missing field or JSON null is a nil pointer; for
 * non-pointer fields the zero value ("" or 0) is also unset. Each helper names which one it tests.
 */
final class D {
  private D() {}

  static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The object at {@code field}, or null when absent or not an object. */
  static ObjectNode obj(JsonNode parent, String field) {
    if (!(parent instanceof ObjectNode o)) return null;
    JsonNode v = o.get(field);
    return v instanceof ObjectNode on ? on : null;
  }

  /** The object at {@code field}, created (replacing null) when absent. */
  static ObjectNode objOrCreate(ObjectNode parent, String field) {
    JsonNode v = parent.get(field);
    if (v instanceof ObjectNode on) return on;
    return parent.putObject(field);
  }

  /** The object elements of the array at {@code field}; empty when absent. */
  static List<ObjectNode> objs(JsonNode parent, String field) {
    List<ObjectNode> out = new ArrayList<>();
    if (!(parent instanceof ObjectNode o)) return out;
    JsonNode v = o.get(field);
    if (v instanceof ArrayNode a) for (JsonNode e : a) if (e instanceof ObjectNode on) out.add(on);
    return out;
  }

  /** A nil pointer: absent or JSON null. */
  static boolean isNil(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    return v == null || v.isNull();
  }

  /** A non-pointer string left at its zero value: absent, null or "". */
  static boolean isEmptyString(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    return v == null || v.isNull() || (v.isString() && v.stringValue().isEmpty());
  }

  /** A non-pointer number left at its zero value: absent, null or 0. */
  static boolean isZeroNumber(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    return v == null || v.isNull() || (v.isNumber() && v.asDouble() == 0.0);
  }

  static String str(JsonNode parent, String field) {
    JsonNode v = parent == null ? null : parent.get(field);
    return v == null || v.isNull() || v.isContainer() ? "" : v.asString();
  }

  static void stringIfEmpty(ObjectNode o, String field, String value) {
    if (isEmptyString(o, field)) o.put(field, value);
  }

  static void stringIfNil(ObjectNode o, String field, String value) {
    if (isNil(o, field)) o.put(field, value);
  }

  static void numberIfZero(ObjectNode o, String field, long value) {
    if (isZeroNumber(o, field)) putNumber(o, field, value);
  }

  static void numberIfNil(ObjectNode o, String field, long value) {
    if (isNil(o, field)) putNumber(o, field, value);
  }

  /**
   * Writes a number as the JSON parser would read it back (an int node when it fits), so that a defaulted tree
   * equals the tree parsed from its own bytes.
   */
  static void putNumber(ObjectNode o, String field, long value) {
    if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) o.put(field, (int) value);
    else o.put(field, value);
  }

  static void boolIfNil(ObjectNode o, String field, boolean value) {
    if (isNil(o, field)) o.put(field, value);
  }

  static void objectIfNil(ObjectNode o, String field) {
    if (isNil(o, field)) o.putObject(field);
  }

  /**
   * SetDefaults_ResourceList plus the canonical text a Quantity serializes to: every value of the resource list at
   * {@code field} is rounded up to milli precision and rewritten canonically ("0.5" → "500m", "1024Mi" → "1Gi").
   * Values that do not parse are left alone for validation to report.
   */
  static void resourceList(JsonNode parent, String field) {
    ObjectNode list = obj(parent, field);
    if (list == null) return;
    List<String> keys = new ArrayList<>(list.propertyNames());
    for (String k : keys) {
      Quantity q = JsonQuantity.parseOrNull(list.get(k));
      if (q != null) list.put(k, q.roundUp(-3).toString());
    }
  }

  /** A single Quantity field rewritten canonically (no milli rounding). */
  static void quantity(JsonNode parent, String field) {
    if (!(parent instanceof ObjectNode o)) return;
    Quantity q = JsonQuantity.parseOrNull(o.get(field));
    if (q != null) o.put(field, q.toString());
  }
}
