package io.kava.apiserver.registry.crd;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drops the fields a structural schema does not declare, as upstream does before it stores a custom resource:
 * an object keeps only its {@code properties} (or every field under {@code additionalProperties}), unless it is
 * marked {@code x-kubernetes-preserve-unknown-fields: true}; an object schema with neither keeps no fields. At the
 * root of the resource and of every {@code x-kubernetes-embedded-resource}, {@code apiVersion}, {@code kind} and
 * {@code metadata} are always kept.
 *
 * <p>Strict field validation does not come from here: it is answered from the published OpenAPI schema before the
 * object is decoded, so a request with {@code fieldValidation=Strict} never reaches the pruning of a field.
 */
final class Pruning {
  private Pruning() {}

  private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

  /** Prunes a whole custom resource in place; returns the paths of the dropped fields (for logs and tests). */
  static List<String> prune(ObjectNode object, Schema root) {
    List<String> pruned = new ArrayList<>();
    if (root == Schema.ANY) return pruned;
    object(object, root, "", true, pruned);
    return pruned;
  }

  private static void value(JsonNode v, Schema s, String path, List<String> pruned) {
    if (v instanceof ObjectNode o) {
      object(o, s, path, s.embeddedResource, pruned);
    } else if (v.isArray() && s.items != null) {
      for (int i = 0; i < v.size(); i++) value(v.get(i), s.items, path + "[" + i + "]", pruned);
    }
  }

  private static void object(ObjectNode o, Schema s, String path, boolean resource, List<String> pruned) {
    // int-or-string and untyped value-validation-only schemas declare no structure: nothing to prune against
    if (s.intOrString) return;
    boolean keepUnknown = s.preserveUnknownFields || s.additionalPropertiesAllowed;
    for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      String child = path.isEmpty() ? key : path + "." + key;
      if (resource && RESOURCE_FIELDS.contains(key)) continue;
      Schema field = s.field(key);
      if (field != null) {
        value(e.getValue(), field, child, pruned);
      } else if (!keepUnknown) {
        it.remove();
        pruned.add(child);
      }
    }
  }
}
