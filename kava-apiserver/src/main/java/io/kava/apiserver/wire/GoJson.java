package io.kava.apiserver.wire;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * JSON exactly as Go's encoding/json writes a decoded value (a {@code map[string]interface{}} tree): compact, object
 * keys sorted, {@code < > &} and U+2028/9 escaped, floats in strconv's shortest form. Upstream builds text that
 * clients compare from such values — managedFields keys, the last-applied annotation, custom resource table cells.
 */
public final class GoJson {
  private GoJson() {}

  public static String encode(JsonNode v) {
    StringBuilder sb = new StringBuilder();
    encode(v, sb);
    return sb.toString();
  }

  public static void encode(JsonNode v, StringBuilder sb) {
    if (v == null || v.isNull()) {
      sb.append("null");
    } else if (v.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) sorted.put(e.getKey(), e.getValue());
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
        if (!first) sb.append(',');
        first = false;
        string(e.getKey(), sb);
        sb.append(':');
        encode(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v.isArray()) {
      sb.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) sb.append(',');
        encode(v.get(i), sb);
      }
      sb.append(']');
    } else if (v.isString()) {
      string(v.stringValue(), sb);
    } else if (v.isBoolean()) {
      sb.append(v.booleanValue());
    } else if (v.isIntegralNumber()) {
      sb.append(v.bigIntegerValue());
    } else if (v.isNumber()) {
      sb.append(number(v.doubleValue()));
    } else {
      sb.append(v.asString());
    }
  }

  /** A JSON string, HTML-safe escapes included. */
  public static void string(String s, StringBuilder sb) { string(s, sb, true); }

  /** A JSON string literal without HTML escapes: also a valid YAML double-quoted scalar. */
  public static String literal(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    string(s, sb, false);
    return sb.toString();
  }

  private static void string(String s, StringBuilder sb, boolean htmlSafe) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> {
          if (htmlSafe) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }

  /** encoding/json's float64: plain, but exponent form below 1e-6 or from 1e21 (with "e-7", not "e-07"). */
  static String number(double d) {
    double abs = Math.abs(d);
    if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) return exponentForm(d).replaceFirst("e-0(\\d)$", "e-$1");
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }

  /** strconv's 'e' format with the shortest digits: "1.5e+06", "1e-07". */
  public static String exponentForm(double d) {
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    String digits = bd.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - bd.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String e = Integer.toString(Math.abs(exp));
    return (d < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
  }
}
