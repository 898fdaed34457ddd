package io.kava.apiserver.apply;

import io.kava.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths, stored as a trie whose edges are path elements in their FieldsV1 spelling ({@code f:name},
 * {@code k:{"name":"c"}}, {@code v:"x"}, {@code i:0}; see {@link PathElements}). A node is a <em>member</em> when its
 * path itself is in the set; it may also have children (FieldsV1 writes that as {@code ".": {}}). The root is never a
 * member. Every non-root node is a member or has a descendant that is, so "a node exists" means "something at or below
 * this path is in the set".
 *
 * <p>Mutable and not thread-safe: sets are built and combined inside one request. Children are kept sorted so that
 * encoding is deterministic (a re-encoded unchanged set is byte-identical, which keeps no-op writes no-ops).
 */
public final class FieldSet {
  private boolean member;
  private TreeMap<String, FieldSet> children; // null while empty

  public FieldSet() {}

  /** True when no path is in the set. */
  public boolean isEmpty() { return !member && (children == null || children.isEmpty()); }

  /** Whether this node's own path is in the set. */
  public boolean member() { return member; }

  /** The child reached by path element {@code pe}, or null when nothing at or below it is in the set. */
  public FieldSet child(String pe) { return children == null ? null : children.get(pe); }

  /** Children in path-element order (read-only view). */
  public Map<String, FieldSet> children() { return children == null ? Map.of() : java.util.Collections.unmodifiableMap(children); }

  boolean hasChildren() { return children != null && !children.isEmpty(); }

  /** The child for {@code pe}, created when missing. */
  FieldSet childOrCreate(String pe) {
    if (children == null) children = new TreeMap<>();
    return children.computeIfAbsent(pe, k -> new FieldSet());
  }

  /** Adds the path made of {@code elements[0..length)}. */
  public FieldSet add(String... elements) {
    FieldSet n = this;
    for (String e : elements) n = n.childOrCreate(e);
    if (n != this) n.member = true;
    return this;
  }

  void addPath(String[] elements, int length) {
    if (length == 0) return;
    FieldSet n = this;
    for (int i = 0; i < length; i++) n = n.childOrCreate(elements[i]);
    n.member = true;
  }

  /** Whether the path is a member. */
  public boolean contains(String... elements) {
    FieldSet n = this;
    for (String e : elements) {
      n = n.child(e);
      if (n == null) return false;
    }
    return n != this && n.member;
  }

  public FieldSet copy() {
    FieldSet c = new FieldSet();
    c.member = member;
    if (children != null) {
      c.children = new TreeMap<>();
      for (Map.Entry<String, FieldSet> e : children.entrySet()) c.children.put(e.getKey(), e.getValue().copy());
    }
    return c;
  }

  /** Adds every path of {@code other} to this set. */
  public void addAll(FieldSet other) {
    if (other == null) return;
    member |= other.member;
    if (other.children == null) return;
    for (Map.Entry<String, FieldSet> e : other.children.entrySet()) {
      FieldSet mine = child(e.getKey());
      if (mine == null) childOrCreate(e.getKey()).addAll(e.getValue());
      else mine.addAll(e.getValue());
    }
  }

  /** Removes every member of {@code other} (exact paths; descendants of a removed path stay). */
  public void removeAll(FieldSet other) {
    if (other == null) return;
    if (other.member) member = false;
    if (children == null || other.children == null) return;
    // iterate the smaller side
    if (other.children.size() < children.size()) {
      for (Map.Entry<String, FieldSet> e : other.children.entrySet()) removeChild(e.getKey(), e.getValue());
    } else {
      for (String k : new ArrayList<>(children.keySet())) {
        FieldSet o = other.children.get(k);
        if (o != null) removeChild(k, o);
      }
    }
  }

  private void removeChild(String k, FieldSet other) {
    FieldSet mine = children.get(k);
    if (mine == null) return;
    mine.removeAll(other);
    if (mine.isEmpty()) children.remove(k);
  }

  /** Whether a path is a member of both sets. */
  public boolean intersects(FieldSet other) {
    if (other == null) return false;
    if (member && other.member) return true;
    if (children == null || other.children == null) return false;
    Map<String, FieldSet> small = children.size() <= other.children.size() ? children : other.children;
    Map<String, FieldSet> large = small == children ? other.children : children;
    for (Map.Entry<String, FieldSet> e : small.entrySet()) {
      FieldSet o = large.get(e.getKey());
      if (o != null && e.getValue().intersects(o)) return true;
    }
    return false;
  }

  /** The paths members of both sets (a new set). */
  public FieldSet intersection(FieldSet other) {
    FieldSet out = new FieldSet();
    if (other == null) return out;
    out.member = member && other.member;
    if (children != null && other.children != null) {
      Map<String, FieldSet> small = children.size() <= other.children.size() ? children : other.children;
      Map<String, FieldSet> large = small == children ? other.children : children;
      for (Map.Entry<String, FieldSet> e : small.entrySet()) {
        FieldSet o = large.get(e.getKey());
        if (o == null) continue;
        FieldSet i = e.getValue().intersection(o);
        if (!i.isEmpty()) {
          if (out.children == null) out.children = new TreeMap<>();
          out.children.put(e.getKey(), i);
        }
      }
    }
    return out;
  }

  /**
   * Whether a member of {@code set} is a member of the FieldsV1 JSON {@code fieldsV1}, read as is (its path elements
   * must be canonical, as the server writes them).
   */
  static boolean overlaps(FieldSet set, JsonNode fieldsV1) {
    if (set == null || set.children == null || fieldsV1 == null || !fieldsV1.isObject()) return false;
    for (Map.Entry<String, FieldSet> e : set.children.entrySet()) {
      JsonNode j = fieldsV1.get(e.getKey());
      if (j == null || !j.isObject()) continue;
      FieldSet c = e.getValue();
      if (c.member && (j.isEmpty() || j.has("."))) return true;
      if (c.hasChildren() && overlaps(c, j)) return true;
    }
    return false;
  }

  /**
   * Visits every member path, as upstream iterates a set: at each level the member elements first, then the
   * children's subtrees, each in path-element order.
   */
  public void forEachPath(Consumer<List<String>> visitor) {
    forEach(new ArrayList<>(), visitor);
  }

  private void forEach(List<String> prefix, Consumer<List<String>> visitor) {
    if (children == null) return;
    for (Map.Entry<String, FieldSet> e : children.entrySet()) {
      if (e.getValue().member) {
        prefix.add(e.getKey());
        visitor.accept(List.copyOf(prefix));
        prefix.remove(prefix.size() - 1);
      }
    }
    for (Map.Entry<String, FieldSet> e : children.entrySet()) {
      if (!e.getValue().hasChildren()) continue;
      prefix.add(e.getKey());
      e.getValue().forEach(prefix, visitor);
      prefix.remove(prefix.size() - 1);
    }
  }

  /** Number of member paths. */
  public int size() {
    int n = member ? 1 : 0;
    if (children != null) for (FieldSet c : children.values()) n += c.size();
    return n;
  }

  // ---------------------------------------------------------------- FieldsV1

  /** The FieldsV1 JSON of this set: {@code {"f:spec":{"f:replicas":{}}}}. */
  public ObjectNode toFieldsV1() {
    ObjectNode out = Json.object();
    writeChildren(out);
    return out;
  }

  private void writeChildren(ObjectNode out) {
    if (children == null) return;
    for (Map.Entry<String, FieldSet> e : children.entrySet()) {
      FieldSet c = e.getValue();
      ObjectNode o = out.putObject(e.getKey());
      if (c.member && c.hasChildren()) o.putObject(".");
      c.writeChildren(o);
    }
  }

  /**
   * Parses FieldsV1 JSON. Path elements are normalized (JSON in {@code k:} and {@code v:} re-encoded canonically) so
   * that sets written by clients compare equal to the ones the server computes.
   *
   * @throws IllegalArgumentException when the JSON is not a FieldsV1 document
   */
  public static FieldSet fromFieldsV1(JsonNode json) {
    FieldSet s = new FieldSet();
    if (json == null || json.isNull() || json.isMissingNode()) return s;
    if (!json.isObject()) throw new IllegalArgumentException("FieldsV1 must be a JSON object");
    s.readChildren(json);
    s.member = false;
    return s;
  }

  private void readChildren(JsonNode json) {
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (!v.isObject()) throw new IllegalArgumentException("FieldsV1 values must be objects, got " + v.getNodeType() + " at " + k);
      if (k.equals(".")) {
        member = true;
        continue;
      }
      FieldSet c = childOrCreate(PathElements.normalize(k));
      if (v.isEmpty()) c.member = true;
      else c.readChildren(v);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FieldSet f)) return false;
    return member == f.member && Objects.equals(children(), f.children());
  }

  @Override
  public int hashCode() { return Objects.hash(member, children()); }

  @Override
  public String toString() { return Json.MAPPER.writeValueAsString(toFieldsV1()); }
}
