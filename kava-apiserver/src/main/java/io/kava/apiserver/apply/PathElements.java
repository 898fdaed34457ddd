package io.kava.apiserver.apply;

import io.kava.api.json.Json;
import io.kava.apiserver.registry.validation.GoValue;
import io.kava.apiserver.wire.GoJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Path elements in their FieldsV1 spelling, as upstream encodes them in {@code metadata.managedFields}:
 * <ul>
 *   <li>{@code f:<name>}: a field of an object (struct field or map key);</li>
 *   <li>{@code k:<json object>}: an item of an associative list, by its key fields (sorted by name), e.g.
 *       {@code k:{"containerPort":80,"protocol":"TCP"}};</li>
 *   <li>{@code v:<json value>}: an item of a set, by value, e.g. {@code v:"example.com/finalizer"};</li>
 *   <li>{@code i:<index>}: a list item by position (only when nothing better exists).</li>
 * </ul>
 * And in the form upstream prints paths in conflict messages: {@code .spec.containers[name="c"].image}.
 */
final class PathElements {
  private PathElements() {}

  /** Normalized spellings of elements read from clients' FieldsV1 (bounded; cleared when full). */
  private static final int NORMALIZED_CACHE_SIZE = 4096;
  private static final ConcurrentHashMap<String, String> NORMALIZED = new ConcurrentHashMap<>();

  static String field(String name) { return "f:" + name; }

  static String value(JsonNode v) { return "v:" + GoJson.encode(v); }

  /**
   * The key element of an associative-list item, or null when a key field is missing (and has no default) or is
   * not a scalar.
   */
  static String key(JsonNode item, List<String> keys, ApplyType type) {
    if (!(item instanceof ObjectNode o)) return null;
    if (keys.size() == 1) {
      JsonNode v = keyValue(o, keys.get(0), type);
      if (v == null) return null;
      StringBuilder sb = new StringBuilder(24).append("k:{");
      GoJson.string(keys.get(0), sb);
      sb.append(':');
      GoJson.encode(v, sb);
      return sb.append('}').toString();
    }
    TreeMap<String, JsonNode> sorted = new TreeMap<>();
    for (String k : keys) {
      JsonNode v = keyValue(o, k, type);
      if (v == null) return null;
      sorted.put(k, v);
    }
    StringBuilder sb = new StringBuilder("k:{");
    boolean first = true;
    for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
      if (!first) sb.append(',');
      first = false;
      GoJson.string(e.getKey(), sb);
      sb.append(':');
      GoJson.encode(e.getValue(), sb);
    }
    return sb.append('}').toString();
  }

  private static JsonNode keyValue(ObjectNode item, String key, ApplyType type) {
    JsonNode v = item.get(key);
    if (v == null || v.isNull()) v = type.keyDefault(key);
    if (v == null || v.isContainer()) return null;
    return v;
  }

  /** Re-encodes the JSON part of {@code k:}/{@code v:} elements canonically; other elements are returned as is. */
  static String normalize(String pe) {
    if (pe.length() < 2 || pe.charAt(1) != ':') throw new IllegalArgumentException("invalid path element " + pe);
    char c = pe.charAt(0);
    switch (c) {
      case 'f':
        return pe;
      case 'i':
        try {
          Integer.parseInt(pe.substring(2));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("invalid index path element " + pe);
        }
        return pe;
      case 'k':
      case 'v':
        String known = NORMALIZED.get(pe);
        if (known != null) return known;
        String json = pe.substring(2);
        JsonNode v;
        try {
          v = Json.MAPPER.readTree(json);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("invalid path element " + pe);
        }
        if (c == 'k' && !v.isObject()) throw new IllegalArgumentException("invalid key path element " + pe);
        String canon = GoJson.encode(v);
        String normalized = canon.equals(json) ? pe : c + ":" + canon;
        if (NORMALIZED.size() >= NORMALIZED_CACHE_SIZE) NORMALIZED.clear();
        NORMALIZED.put(pe, normalized);
        return normalized;
      default:
        throw new IllegalArgumentException("invalid path element " + pe);
    }
  }

  /** How upstream prints one element in a path: {@code .name}, {@code [name="c"]}, {@code [="x"]}, {@code [0]}. */
  static String describe(String pe) {
    String rest = pe.substring(2);
    return switch (pe.charAt(0)) {
      case 'f' -> "." + rest;
      case 'i' -> "[" + rest + "]";
      case 'v' -> "[=" + goValue(Json.MAPPER.readTree(rest)) + "]";
      case 'k' -> {
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : Json.MAPPER.readTree(rest).properties()) {
          if (!first) sb.append(',');
          first = false;
          sb.append(e.getKey()).append('=').append(goValue(e.getValue()));
        }
        yield sb.append(']').toString();
      }
      default -> pe;
    };
  }

  /** A whole path as upstream prints it: {@code .spec.template.spec.containers[name="c"].image}. */
  static String describe(List<String> path) {
    StringBuilder sb = new StringBuilder();
    for (String pe : path) sb.append(describe(pe));
    return sb.toString();
  }

  /** Scalars as upstream's value.ToString prints them: strings quoted, numbers and booleans bare. */
  private static String goValue(JsonNode v) {
    if (v.isString()) return GoValue.quote(v.asString());
    if (v.isNull()) return "null";
    if (v.isValueNode()) return v.asString();
    return GoJson.encode(v);
  }
}
