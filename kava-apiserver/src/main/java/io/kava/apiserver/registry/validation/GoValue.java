package io.kava.apiserver.registry.validation;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A bad value that prints the way upstream's messages print it. field.Error renders structs, maps and slices with
 * Go's {@code %#v} ({@code map[string]string{"app":"web"}}, {@code []string{"a", "b"}},
 * {@code v1.LabelSelector{MatchLabels:...}}); FieldError prints any non-string, non-number value with
 * {@code toString()}, so wrapping the Go text here reproduces those messages.
 */
public record GoValue(String text) {
  @Override
  public String toString() { return text; }

  /** Go's %q of a string. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }

  /** {@code map[string]string{"a":"b", "c":"d"}} (keys sorted, as fmt prints maps); nil renders typed nil. */
  public static GoValue stringMap(Map<String, String> m) { return new GoValue(stringMapText(m)); }

  static String stringMapText(Map<String, String> m) {
    if (m == null) return "map[string]string(nil)";
    StringBuilder sb = new StringBuilder("map[string]string{");
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
      if (!first) sb.append(", ");
      first = false;
      sb.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
    }
    return sb.append('}').toString();
  }

  /** {@code []T{"a", "b"}} for a slice of strings (or of a named string type {@code T}). */
  public static GoValue stringSlice(String elemType, List<String> l) { return new GoValue(stringSliceText(elemType, l)); }

  static String stringSliceText(String elemType, List<String> l) {
    if (l == null) return "[]" + elemType + "(nil)";
    StringBuilder sb = new StringBuilder("[]").append(elemType).append('{');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) sb.append(", ");
      sb.append(quote(l.get(i)));
    }
    return sb.append('}').toString();
  }

  /** A string slice field of a JSON object, typed {@code []string}; absent renders {@code []string(nil)}. */
  public static GoValue stringSlice(JsonNode node, String field) {
    return stringSlice("string", Tree.get(node, field) == null ? null : Tree.strings(node, field));
  }

  /** metav1.LabelSelector as upstream prints it (the value of a *LabelSelector, dereferenced). */
  public static GoValue labelSelector(JsonNode sel) {
    if (sel == null) return new GoValue("null");
    StringBuilder sb = new StringBuilder("v1.LabelSelector{MatchLabels:");
    sb.append(stringMapText(Tree.strMap(sel, "matchLabels")));
    sb.append(", MatchExpressions:");
    JsonNode exprs = Tree.get(sel, "matchExpressions");
    if (exprs == null || !exprs.isArray()) {
      sb.append("[]v1.LabelSelectorRequirement(nil)");
    } else {
      sb.append("[]v1.LabelSelectorRequirement{");
      int i = 0;
      for (JsonNode e : exprs) {
        if (i++ > 0) sb.append(", ");
        sb.append("v1.LabelSelectorRequirement{Key:").append(quote(Tree.str(e, "key")))
            .append(", Operator:").append(quote(Tree.str(e, "operator")))
            .append(", Values:").append(stringSliceText("string", Tree.get(e, "values") == null ? null : Tree.strings(e, "values")))
            .append('}');
      }
      sb.append('}');
    }
    return new GoValue(sb.append('}').toString());
  }

  /** intstr.IntOrString by value (it has no value-receiver String method, so upstream prints the struct). */
  public static GoValue intOrString(JsonNode v) {
    if (v != null && v.isNumber()) {
      return new GoValue("intstr.IntOrString{Type:0, IntVal:" + v.asLong() + ", StrVal:\"\"}");
    }
    String s = v == null || v.isNull() ? "" : v.asString();
    return new GoValue("intstr.IntOrString{Type:1, IntVal:0, StrVal:" + quote(s) + "}");
  }

  /** A struct printed as {@code type{Field:"value", ...}} from string fields of a JSON object. */
  public static GoValue struct(String type, JsonNode node, String... goAndJsonNames) {
    StringBuilder sb = new StringBuilder(type).append('{');
    for (int i = 0; i + 1 < goAndJsonNames.length; i += 2) {
      if (i > 0) sb.append(", ");
      sb.append(goAndJsonNames[i]).append(':').append(quote(Tree.str(node, goAndJsonNames[i + 1])));
    }
    return new GoValue(sb.append('}').toString());
  }

  /**
   * Fallback for large structs (pod templates, specs): upstream prints the internal Go struct, which cannot be
   * reproduced from JSON; the compact JSON is the closest readable stand-in.
   */
  public static GoValue json(JsonNode v) { return new GoValue(v == null ? "null" : v.toString()); }
}
