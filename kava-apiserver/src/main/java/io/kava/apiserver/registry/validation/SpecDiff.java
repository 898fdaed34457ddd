package io.kava.apiserver.registry.validation;

import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A readable diff of two specs for "immutable" messages. Upstream appends go-cmp's diff of the internal Go structs;
 * that text cannot be reproduced from JSON, so this prints the same frame ({@code   core.PodSpec{ ... }}) with one
 * {@code -}/{@code +} line pair per changed leaf, using JSON paths.
 */
final class SpecDiff {
  private SpecDiff() {}

  static String diff(String typeName, JsonNode before, JsonNode after) {
    StringBuilder sb = new StringBuilder("  ").append(typeName).append("{\n");
    walk("", Tree.normalize(before), Tree.normalize(after), sb);
    return sb.append("  }\n").toString();
  }

  private static void walk(String path, JsonNode a, JsonNode b, StringBuilder sb) {
    if (a != null && b != null && a.isObject() && b.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      for (Map.Entry<String, JsonNode> e : a.properties()) keys.add(e.getKey());
      for (Map.Entry<String, JsonNode> e : b.properties()) keys.add(e.getKey());
      for (String k : keys) walk(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), sb);
      return;
    }
    if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) walk(path + "[" + i + "]", a.get(i), b.get(i), sb);
      return;
    }
    if (a == null ? b == null : a.equals(b)) return;
    if (a != null) sb.append("- \t").append(path).append(": ").append(a).append('\n');
    if (b != null) sb.append("+ \t").append(path).append(": ").append(b).append('\n');
  }
}
