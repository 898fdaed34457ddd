package io.kava.apiserver.registry.crd;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whether a CRD version's {@code openAPIV3Schema} is a structural schema, with upstream's field paths and messages
 * ({@code spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for
 * specified object fields}), plus the keywords apiextensions.k8s.io/v1 does not support and the check that every
 * {@code default} validates against its own schema and survives pruning.
 */
final class StructuralChecks {
  private StructuralChecks() {}

  private enum Level { ROOT, ITEM, FIELD }

  private static final Map<String, String> UNSUPPORTED = Map.of(
      "$ref", "$ref is not supported",
      "id", "id is not supported",
      "additionalItems", "additionalItems is not supported",
      "patternProperties", "patternProperties is not supported",
      "definitions", "definitions is not supported",
      "dependencies", "dependencies is not supported");

  static void check(JsonNode schema, FieldPath path, List<FieldError> errs) {
    node(schema, Level.ROOT, path, "", errs);
  }

  private static void node(JsonNode n, Level level, FieldPath path, String dataPath, List<FieldError> errs) {
    if (n == null || !n.isObject()) return;
    keywords(n, path, errs);
    String type = n.path("type").asString("");
    boolean intOrString = n.path("x-kubernetes-int-or-string").asBoolean(false);
    boolean preserve = n.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    boolean embedded = n.path("x-kubernetes-embedded-resource").asBoolean(false);
    JsonNode props = n.get("properties");
    JsonNode additional = n.get("additionalProperties");
    JsonNode items = n.get("items");

    if (type.equals("array") && items == null) errs.add(FieldError.required(path.child("items").toString(), "must be specified"));
    if (items != null && items.isArray()) {
      errs.add(FieldError.forbidden(path.child("items").toString(), "items must be a schema object and not an array"));
    }
    if (items != null && items.isObject()) node(items, Level.ITEM, path.child("items"), dataPath + "[0]", errs);
    if (props != null && props.isObject()) {
      for (Map.Entry<String, JsonNode> e : props.properties()) {
        node(e.getValue(), Level.FIELD, path.child("properties").key(e.getKey()), join(dataPath, e.getKey()), errs);
      }
    }
    if (additional != null) {
      if (level == Level.ROOT) errs.add(FieldError.forbidden(path.child("additionalProperties").toString(), "must not be used at the root"));
      boolean restricts = additional.isObject() || (additional.isBoolean() && !additional.asBoolean());
      if (props != null && props.isObject() && !props.isEmpty() && restricts) {
        errs.add(FieldError.forbidden(path.child("additionalProperties").toString(), "additionalProperties and properties are mutual exclusive"));
      }
      if (additional.isObject()) node(additional, Level.FIELD, path.child("additionalProperties"), join(dataPath, "*"), errs);
    }

    if (intOrString && preserve) {
      errs.add(FieldError.invalid(path.child("x-kubernetes-preserve-unknown-fields").toString(), true, "must be false if x-kubernetes-int-or-string is true"));
    }
    if (intOrString && embedded) {
      errs.add(FieldError.invalid(path.child("x-kubernetes-embedded-resource").toString(), true, "must be false if x-kubernetes-int-or-string is true"));
    }
    if (embedded && !type.equals("object")) {
      if (type.isEmpty()) errs.add(FieldError.required(path.child("type").toString(), "must be object if x-kubernetes-embedded-resource is true"));
      else errs.add(FieldError.invalid(path.child("type").toString(), type, "must be object if x-kubernetes-embedded-resource is true"));
    } else if (type.isEmpty() && !intOrString && !preserve) {
      String detail = switch (level) {
        case ROOT -> "must not be empty at the root";
        case ITEM -> "must not be empty for specified array items";
        case FIELD -> "must not be empty for specified object fields";
      };
      errs.add(FieldError.required(path.child("type").toString(), detail));
    }
    if (embedded && additional != null) {
      errs.add(FieldError.forbidden(path.child("additionalProperties").toString(), "must not be used if x-kubernetes-embedded-resource is set"));
    }
    if (level == Level.ROOT && !type.isEmpty() && !type.equals("object")) {
      errs.add(FieldError.invalid(path.child("type").toString(), type, "must be object at the root"));
    }
    if ((level == Level.ROOT || embedded) && props != null) {
      for (String f : List.of("kind", "apiVersion")) {
        JsonNode p = props.get(f);
        if (p != null && !p.path("type").asString("").equals("string")) {
          errs.add(FieldError.invalid(path.child("properties").key(f).child("type").toString(), p.path("type").asString(""), "must be string"));
        }
      }
      JsonNode meta = props.get("metadata");
      if (meta != null && !meta.path("type").asString("").equals("object")) {
        errs.add(FieldError.invalid(path.child("properties").key("metadata").child("type").toString(), meta.path("type").asString(""), "must be object"));
      }
    }
    if (level == Level.ROOT && props != null && props.get("metadata") instanceof ObjectNode meta) {
      if (!metadataRestrictsOnlyNames(meta)) {
        errs.add(FieldError.forbidden(path.child("properties").key("metadata").toString(),
            "must not specify anything other than name and generateName, but metadata is implicitly specified"));
      }
    }
    if (embedded && !preserve && (props == null || props.isEmpty())) {
      errs.add(FieldError.required(path.child("properties").toString(),
          "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
    }
    junctors(n, path, errs, intOrString);
    if (n.has("default") && level != Level.ROOT) defaultValue(n, path, dataPath, errs);
  }

  private static void keywords(JsonNode n, FieldPath path, List<FieldError> errs) {
    for (Map.Entry<String, String> u : UNSUPPORTED.entrySet()) {
      if (n.has(u.getKey())) errs.add(FieldError.forbidden(path.child(u.getKey()).toString(), u.getValue()));
    }
    if (n.path("type").asString("").equals("null")) errs.add(FieldError.forbidden(path.child("type").toString(), "type cannot be set to null"));
    if (n.path("uniqueItems").asBoolean(false)) {
      errs.add(FieldError.forbidden(path.child("uniqueItems").toString(), "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
    }
    JsonNode preserve = n.get("x-kubernetes-preserve-unknown-fields");
    if (preserve != null && !preserve.asBoolean(false)) {
      errs.add(FieldError.invalid(path.child("x-kubernetes-preserve-unknown-fields").toString(), false, "must be true or undefined"));
    }
    String pattern = n.path("pattern").asString("");
    if (!pattern.isEmpty()) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        errs.add(FieldError.invalid(path.child("pattern").toString(), pattern, "must be a valid regular expression, but isn't: " + e.getDescription()));
      }
    }
  }

  private static final Set<String> NAME_FIELDS = Set.of("name", "generateName");

  /** Root metadata may only restrict name and generateName (their type and value validations). */
  private static boolean metadataRestrictsOnlyNames(ObjectNode meta) {
    for (Map.Entry<String, JsonNode> e : meta.properties()) {
      switch (e.getKey()) {
        case "type", "description" -> { }
        case "properties" -> {
          for (String p : e.getValue().propertyNames()) if (!NAME_FIELDS.contains(p)) return false;
        }
        default -> { return false; }
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ value validations (allOf, anyOf, oneOf, not)

  private static void junctors(JsonNode n, FieldPath path, List<FieldError> errs, boolean intOrString) {
    JsonNode anyOf = n.get("anyOf");
    boolean skipAnyOf = intOrString && isIntOrStringAnyOf(anyOf);
    if (anyOf != null && anyOf.isArray() && !skipAnyOf) {
      for (int i = 0; i < anyOf.size(); i++) nested(anyOf.get(i), path.child("anyOf").index(i), errs, false);
    }
    JsonNode allOf = n.get("allOf");
    if (allOf != null && allOf.isArray()) {
      for (int i = 0; i < allOf.size(); i++) {
        boolean skip = i == 0 && intOrString && isIntOrStringAnyOf(allOf.get(i).get("anyOf"));
        nested(allOf.get(i), path.child("allOf").index(i), errs, skip);
      }
    }
    JsonNode oneOf = n.get("oneOf");
    if (oneOf != null && oneOf.isArray()) {
      for (int i = 0; i < oneOf.size(); i++) nested(oneOf.get(i), path.child("oneOf").index(i), errs, false);
    }
    if (n.get("not") instanceof ObjectNode not) nested(not, path.child("not"), errs, false);
  }

  private static boolean isIntOrStringAnyOf(JsonNode anyOf) {
    return anyOf != null && anyOf.isArray() && anyOf.size() == 2
        && anyOf.get(0).size() == 1 && anyOf.get(0).path("type").asString("").equals("integer")
        && anyOf.get(1).size() == 1 && anyOf.get(1).path("type").asString("").equals("string");
  }

  /** A schema under a logic junctor may only validate values, never declare structure. */
  private static void nested(JsonNode n, FieldPath path, List<FieldError> errs, boolean skipAnyOf) {
    if (n == null || !n.isObject()) return;
    keywords(n, path, errs);
    if (n.has("type")) errs.add(FieldError.forbidden(path.child("type").toString(), "must be empty to be structural"));
    if (n.has("additionalProperties")) errs.add(FieldError.forbidden(path.child("additionalProperties").toString(), "must be undefined to be structural"));
    if (n.has("default")) errs.add(FieldError.forbidden(path.child("default").toString(), "must be undefined to be structural"));
    if (n.has("title")) errs.add(FieldError.forbidden(path.child("title").toString(), "must be empty to be structural"));
    if (n.has("description")) errs.add(FieldError.forbidden(path.child("description").toString(), "must be empty to be structural"));
    if (n.path("nullable").asBoolean(false)) errs.add(FieldError.forbidden(path.child("nullable").toString(), "must be false to be structural"));
    for (String x : List.of("x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string")) {
      if (n.path(x).asBoolean(false)) errs.add(FieldError.forbidden(path.child(x).toString(), "must be false to be structural"));
    }
    if (n.has("x-kubernetes-list-map-keys")) errs.add(FieldError.forbidden(path.child("x-kubernetes-list-map-keys").toString(), "must be empty to be structural"));
    if (n.has("x-kubernetes-list-type")) errs.add(FieldError.forbidden(path.child("x-kubernetes-list-type").toString(), "must be undefined to be structural"));
    JsonNode props = n.get("properties");
    if (props != null && props.isObject()) {
      if (props.has("metadata")) errs.add(FieldError.forbidden(path.child("properties").key("metadata").toString(), "must not be specified in a nested context"));
      for (Map.Entry<String, JsonNode> e : props.properties()) nested(e.getValue(), path.child("properties").key(e.getKey()), errs, false);
    }
    if (n.get("items") instanceof ObjectNode items) nested(items, path.child("items"), errs, false);
    JsonNode anyOf = n.get("anyOf");
    if (anyOf != null && anyOf.isArray() && !skipAnyOf) {
      for (int i = 0; i < anyOf.size(); i++) nested(anyOf.get(i), path.child("anyOf").index(i), errs, false);
    }
    for (String j : List.of("allOf", "oneOf")) {
      JsonNode l = n.get(j);
      if (l != null && l.isArray()) for (int i = 0; i < l.size(); i++) nested(l.get(i), path.child(j).index(i), errs, false);
    }
    if (n.get("not") instanceof ObjectNode not) nested(not, path.child("not"), errs, false);
  }

  // ------------------------------------------------------------------ defaults

  /** A default must be valid for its schema and must not carry fields pruning would drop. */
  private static void defaultValue(JsonNode n, FieldPath path, String dataPath, List<FieldError> errs) {
    JsonNode def = n.get("default");
    FieldPath at = path.child("default");
    if (def.isNull() && !n.path("nullable").asBoolean(false)) {
      errs.add(FieldError.invalid(at.toString(), null, "must not be null for non-nullable schemas"));
      return;
    }
    Schema schema = Schema.parse(n);
    if (def.isObject()) {
      ObjectNode copy = ((ObjectNode) def).deepCopy();
      ObjectNode holder = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      holder.set("v", copy);
      List<String> pruned = Pruning.prune(holder, wrap(schema));
      if (!pruned.isEmpty()) {
        List<String> fields = pruned.stream().map(f -> f.substring(2)).toList();
        errs.add(FieldError.invalid(at.toString(), SchemaValidator.goValue(def), "must not have unknown fields: " + String.join(", ", fields)));
        return;
      }
    }
    List<FieldError> inner = new java.util.ArrayList<>();
    SchemaValidator.value(def, schema, dataPath, inner);
    for (FieldError e : inner) errs.add(new FieldError(e.type(), at.toString(), e.badValue(), e.detail()));
  }

  /** A root schema whose only property {@code v} has {@code schema} (to prune a default as a field). */
  private static Schema wrap(Schema schema) {
    ObjectNode root = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    root.put("type", "object");
    Schema s = Schema.parse(root);
    s.properties = Map.of("v", schema);
    return s;
  }

  private static String join(String path, String key) { return path.isEmpty() ? key : path + "." + key; }
}
