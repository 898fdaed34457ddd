package io.kava.apiserver.registry.crd;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * One node of a CRD version's {@code openAPIV3Schema}, compiled once for the validation, pruning and defaulting of
 * every custom resource of that version. Immutable after {@link #parse}; shared by all request threads.
 *
 * <p>Only what upstream's structural schema uses is kept: the generic part (type, properties, items,
 * additionalProperties, nullable, default), the value validations and the {@code x-kubernetes-*} extensions.
 * A schema that does not compile (a bad pattern) keeps the other rules; CRD validation reports the problem.
 */
final class Schema {
  /** An empty schema: accepts anything, prunes nothing below it. */
  static final Schema ANY = new Schema();

  String type = "";
  boolean nullable;
  String format = "";
  /** Null when the schema names no properties. */
  Map<String, Schema> properties;
  /** The schema of map values; null when absent. */
  Schema additionalProperties;
  /** {@code additionalProperties: true}: every field is kept and nothing below it is checked. */
  boolean additionalPropertiesAllowed;
  /** {@code additionalProperties: false}. */
  boolean additionalPropertiesForbidden;
  Schema items;
  List<String> required = List.of();
  /** Null when absent. */
  List<JsonNode> enumValues;
  BigDecimal maximum;
  BigDecimal minimum;
  boolean exclusiveMaximum;
  boolean exclusiveMinimum;
  BigDecimal multipleOf;
  Long maxLength;
  Long minLength;
  Long maxItems;
  Long minItems;
  Long maxProperties;
  Long minProperties;
  boolean uniqueItems;
  String patternText;
  Pattern pattern;
  boolean preserveUnknownFields;
  boolean intOrString;
  boolean embeddedResource;
  /** {@code x-kubernetes-list-type}: atomic, set or map; empty when absent. */
  String listType = "";
  List<String> listMapKeys = List.of();
  /** Null when there is no default. */
  JsonNode defaultValue;
  List<Schema> allOf = List.of();
  List<Schema> anyOf = List.of();
  List<Schema> oneOf = List.of();
  Schema not;

  private Schema() {}

  /** Compiles a JSONSchemaProps tree; null or a non-object is {@link #ANY}. */
  static Schema parse(JsonNode n) {
    if (n == null || !n.isObject()) return ANY;
    Schema s = new Schema();
    s.type = n.path("type").asString("");
    s.nullable = n.path("nullable").asBoolean(false);
    s.format = n.path("format").asString("");
    JsonNode props = n.get("properties");
    if (props != null && props.isObject()) {
      Map<String, Schema> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : props.properties()) m.put(e.getKey(), parse(e.getValue()));
      s.properties = Collections.unmodifiableMap(m);
    }
    JsonNode ap = n.get("additionalProperties");
    if (ap != null) {
      if (ap.isBoolean()) {
        if (ap.asBoolean()) s.additionalPropertiesAllowed = true;
        else s.additionalPropertiesForbidden = true;
      } else if (ap.isObject()) {
        s.additionalProperties = parse(ap);
      }
    }
    JsonNode items = n.get("items");
    if (items != null && items.isObject()) s.items = parse(items);
    s.required = strings(n.get("required"));
    JsonNode en = n.get("enum");
    if (en != null && en.isArray()) {
      List<JsonNode> values = new ArrayList<>();
      en.forEach(values::add);
      s.enumValues = List.copyOf(values);
    }
    s.maximum = decimal(n.get("maximum"));
    s.minimum = decimal(n.get("minimum"));
    s.exclusiveMaximum = n.path("exclusiveMaximum").asBoolean(false);
    s.exclusiveMinimum = n.path("exclusiveMinimum").asBoolean(false);
    s.multipleOf = decimal(n.get("multipleOf"));
    s.maxLength = integer(n.get("maxLength"));
    s.minLength = integer(n.get("minLength"));
    s.maxItems = integer(n.get("maxItems"));
    s.minItems = integer(n.get("minItems"));
    s.maxProperties = integer(n.get("maxProperties"));
    s.minProperties = integer(n.get("minProperties"));
    s.uniqueItems = n.path("uniqueItems").asBoolean(false);
    String p = n.path("pattern").asString("");
    if (!p.isEmpty()) {
      s.patternText = p;
      s.pattern = compile(p);
    }
    s.preserveUnknownFields = n.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    s.intOrString = n.path("x-kubernetes-int-or-string").asBoolean(false);
    s.embeddedResource = n.path("x-kubernetes-embedded-resource").asBoolean(false);
    s.listType = n.path("x-kubernetes-list-type").asString("");
    s.listMapKeys = strings(n.get("x-kubernetes-list-map-keys"));
    JsonNode def = n.get("default");
    if (def != null) s.defaultValue = def;
    s.allOf = list(n.get("allOf"));
    s.anyOf = list(n.get("anyOf"));
    s.oneOf = list(n.get("oneOf"));
    JsonNode not = n.get("not");
    if (not != null && not.isObject()) s.not = parse(not);
    return s;
  }

  /**
   * Go's RE2 syntax is close to Java's for the patterns CRDs use; null when Java cannot compile it (the pattern then
   * checks nothing, and CRD validation has already reported it for new CRDs).
   */
  static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return null;
    }
  }

  /** The schema of field {@code name} of an object value: a property, the additionalProperties schema, or null. */
  Schema field(String name) {
    if (properties != null) {
      Schema p = properties.get(name);
      if (p != null) return p;
    }
    return additionalProperties;
  }

  private static List<Schema> list(JsonNode n) {
    if (n == null || !n.isArray()) return List.of();
    List<Schema> out = new ArrayList<>();
    for (JsonNode c : n) out.add(parse(c));
    return List.copyOf(out);
  }

  private static List<String> strings(JsonNode n) {
    if (n == null || !n.isArray()) return List.of();
    List<String> out = new ArrayList<>();
    for (JsonNode c : n) out.add(c.asString(""));
    return List.copyOf(out);
  }

  private static BigDecimal decimal(JsonNode n) {
    if (n == null || !n.isNumber()) return null;
    return n.decimalValue();
  }

  private static Long integer(JsonNode n) {
    if (n == null || !n.isNumber()) return null;
    return n.asLong();
  }
}
