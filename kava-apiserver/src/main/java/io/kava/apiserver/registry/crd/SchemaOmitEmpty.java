package io.kava.apiserver.registry.crd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Go's JSON for {@code JSONSchemaProps}: its non-pointer fields are all {@code omitempty}, so an empty list or map, an
 * empty string or {@code false} in one of them is the same as leaving it out. Upstream decodes a CRD into the Go type
 * before anything looks at it; this drops those values the same way, so that clients that write every field (the
 * official Java client sends {@code definitions: {}}, {@code enum: []}, {@code required: []}…) are read as upstream
 * reads them. Pointer fields ({@code default}, {@code items}, {@code minimum}, {@code x-kubernetes-preserve-unknown-fields}…)
 * keep their values, zero or not.
 */
final class SchemaOmitEmpty {
  private SchemaOmitEmpty() {}

  private static final Set<String> COLLECTIONS = Set.of("allOf", "oneOf", "anyOf", "properties", "patternProperties",
      "definitions", "dependencies", "enum", "required", "x-kubernetes-list-map-keys", "x-kubernetes-validations");
  private static final Set<String> BOOLEANS = Set.of("nullable", "uniqueItems", "exclusiveMaximum", "exclusiveMinimum",
      "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string");
  private static final Set<String> STRINGS = Set.of("id", "$schema", "type", "format", "title", "description", "pattern");
  /** Keywords whose value is a schema, or a list or map of schemas. */
  private static final Set<String> SUBSCHEMAS = Set.of("items", "additionalProperties", "additionalItems", "not", "allOf",
      "oneOf", "anyOf", "properties", "patternProperties", "definitions", "dependencies");

  /** Drops the unset values from {@code schema} and every schema inside it, in place. */
  static void apply(JsonNode schema) {
    if (!(schema instanceof ObjectNode n)) return;
    List<String> unset = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if ((COLLECTIONS.contains(k) && v.isContainer() && v.isEmpty())
          || (BOOLEANS.contains(k) && v.isBoolean() && !v.asBoolean())
          || (STRINGS.contains(k) && v.isString() && v.asString().isEmpty())) {
        unset.add(k);
      }
    }
    unset.forEach(n::remove);
    for (String k : SUBSCHEMAS) {
      JsonNode v = n.get(k);
      if (v == null) continue;
      boolean byName = k.equals("properties") || k.equals("patternProperties") || k.equals("definitions") || k.equals("dependencies");
      if (v.isArray() || (byName && v.isObject())) {
        for (JsonNode sub : v) apply(sub); // the elements, or the values of a map by name
      } else {
        apply(v);
      }
    }
  }
}
