package io.kava.apiserver.apply;

import io.kava.api.json.Json;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges an applied configuration into the live object and, in the same walk, removes what the applier applied
 * last time, no longer applies, and nobody else owns.
 *
 * <p>Merge rules by position: scalars and atomic lists/objects take the configuration's value; granular objects
 * merge key by key; set and map lists merge item by item (items matched by value or key, configuration order kept,
 * live-only items staying where they were). A JSON null in the configuration removes the field.
 *
 * <p>Removal rules: a field is removed when the applier's previous set has something at or below it and no manager
 * (the applier's new set included) has anything at or below it; a list item is removed when the applier owned the
 * item itself and no other manager owns the item itself. Where only some of a field's content goes, the walk
 * descends.
 *
 * <p>The live object is never modified: changed containers are new nodes and unchanged subtrees are shared with the
 * live object, so a {@link Comparison} of the two afterwards only walks the changes. Configuration containers are
 * copied in; its scalars are immutable and shared.
 */
final class Merger {
  private Merger() {}

  /** The merged object; {@code last} and {@code keep} are the applier's previous set and every owner's set (may be null). */
  static ObjectNode merge(ObjectNode live, ObjectNode config, ApplyType root, FieldSet last, FieldSet keep) {
    if (!config.path("metadata").isObject()) {
      // metadata is never removed (it holds untracked identity fields): merge an empty one so its fields are pruned one by one
      ObjectNode c = shallowCopy(config);
      c.putObject("metadata");
      config = c;
    }
    return (ObjectNode) mergeValue(live, config, root, last, keep);
  }

  private static JsonNode mergeValue(JsonNode live, JsonNode cfg, ApplyType t, FieldSet last, FieldSet keep) {
    if (cfg.isNull()) return null;
    if (!cfg.isContainer()) return cfg;
    if (cfg.isObject()) {
      if (t.atomicObject() || live == null || !live.isObject()) return copy(cfg);
      ObjectNode result = shallowCopy((ObjectNode) live);
      for (Map.Entry<String, JsonNode> e : cfg.properties()) {
        String k = e.getKey();
        String pe = PathElements.field(k);
        JsonNode m = mergeValue(live.get(k), e.getValue(), t.field(k), child(last, pe), child(keep, pe));
        if (m == null) result.remove(k);
        else result.set(k, m);
      }
      if (last != null && last.hasChildren()) {
        for (Map.Entry<String, JsonNode> e : live.properties()) {
          if (!cfg.has(e.getKey())) pruneField(result, e.getKey(), e.getValue(), t.field(e.getKey()), last, keep);
        }
      }
      return result;
    }
    // an array
    if (t.listType() == ApplyType.ListType.ATOMIC || live == null || !live.isArray()) return copy(cfg);
    ListIndex li = ListIndex.of(live, t);
    ListIndex ci = ListIndex.of(cfg, t);
    if (li.error != null || ci.error != null) return copy(cfg);
    ApplyType element = t.listType() == ApplyType.ListType.SET ? ApplyType.DEDUCED : t.element();
    ArrayNode out = Json.NODES.arrayNode(Math.max(live.size(), cfg.size()));
    Set<String> emitted = new HashSet<>();
    int nextCfg = 0;
    for (int i = 0; i < live.size(); i++) {
      String pe = li.elements[i];
      Integer cj = ci.first.get(pe);
      if (cj != null) {
        // Configuration items up to this shared one come first, in configuration order.
        while (nextCfg <= cj) nextCfg = emit(out, emitted, nextCfg, live, li, cfg, ci, element, last, keep);
        continue;
      }
      if (emitted.contains(pe)) continue; // a duplicate of an item already merged
      JsonNode item = live.get(i);
      FieldSet lastItem = child(last, pe);
      if (lastItem == null) {
        out.add(item);
        continue;
      }
      FieldSet keepItem = child(keep, pe);
      if (lastItem.member() && (keepItem == null || !keepItem.member())) continue; // applied before, not now, unowned
      out.add(lastItem.hasChildren() ? pruneOnly(item, element, lastItem, keepItem) : item);
    }
    while (nextCfg < cfg.size()) nextCfg = emit(out, emitted, nextCfg, live, li, cfg, ci, element, last, keep);
    return out;
  }

  private static int emit(ArrayNode out, Set<String> emitted, int j, JsonNode live, ListIndex li, JsonNode cfg, ListIndex ci,
                          ApplyType element, FieldSet last, FieldSet keep) {
    String pe = ci.elements[j];
    if (emitted.add(pe)) {
      Integer i = li.first.get(pe);
      JsonNode m = mergeValue(i == null ? null : live.get(i), cfg.get(j), element, child(last, pe), child(keep, pe));
      if (m != null) out.add(m);
    }
    return j + 1;
  }

  /** Applies the removal rule to field {@code k} of {@code result} (whose live value is {@code value}). */
  private static void pruneField(ObjectNode result, String k, JsonNode value, ApplyType t, FieldSet last, FieldSet keep) {
    String pe = PathElements.field(k);
    FieldSet lastField = child(last, pe);
    if (lastField == null) return;
    FieldSet keepField = child(keep, pe);
    if (keepField == null) {
      result.remove(k);
    } else if (lastField.hasChildren() && value.isContainer()) {
      JsonNode pruned = pruneOnly(value, t, lastField, keepField);
      if (pruned != value) result.set(k, pruned);
    }
  }

  /** Removes, below a value the configuration does not mention, what the removal rule says; copies only if needed. */
  private static JsonNode pruneOnly(JsonNode value, ApplyType t, FieldSet last, FieldSet keep) {
    if (value.isObject()) {
      if (t.atomicObject()) return value;
      ObjectNode result = null;
      for (Map.Entry<String, FieldSet> e : last.children().entrySet()) {
        String pe = e.getKey();
        if (!pe.startsWith("f:")) continue;
        String k = pe.substring(2);
        JsonNode v = value.get(k);
        if (v == null) continue;
        FieldSet keepField = child(keep, pe);
        if (keepField != null && !(e.getValue().hasChildren() && v.isContainer())) continue;
        if (result == null) result = shallowCopy((ObjectNode) value);
        pruneField(result, k, v, t.field(k), last, keep);
      }
      return result == null ? value : result;
    }
    if (value.isArray() && t.listType() != ApplyType.ListType.ATOMIC) {
      ListIndex li = ListIndex.of(value, t);
      if (li.error != null) return value;
      ApplyType element = t.listType() == ApplyType.ListType.SET ? ApplyType.DEDUCED : t.element();
      ArrayNode out = null;
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        JsonNode kept = item;
        FieldSet lastItem = child(last, li.elements[i]);
        if (lastItem != null) {
          FieldSet keepItem = child(keep, li.elements[i]);
          if (lastItem.member() && (keepItem == null || !keepItem.member())) kept = null;
          else if (lastItem.hasChildren()) kept = pruneOnly(item, element, lastItem, keepItem);
        }
        if (kept != item && out == null) {
          out = Json.NODES.arrayNode(value.size());
          for (int p = 0; p < i; p++) out.add(value.get(p));
        }
        if (out != null && kept != null) out.add(kept);
      }
      return out == null ? value : out;
    }
    return value;
  }

  private static FieldSet child(FieldSet s, String pe) { return s == null ? null : s.child(pe); }

  private static ObjectNode shallowCopy(ObjectNode o) {
    ObjectNode c = Json.object();
    for (Map.Entry<String, JsonNode> e : o.properties()) c.set(e.getKey(), e.getValue());
    return c;
  }

  /** A deep copy of a configuration subtree without its null-valued fields (null means "absent" in the result). */
  static JsonNode copy(JsonNode cfg) {
    if (cfg.isObject()) {
      ObjectNode c = Json.object();
      for (Map.Entry<String, JsonNode> e : cfg.properties()) {
        if (!e.getValue().isNull()) c.set(e.getKey(), copy(e.getValue()));
      }
      return c;
    }
    if (cfg.isArray()) {
      ArrayNode a = Json.NODES.arrayNode(cfg.size());
      for (JsonNode v : cfg) a.add(copy(v));
      return a;
    }
    return cfg;
  }
}
