package io.kava.api.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper configuration kava uses for Kubernetes objects, and small tree helpers. */
public final class Json {
  /**
   * Property names are not canonicalized (interned in a symbol table shared by the parsers): managedFields hold keys
   * unique to an object ({@code k:{"ip":"10.0.3.7"}} for each pod IP), and every parse that adds a name to a full
   * table copies the table's whole hash area. The cluster benchmark measured 3.3 GB of such copies in 80 s of
   * scheduling (docs/benchmarks.md, issue 4); a pod with a unique key parsed in 24 µs canonicalized, 1.7 µs not.
   */
  public static final JsonMapper MAPPER = JsonMapper.builder(uncanonicalized()).build();

  /** A JSON factory whose parsers do not canonicalize property names (see {@link #MAPPER}). */
  public static JsonFactory uncanonicalized() {
    return JsonFactory.builder().disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES).build();
  }
  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  public static ObjectNode object() { return NODES.objectNode(); }

  public static JsonNode parse(byte[] bytes) { return MAPPER.readTree(bytes); }

  public static byte[] bytes(JsonNode node) { return MAPPER.writeValueAsBytes(node); }

  public static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  /** A string-to-string map field (labels, annotations, selectors) as an unmodifiable map; empty when absent. */
  public static Map<String, String> stringMap(JsonNode node) {
    if (node == null || !node.isObject() || node.isEmpty()) return Map.of();
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString());
    return Collections.unmodifiableMap(m);
  }
}
