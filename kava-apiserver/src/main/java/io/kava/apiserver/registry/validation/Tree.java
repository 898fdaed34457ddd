package io.kava.apiserver.registry.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Read helpers over Kubernetes JSON trees, with Go's view of absent fields: a missing field and a JSON null are the
 * same thing (a nil pointer or a zero value), so every accessor treats them alike.
 */
public final class Tree {
  private Tree() {}

  /** The field's value, or null when the field is absent, JSON null, or {@code node} is not an object. */
  public static JsonNode get(JsonNode node, String field) {
    if (node == null || !node.isObject()) return null;
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  /** {@code get(get(get(node, a), b), c)...}. */
  public static JsonNode at(JsonNode node, String... fields) {
    JsonNode n = node;
    for (String f : fields) {
      n = get(n, f);
      if (n == null) return null;
    }
    return n;
  }

  public static boolean has(JsonNode node, String field) { return get(node, field) != null; }

  /** A scalar field as text; "" when absent (Go's zero string). */
  public static String str(JsonNode node, String field) {
    JsonNode v = get(node, field);
    if (v == null || v.isContainer()) return "";
    return v.asString();
  }

  /** A scalar field as text, or null when absent. */
  public static String strOrNull(JsonNode node, String field) {
    JsonNode v = get(node, field);
    if (v == null || v.isContainer()) return null;
    return v.asString();
  }

  /** An integer field, or null when absent or not a number. */
  public static Long num(JsonNode node, String field) {
    JsonNode v = get(node, field);
    if (v == null || !v.isNumber()) return null;
    return v.asLong();
  }

  public static long num(JsonNode node, String field, long dflt) {
    Long v = num(node, field);
    return v == null ? dflt : v;
  }

  /** A boolean field; null when absent. */
  public static Boolean bool(JsonNode node, String field) {
    JsonNode v = get(node, field);
    if (v == null || !v.isBoolean()) return null;
    return v.booleanValue();
  }

  public static boolean isTrue(JsonNode node, String field) { return Boolean.TRUE.equals(bool(node, field)); }

  /** The elements of an array field; empty when absent. */
  public static List<JsonNode> list(JsonNode node, String field) {
    JsonNode v = get(node, field);
    if (v == null || !v.isArray()) return List.of();
    List<JsonNode> out = new ArrayList<>(v.size());
    for (JsonNode e : v) out.add(e);
    return out;
  }

  /** The strings of a string-array field (non-string elements are rendered as text). */
  public static List<String> strings(JsonNode node, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : list(node, field)) out.add(e.isNull() ? "" : e.asString());
    return out;
  }

  /** A string map (labels, selectors, data), in document order; null when absent. */
  public static Map<String, String> strMap(JsonNode node, String field) {
    JsonNode v = get(node, field);
    if (v == null || !v.isObject()) return null;
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString());
    return m;
  }

  /** Same as {@link #strMap} but sorted by key (Go iterates maps in no fixed order; messages are easier sorted). */
  public static Map<String, String> sortedStrMap(JsonNode node, String field) {
    Map<String, String> m = strMap(node, field);
    return m == null ? null : new TreeMap<>(m);
  }

  public static int size(JsonNode node, String field) {
    JsonNode v = get(node, field);
    return v == null || !v.isContainer() ? 0 : v.size();
  }

  /**
   * True when {@code v} is Go's zero value for its field: absent, null, "", 0, false, or an empty array/object. Used
   * for semantic comparisons where the JSON form cannot tell a zero value from an omitted one.
   */
  public static boolean isZero(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) return true;
    if (v.isString()) return v.stringValue().isEmpty();
    if (v.isNumber()) return v.asDouble() == 0.0;
    if (v.isBoolean()) return !v.booleanValue();
    if (v.isContainer()) return v.isEmpty();
    return false;
  }

  /**
   * A copy without zero-valued fields (recursively), so that two objects that Go would decode to equal structs
   * compare equal (apiequality.Semantic.DeepEqual with nil and empty treated alike). Array elements are kept in
   * place but normalized themselves.
   */
  public static JsonNode normalize(JsonNode v) {
    if (v == null) return null;
    if (v.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        JsonNode n = normalize(e.getValue());
        if (!isZero(n)) out.set(e.getKey(), n);
      }
      return out;
    }
    if (v.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode e : v) out.add(normalize(e));
      return out;
    }
    // IntNode(5), LongNode(5) and DoubleNode(5.0) are different nodes but the same Go number
    if (v.isIntegralNumber() && v.canConvertToLong()) return JsonNodeFactory.instance.numberNode(v.asLong());
    if (v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 1e15) {
      return JsonNodeFactory.instance.numberNode(v.asLong());
    }
    return v;
  }

  /** Go's semantic equality of two decoded values, as far as the JSON form can tell. */
  public static boolean semanticEquals(JsonNode a, JsonNode b) {
    JsonNode na = normalize(a);
    JsonNode nb = normalize(b);
    boolean za = isZero(na);
    boolean zb = isZero(nb);
    if (za || zb) return za && zb;
    return na.equals(nb);
  }
}
