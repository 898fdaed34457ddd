package io.kava.apiserver.registry.crd;

import io.kava.api.validation.FieldError;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Validates a custom resource against its version's schema, with the messages upstream's OpenAPI validator gives and
 * the field errors apiextensions-apiserver turns them into, e.g.
 * {@code spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"} or
 * {@code spec.cronSpec: Required value}.
 *
 * <p>Pure: never changes the object. Expects it pruned and defaulted (the store defaults before it validates).
 */
final class SchemaValidator {
  private SchemaValidator() {}

  private static final Pattern UUID = Pattern.compile("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
  private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern DURATION = Pattern.compile("^(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h|d|w)\\s*)+$");
  private static final Pattern HOSTNAME = Pattern.compile(
      "^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*\\.?$");

  /** The problems of a whole custom resource; {@code metadata} is left to the generic metadata validation. */
  static List<FieldError> validate(JsonNode object, Schema root) {
    List<FieldError> errs = new ArrayList<>();
    if (root == Schema.ANY) return errs;
    value(object, root, "", true, errs);
    return errs;
  }

  /** The problems of {@code v} at {@code path} (go-openapi's field name: {@code spec.items[0].name}). */
  static void value(JsonNode v, Schema s, String path, List<FieldError> errs) { value(v, s, path, false, errs); }

  private static void value(JsonNode v, Schema s, String path, boolean resourceRoot, List<FieldError> errs) {
    if (v == null || v.isMissingNode()) return;
    if (v.isNull()) {
      if (s.nullable) return;
      if (s.intOrString) errs.add(typeError(path, "integer,string", "null"));
      else if (!s.type.isEmpty()) errs.add(typeError(path, s.type, "null"));
      return;
    }
    String actual = typeName(v);
    if (s.intOrString) {
      if (!actual.equals("integer") && !actual.equals("string")) {
        errs.add(typeError(path, "integer,string", actual));
        return;
      }
    } else if (!s.type.isEmpty() && !matches(s.type, actual)) {
      errs.add(typeError(path, s.type, actual));
      return;
    }
    if (v.isString()) string(v.asString(), s, path, errs);
    if (v.isNumber()) number(v, s, path, errs);
    if (s.enumValues != null && !inEnum(v, s.enumValues)) {
      List<String> allowed = new ArrayList<>();
      for (JsonNode e : s.enumValues) allowed.add(e.isString() ? e.asString() : e.toString());
      errs.add(FieldError.notSupported(field(path), goValue(v), allowed));
    }
    if (v.isObject()) object(v, s, path, resourceRoot, errs);
    if (v.isArray()) array(v, s, path, errs);
    junctors(v, s, path, errs);
  }

  // ------------------------------------------------------------------ scalars

  private static void string(String text, Schema s, String path, List<FieldError> errs) {
    long length = text.codePointCount(0, text.length());
    if (s.maxLength != null && length > s.maxLength) {
      errs.add(FieldError.tooLong(field(path), null, s.maxLength.intValue()));
    }
    if (s.minLength != null && length < s.minLength) {
      errs.add(invalid(path, text, "should be at least " + s.minLength + " chars long"));
    }
    if (s.pattern != null && !s.pattern.matcher(text).find()) {
      errs.add(invalid(path, text, "should match '" + s.patternText + "'"));
    }
    if (!s.format.isEmpty() && !formatMatches(s.format, text)) {
      errs.add(new FieldError(FieldError.Type.TYPE_INVALID, field(path), text,
          name(path) + " in body must be of type " + s.format + ": " + quote(text)));
    }
  }

  private static void number(JsonNode v, Schema s, String path, List<FieldError> errs) {
    BigDecimal d = v.decimalValue();
    Object bad = goValue(v);
    if (s.maximum != null) {
      int c = d.compareTo(s.maximum);
      if (s.exclusiveMaximum ? c >= 0 : c > 0) {
        errs.add(invalid(path, bad, "should be less than " + (s.exclusiveMaximum ? "" : "or equal to ") + plain(s.maximum)));
      }
    }
    if (s.minimum != null) {
      int c = d.compareTo(s.minimum);
      if (s.exclusiveMinimum ? c <= 0 : c < 0) {
        errs.add(invalid(path, bad, "should be greater than " + (s.exclusiveMinimum ? "" : "or equal to ") + plain(s.minimum)));
      }
    }
    if (s.multipleOf != null && s.multipleOf.signum() != 0 && d.remainder(s.multipleOf).signum() != 0) {
      errs.add(invalid(path, bad, "should be a multiple of " + plain(s.multipleOf)));
    }
  }

  static boolean formatMatches(String format, String text) {
    switch (format) {
      case "date-time", "datetime" -> {
        try {
          OffsetDateTime.parse(text);
          return true;
        } catch (DateTimeParseException e) {
          return false;
        }
      }
      case "date" -> {
        try {
          LocalDate.parse(text);
          return true;
        } catch (DateTimeParseException e) {
          return false;
        }
      }
      case "byte" -> {
        try {
          Base64.getDecoder().decode(text);
          return true;
        } catch (IllegalArgumentException e) {
          return false;
        }
      }
      case "uuid" -> { return UUID.matcher(text).matches(); }
      case "ipv4" -> { return IPV4.matcher(text).matches(); }
      case "ipv6" -> { return isIpv6(text); }
      case "cidr" -> {
        int slash = text.indexOf('/');
        if (slash < 0) return false;
        String ip = text.substring(0, slash);
        int max = IPV4.matcher(ip).matches() ? 32 : isIpv6(ip) ? 128 : -1;
        try {
          int bits = Integer.parseInt(text.substring(slash + 1));
          return max > 0 && bits >= 0 && bits <= max;
        } catch (NumberFormatException e) {
          return false;
        }
      }
      case "hostname" -> { return text.length() <= 255 && HOSTNAME.matcher(text).matches(); }
      case "duration" -> { return DURATION.matcher(text).matches(); }
      default -> { return true; } // int32, int64, password, ... and formats upstream does not check either
    }
  }

  private static boolean isIpv6(String text) {
    if (!text.contains(":") || !text.matches("[0-9A-Fa-f:.]+")) return false;
    try {
      return InetAddress.getByName(text) instanceof java.net.Inet6Address || text.contains("::ffff:");
    } catch (UnknownHostException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ containers

  private static void object(JsonNode v, Schema s, String path, boolean resourceRoot, List<FieldError> errs) {
    for (String r : s.required) {
      if (!v.has(r)) errs.add(FieldError.required(field(join(path, r)), ""));
    }
    if (s.embeddedResource) {
      for (String f : List.of("apiVersion", "kind")) {
        if (v.path(f).asString("").isEmpty()) errs.add(FieldError.required(field(join(path, f)), "must not be empty"));
      }
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      String key = e.getKey();
      if ((resourceRoot || s.embeddedResource) && key.equals("metadata")) continue;
      String child = join(path, key);
      Schema p = s.properties == null ? null : s.properties.get(key);
      if (p != null) {
        value(e.getValue(), p, child, errs);
      } else if (s.additionalProperties != null) {
        value(e.getValue(), s.additionalProperties, child, errs);
      } else if (s.additionalPropertiesForbidden && !s.preserveUnknownFields) {
        errs.add(invalid(child, "", "is a forbidden property"));
      }
    }
    int size = v.size();
    if (s.maxProperties != null && size > s.maxProperties) {
      errs.add(new FieldError(FieldError.Type.TOO_MANY, field(path), null, size + ": must have at most " + s.maxProperties + " items"));
    }
    if (s.minProperties != null && size < s.minProperties) {
      errs.add(invalid(path, (long) size, "should have at least " + s.minProperties + " properties"));
    }
  }

  private static void array(JsonNode v, Schema s, String path, List<FieldError> errs) {
    int size = v.size();
    if (s.maxItems != null && size > s.maxItems) {
      errs.add(new FieldError(FieldError.Type.TOO_MANY, field(path), null, size + ": must have at most " + s.maxItems + " items"));
    }
    if (s.minItems != null && size < s.minItems) {
      errs.add(invalid(path, (long) size, "should have at least " + s.minItems + " items"));
    }
    if (s.uniqueItems && hasDuplicates(v)) errs.add(invalid(path, "", "shouldn't contain duplicates"));
    if (s.listType.equals("set")) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < size; i++) {
        if (!seen.add(canonical(v.get(i)))) errs.add(FieldError.duplicate(field(path) + "[" + i + "]", goValue(v.get(i))));
      }
    } else if (s.listType.equals("map") && !s.listMapKeys.isEmpty()) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < size; i++) {
        JsonNode item = v.get(i);
        if (!item.isObject()) continue;
        StringBuilder key = new StringBuilder("{");
        for (String k : s.listMapKeys) {
          if (key.length() > 1) key.append(',');
          key.append('"').append(k).append("\":").append(item.has(k) ? canonical(item.get(k)) : "null");
        }
        key.append('}');
        if (!seen.add(key.toString())) errs.add(FieldError.duplicate(field(path) + "[" + i + "]", key.toString()));
      }
    }
    if (s.items != null) {
      for (int i = 0; i < size; i++) value(v.get(i), s.items, path + "[" + i + "]", errs);
    }
  }

  /** allOf, anyOf, oneOf and not: value validations that constrain without declaring structure. */
  private static void junctors(JsonNode v, Schema s, String path, List<FieldError> errs) {
    for (Schema a : s.allOf) value(v, a, path, errs);
    if (!s.anyOf.isEmpty()) {
      boolean any = false;
      for (Schema a : s.anyOf) any |= valid(v, a, path);
      if (!any) errs.add(invalid(path, "", "must validate at least one schema (anyOf)"));
    }
    if (!s.oneOf.isEmpty()) {
      int n = 0;
      for (Schema a : s.oneOf) if (valid(v, a, path)) n++;
      if (n != 1) errs.add(invalid(path, "", "must validate one and only one schema (oneOf)"));
    }
    if (s.not != null && valid(v, s.not, path)) errs.add(invalid(path, "", "must not validate the schema (not)"));
  }

  private static boolean valid(JsonNode v, Schema s, String path) {
    List<FieldError> sub = new ArrayList<>();
    value(v, s, path, sub);
    return sub.isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  /** The JSON type of a value as go-openapi names it. */
  static String typeName(JsonNode v) {
    if (v.isNull()) return "null";
    if (v.isString()) return "string";
    if (v.isBoolean()) return "boolean";
    if (v.isObject()) return "object";
    if (v.isArray()) return "array";
    if (v.isIntegralNumber()) return "integer";
    if (v.isNumber()) {
      BigDecimal d = v.decimalValue();
      return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0 ? "integer" : "number";
    }
    return "string";
  }

  private static boolean matches(String type, String actual) {
    return switch (type) {
      case "number" -> actual.equals("number") || actual.equals("integer");
      default -> type.equals(actual);
    };
  }

  private static boolean inEnum(JsonNode v, List<JsonNode> values) {
    for (JsonNode e : values) if (jsonEquals(v, e)) return true;
    return false;
  }

  /** JSON equality with numbers compared by value (1 equals 1.0). */
  static boolean jsonEquals(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
    return a.equals(b);
  }

  private static boolean hasDuplicates(JsonNode array) {
    Set<String> seen = new HashSet<>();
    for (JsonNode e : array) if (!seen.add(canonical(e))) return true;
    return false;
  }

  /** A canonical text of a value: numbers by value, object members sorted. */
  static String canonical(JsonNode v) {
    if (v.isNumber()) return v.decimalValue().stripTrailingZeros().toPlainString();
    if (v.isObject()) {
      java.util.TreeMap<String, String> m = new java.util.TreeMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) m.put(e.getKey(), canonical(e.getValue()));
      return m.toString();
    }
    if (v.isArray()) {
      List<String> l = new ArrayList<>();
      for (JsonNode e : v) l.add(canonical(e));
      return l.toString();
    }
    return v.toString();
  }

  /** A value as upstream's field errors print it (Go's %#v of the decoded JSON for scalars). */
  static Object goValue(JsonNode v) {
    if (v.isString()) return v.asString();
    if (v.isBoolean()) return v.asBoolean();
    if (v.isIntegralNumber()) return v.asLong();
    if (v.isNumber()) return new Printed(plain(v.decimalValue()));
    if (v.isNull()) return null;
    return new Printed(v.toString());
  }

  /** A value printed as its text, unquoted. */
  private record Printed(String text) {
    @Override
    public String toString() { return text; }
  }

  static String plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
  }

  private static FieldError typeError(String path, String expected, String actual) {
    return new FieldError(FieldError.Type.TYPE_INVALID, field(path), actual,
        name(path) + " in body must be of type " + expected + ": " + quote(actual));
  }

  private static FieldError invalid(String path, Object value, String detail) {
    return FieldError.invalid(field(path), value, name(path) + " in body " + detail);
  }

  /** The field of a field error: the path, or nothing for the object itself. */
  private static String field(String path) { return path; }

  /** The name go-openapi prints in its message ({@code .} for the object itself). */
  private static String name(String path) { return path.isEmpty() ? "." : path; }

  private static String join(String path, String key) { return path.isEmpty() ? key : path + "." + key; }

  private static String quote(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }
}
