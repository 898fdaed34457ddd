package io.kava.apiserver.registry.crd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies the {@code default}s of a structural schema, as upstream does when it decodes a custom resource: a missing
 * field whose schema has a default gets a copy of it (and the defaults inside that copy), and so does a {@code null}
 * in a field that is not {@code nullable}; a {@code null} in a non-nullable field without a default is dropped.
 * Idempotent. {@code metadata} at the root is left alone.
 */
final class Defaulting {
  private Defaulting() {}

  static void apply(ObjectNode object, Schema root) {
    if (root == Schema.ANY) return;
    object(object, root, true);
  }

  private static void value(JsonNode v, Schema s) {
    if (v instanceof ObjectNode o) {
      object(o, s, false);
    } else if (v instanceof ArrayNode a && s.items != null) {
      Schema items = s.items;
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isNull() && !items.nullable && items.defaultValue != null) a.set(i, items.defaultValue.deepCopy());
        value(a.get(i), items);
      }
    }
  }

  private static void object(ObjectNode o, Schema s, boolean resourceRoot) {
    if (s.properties != null) {
      for (Map.Entry<String, Schema> p : s.properties.entrySet()) {
        String key = p.getKey();
        if (resourceRoot && key.equals("metadata")) continue;
        fill(o, key, p.getValue());
      }
    }
    if (s.additionalProperties != null) {
      List<String> keys = new ArrayList<>();
      o.propertyNames().forEach(keys::add);
      for (String key : keys) {
        if (s.properties == null || !s.properties.containsKey(key)) fill(o, key, s.additionalProperties);
      }
    }
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      if (resourceRoot && e.getKey().equals("metadata")) continue;
      Schema field = s.field(e.getKey());
      if (field != null) value(e.getValue(), field);
    }
  }

  private static void fill(ObjectNode o, String key, Schema field) {
    JsonNode current = o.get(key);
    boolean unsetOrNull = current == null || (current.isNull() && !field.nullable);
    if (!unsetOrNull) return;
    if (field.defaultValue != null) o.set(key, field.defaultValue.deepCopy());
    else if (current != null) o.remove(key);
  }
}
