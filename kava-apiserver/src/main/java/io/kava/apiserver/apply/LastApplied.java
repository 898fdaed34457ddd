package io.kava.apiserver.apply;

import io.kava.api.json.Json;
import io.kava.apiserver.wire.GoJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Migration from client-side to server-side apply (upstream's last-applied manager and updater), for the applier
 * {@code kubectl} only: conflicts on fields whose live value is still the one in the
 * {@code kubectl.kubernetes.io/last-applied-configuration} annotation are not conflicts, and a successful apply
 * rewrites that annotation to the applied configuration so that a later client-side apply diffs correctly.
 */
final class LastApplied {
  private LastApplied() {}

  /** The conflicts the annotation does not excuse (all of them when the object has no usable annotation). */
  static List<Conflict> notAllowed(List<Conflict> conflicts, JsonNode live, ApplyType root) {
    JsonNode lastApplied = parse(live.path("metadata").path("annotations").get(ApplyPatch.LAST_APPLIED));
    if (lastApplied == null) return conflicts;
    List<Conflict> remaining = new ArrayList<>();
    for (Conflict c : conflicts) {
      FieldSet left = new FieldSet();
      c.fields().forEachPath(path -> {
        JsonNode then = resolve(lastApplied, path, root);
        JsonNode now = resolve(live, path, root);
        if (then == null || now == null || !Values.equal(then, now)) left.add(path.toArray(String[]::new));
      });
      if (!left.isEmpty()) remaining.add(new Conflict(c.entry(), left));
    }
    return remaining;
  }

  /**
   * Sets the annotation, if the object has it, to the applied configuration (without the annotation itself).
   *
   * @param meta the result's metadata (a node the caller owns)
   * @return whether the annotation changed
   */
  static boolean sync(ObjectNode meta, ObjectNode applied) {
    JsonNode annotations = meta.get("annotations");
    if (annotations == null || !annotations.isObject() || !annotations.has(ApplyPatch.LAST_APPLIED)) return false;
    ObjectNode copy = applied.deepCopy();
    JsonNode appliedAnnotations = copy.path("metadata").get("annotations");
    // An emptied map stays as {} (upstream deletes the key and sets the map back, it does not drop it).
    if (appliedAnnotations instanceof ObjectNode a) a.remove(ApplyPatch.LAST_APPLIED);
    String value = GoJson.encode(copy) + "\n";
    if (value.equals(annotations.get(ApplyPatch.LAST_APPLIED).asString())) return false;
    ObjectNode updated = Json.object();
    for (Map.Entry<String, JsonNode> e : annotations.properties()) updated.set(e.getKey(), e.getValue());
    updated.put(ApplyPatch.LAST_APPLIED, value);
    meta.set("annotations", updated);
    return true;
  }

  private static JsonNode parse(JsonNode annotation) {
    if (annotation == null || !annotation.isString()) return null;
    try {
      JsonNode n = Json.MAPPER.readTree(annotation.asString());
      return n != null && n.isObject() ? n : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The value at {@code path} in {@code object}, or null. */
  static JsonNode resolve(JsonNode object, List<String> path, ApplyType root) {
    JsonNode n = object;
    ApplyType t = root;
    for (String pe : path) {
      if (n == null) return null;
      switch (pe.charAt(0)) {
        case 'f' -> {
          String name = pe.substring(2);
          n = n.isObject() ? n.get(name) : null;
          t = t.field(name);
        }
        case 'i' -> {
          int i = Integer.parseInt(pe.substring(2));
          n = n.isArray() && i < n.size() ? n.get(i) : null;
          t = t.element();
        }
        case 'k', 'v' -> {
          if (!n.isArray() || t.listType() == ApplyType.ListType.ATOMIC) return null;
          ListIndex index = ListIndex.of(n, t);
          if (index.error != null) return null;
          Integer i = index.first.get(pe);
          n = i == null ? null : n.get(i);
          t = t.listType() == ApplyType.ListType.SET ? ApplyType.DEDUCED : t.element();
        }
        default -> {
          return null;
        }
      }
    }
    return n;
  }
}
