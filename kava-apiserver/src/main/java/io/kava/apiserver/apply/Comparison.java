package io.kava.apiserver.apply;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What changed between two versions of an object, as three field sets: paths {@link #added}, {@link #modified}
 * and {@link #removed}. Leaves (scalars, atomic lists and objects, containers empty on both sides) are compared by
 * value; granular objects and set/map lists are walked, and a container that appears or disappears as a whole is
 * itself added or removed (FieldsV1's {@code "."}). A present JSON null counts as present: a container compared
 * with null adds its content but not itself.
 *
 * <p>Subtrees that are the same Java object on both sides are skipped without a look, so comparing an object with a
 * copy-on-write derivative of it costs only the changed paths.
 */
final class Comparison {
  final FieldSet added = new FieldSet();
  final FieldSet modified = new FieldSet();
  final FieldSet removed = new FieldSet();
  private final PathStack path = new PathStack();

  private Comparison() {}

  /** Compares two whole objects of type {@code root}; untracked fields (see {@link ObjectFields}) are ignored. */
  static Comparison of(JsonNode before, JsonNode after, ApplyType root) {
    Comparison c = new Comparison();
    for (String f : union(before, after)) {
      if (ObjectFields.untrackedRoot(f)) continue;
      JsonNode l = before.get(f);
      JsonNode r = after.get(f);
      if (f.equals("metadata")) {
        path(c, f);
        ApplyType mt = root.field(f);
        if ((l == null || l.isObject()) && (r == null || r.isObject()) && l != r) {
          for (String m : union(l, r)) {
            if (ObjectFields.untrackedMetadata(m)) continue;
            c.child(PathElements.field(m), l == null ? null : l.get(m), r == null ? null : r.get(m), mt.field(m));
          }
        }
        c.path.pop();
        continue;
      }
      c.child(PathElements.field(f), l, r, root.field(f));
    }
    return c;
  }

  private static void path(Comparison c, String f) { c.path.push(PathElements.field(f)); }

  /** Nothing added, modified or removed. */
  boolean isEmpty() { return added.isEmpty() && modified.isEmpty() && removed.isEmpty(); }

  /** Added and modified paths together: what the writer now owns. */
  FieldSet changed() {
    FieldSet s = added.copy();
    s.addAll(modified);
    return s;
  }

  private void child(String pe, JsonNode l, JsonNode r, ApplyType t) {
    path.push(pe);
    node(l, r, t);
    path.pop();
  }

  private void node(JsonNode l, JsonNode r, ApplyType t) {
    if (l == r) return; // same subtree (or both absent)
    boolean lc = l != null && l.isContainer();
    boolean rc = r != null && r.isContainer();
    if (!lc && !rc) {
      leaf(l, r);
      return;
    }
    // A container against a scalar, or an object against an array: a change of the leaf at this path.
    if ((lc && rc && l.isObject() != r.isObject()) || (lc && r != null && !rc && !r.isNull()) || (rc && l != null && !lc && !l.isNull())) {
      leaf(l, r);
      return;
    }
    JsonNode lv = lc ? l : null;
    JsonNode rv = rc ? r : null;
    boolean object = (lc ? l : r).isObject();
    boolean bothEmpty = (lv == null || lv.isEmpty()) && (rv == null || rv.isEmpty());
    if (bothEmpty) {
      leaf(l, r);
      return;
    }
    if (object) {
      if (t.atomicObject()) {
        leaf(l, r);
        return;
      }
      if (lv != null) {
        for (Map.Entry<String, JsonNode> e : lv.properties()) {
          String k = e.getKey();
          child(PathElements.field(k), e.getValue(), rv == null ? null : rv.get(k), t.field(k));
        }
      }
      if (rv != null) {
        for (Map.Entry<String, JsonNode> e : rv.properties()) {
          String k = e.getKey();
          if (lv == null || !lv.has(k)) child(PathElements.field(k), null, e.getValue(), t.field(k));
        }
      }
    } else {
      // an unchanged list costs one equality walk instead of keying every item on both sides
      if (lv != null && rv != null && Values.equal(lv, rv)) return;
      if (t.listType() == ApplyType.ListType.ATOMIC || !items(lv, rv, t)) {
        leaf(l, r);
        return;
      }
    }
    if (l == null) path.markIn(added);
    else if (r == null) path.markIn(removed);
  }

  /** Compares set/map list items by their path elements; false when a side cannot be indexed (then: atomic). */
  private boolean items(JsonNode l, JsonNode r, ApplyType t) {
    ListIndex li = l == null ? null : ListIndex.of(l, t);
    ListIndex ri = r == null ? null : ListIndex.of(r, t);
    if ((li != null && (li.error != null || li.duplicate != null)) || (ri != null && (ri.error != null || ri.duplicate != null))) return false;
    ApplyType element = t.listType() == ApplyType.ListType.SET ? ApplyType.DEDUCED : t.element();
    if (li != null) {
      for (int i = 0; i < li.elements.length; i++) {
        String pe = li.elements[i];
        Integer j = ri == null ? null : ri.first.get(pe);
        child(pe, l.get(i), j == null ? null : r.get(j), element);
      }
    }
    if (ri != null) {
      for (int j = 0; j < ri.elements.length; j++) {
        String pe = ri.elements[j];
        if (li != null && li.first.containsKey(pe)) continue;
        child(pe, null, r.get(j), element);
      }
    }
    return true;
  }

  private void leaf(JsonNode l, JsonNode r) {
    if (l == null) path.markIn(added);
    else if (r == null) path.markIn(removed);
    else if (!Values.equal(l, r)) path.markIn(modified);
  }

  private static Set<String> union(JsonNode a, JsonNode b) {
    Set<String> keys = new LinkedHashSet<>();
    if (a != null && a.isObject()) for (Iterator<String> it = a.propertyNames().iterator(); it.hasNext(); ) keys.add(it.next());
    if (b != null && b.isObject()) for (Iterator<String> it = b.propertyNames().iterator(); it.hasNext(); ) keys.add(it.next());
    return keys;
  }
}
