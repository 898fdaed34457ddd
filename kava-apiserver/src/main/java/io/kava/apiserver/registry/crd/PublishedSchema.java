package io.kava.apiserver.registry.crd;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The form in which a CRD version's schema is published in /openapi/v2 and /openapi/v3 (what {@code kubectl explain}
 * and client-side validation read): the structural part and the value checks OpenAPI v2 can state. Like upstream's
 * v2 conversion it drops the logic junctors (allOf, anyOf, oneOf, not) and {@code nullable}, and leaves
 * int-or-string fields untyped. {@code metadata}, {@code apiVersion} and {@code kind} at the root are left out:
 * the OpenAPI service states them as for every kind.
 */
final class PublishedSchema {
  private PublishedSchema() {}

  private static final List<String> DROPPED = List.of("allOf", "anyOf", "oneOf", "not", "nullable");

  static ObjectNode of(JsonNode openAPIV3Schema) {
    ObjectNode root = openAPIV3Schema != null && openAPIV3Schema.isObject()
        ? ((ObjectNode) openAPIV3Schema).deepCopy() : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    strip(root);
    if (root.get("properties") instanceof ObjectNode props) {
      props.remove("metadata");
      props.remove("apiVersion");
      props.remove("kind");
    }
    return root;
  }

  private static void strip(ObjectNode n) {
    for (String k : DROPPED) n.remove(k);
    if (n.path("x-kubernetes-int-or-string").asBoolean(false)) n.remove("type");
    if (n.get("properties") instanceof ObjectNode props) {
      for (Map.Entry<String, JsonNode> e : props.properties()) if (e.getValue() instanceof ObjectNode o) strip(o);
    }
    if (n.get("items") instanceof ObjectNode items) strip(items);
    if (n.get("additionalProperties") instanceof ObjectNode ap) strip(ap);
  }
}
