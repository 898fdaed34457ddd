package io.kava.apiserver.patch;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes strategic merge patch ({@code application/strategic-merge-patch+json}), as kube-apiserver applies it.
 *
 * <p>Like a JSON merge patch (objects merge, {@code null} deletes a member) except where the field metadata
 * ({@link PatchMeta}) says otherwise: lists with {@code patchStrategy=merge} merge — lists of objects by their
 * {@code patchMergeKey} (containers by name, ports by containerPort, ...), lists of scalars as sets
 * (finalizers); maps with {@code patchStrategy=replace} are replaced. Directives:
 * <ul>
 *   <li>{@code $patch: replace} in an object replaces it; {@code $patch: delete} empties it; in a merging list an
 *       element {@code {"$patch": "replace"}} replaces the list and {@code {"name": "x", "$patch": "delete"}}
 *       deletes the elements with that key;</li>
 *   <li>{@code $deleteFromPrimitiveList/<field>: [...]} removes those values from a list of scalars;</li>
 *   <li>{@code $setElementOrder/<field>: [...]} fixes the order of a merging list (kubectl's "parallel list");</li>
 *   <li>{@code $retainKeys: [...]} drops every other member of the object (kubectl sends it for
 *       {@code patchStrategy=retainKeys} fields such as a Deployment's strategy and a volume's source).</li>
 * </ul>
 * Element order follows upstream exactly: patch elements in the patch's order, live-only elements interleaved by
 * their live order (so, without {@code $setElementOrder}, a new element lands first).
 *
 * <p>Errors as upstream maps them: a body that is not a JSON object is 400; malformed directives
 * ({@code $retainKeys}, {@code $setElementOrder}, {@code $deleteFromPrimitiveList}) are 400; a list of lists is
 * 422 with the generic text; other failures (missing merge key, unknown {@code $patch} value, order mismatch)
 * are plain errors upstream, which it renders as 500 with the error text.
 *
 * <p>Where upstream would drop something while decoding the result into the Go type (explicit {@code null}s and
 * leftover directive keys inside values taken from the patch), this engine drops it, since kava stores JSON.
 */
public final class StrategicMergePatch {
  static final String DIRECTIVE = "$patch";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
  static final String SET_ELEMENT_ORDER = "$setElementOrder";

  private StrategicMergePatch() {}

  /**
   * Applies {@code body} to a copy of {@code current} (not modified) of a built-in kind.
   *
   * @throws StatusException 415 when the kind has no strategic-merge metadata (custom resources)
   */
  public static ObjectNode apply(JsonNode current, byte[] body, String apiVersion, String kind) {
    PatchMeta.Node schema = PatchMeta.forKind(apiVersion, kind);
    if (schema == null) throw PatchType.unsupported(PatchType.CUSTOM);
    return apply(current, body, schema);
  }

  /** Applies {@code body} to a copy of {@code current} (not modified), walking {@code schema} for field metadata. */
  public static ObjectNode apply(JsonNode current, byte[] body, PatchMeta.Node schema) {
    ObjectNode patch = decode(body);
    if (!(current instanceof ObjectNode obj)) throw StatusException.badRequest("invalid JSON document");
    if (patch == null) return obj.deepCopy();
    return applyInPlace(obj.deepCopy(), patch, schema);
  }

  /**
   * Applies a parsed patch to {@code target} and returns the result (usually {@code target} itself, modified; a new
   * object when the patch's root carries {@code $patch}). Both trees are consumed: the patch's subtrees move into
   * the result, so pass a patch you own. On failure {@code target} may be partly modified.
   */
  public static ObjectNode applyInPlace(ObjectNode target, ObjectNode patch, PatchMeta.Node schema) {
    return mergeMap(target, patch, schema == null ? PatchMeta.UNKNOWN : schema);
  }

  /** Parses a body: a JSON object, or {@code null} (which changes nothing and is returned as {@code null}). */
  static ObjectNode decode(byte[] body) {
    JsonNode patch = PatchSupport.parseBody(body);
    if (patch.isNull()) return null;
    if (!(patch instanceof ObjectNode o)) {
      throw StatusException.badRequest("json: cannot unmarshal " + PatchSupport.goJsonKind(patch)
          + " into Go value of type map[string]interface {}");
    }
    return o;
  }

  // ------------------------------------------------------------------ maps

  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchMeta.Node schema) {
    JsonNode directive = patch.get(DIRECTIVE);
    if (directive != null) return mapDirective(directive, patch);
    if (original == null) original = Json.object();

    applyRetainKeys(original, patch);
    mergeOrderedLists(original, patch, schema);

    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String key = e.getKey();
      JsonNode patchV = e.getValue();
      boolean deleteList = false;
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        key = extractKey(key, DELETE_FROM_PRIMITIVE_LIST);
        deleteList = true;
      }
      if (patchV.isNull()) {
        original.remove(key);
        continue;
      }
      JsonNode origV = original.get(key);
      if (origV == null || !PatchSupport.goType(origV).equals(PatchSupport.goType(patchV))) {
        // not in the original (or of another type): take the patch value
        if (!deleteList) putNew(original, key, patchV);
        continue;
      }
      PatchMeta.Node child = schema.child(key);
      if (origV instanceof ObjectNode origObj) {
        if (child.patchStrategy().equals("replace")) original.set(key, scrub(patchV));
        else original.set(key, mergeMap(origObj, (ObjectNode) patchV, child));
      } else if (origV instanceof ArrayNode origArr) {
        if (child.patchStrategy().equals("merge") || deleteList) {
          original.set(key, mergeList(origArr, (ArrayNode) patchV, child, deleteList, null));
        } else {
          original.set(key, scrub(patchV));
        }
      } else {
        original.set(key, patchV);
      }
    }
    return original;
  }

  /** {@code $patch} in an object: replace keeps the patch, delete empties it. */
  private static ObjectNode mapDirective(JsonNode directive, ObjectNode patch) {
    String d = directive.isString() ? directive.stringValue() : null;
    if ("replace".equals(d)) {
      patch.remove(DIRECTIVE);
      return (ObjectNode) scrub(patch);
    }
    if ("delete".equals(d)) return Json.object();
    throw PatchSupport.plainError("unknown patch type: " + directive.asString() + " in map: " + PatchSupport.goValue(patch));
  }

  /** A value absent from the original: nulls and directive-bearing objects are dropped from it. */
  private static void putNew(ObjectNode original, String key, JsonNode patchV) {
    discardNulls(patchV);
    JsonNode v = removeDirectives(patchV);
    if (v == null) original.remove(key);
    else original.set(key, scrub(v));
  }

  private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
    JsonNode retain = patch.remove(RETAIN_KEYS);
    if (retain == null) return;
    if (!retain.isArray()) throw StatusException.badRequest("invalid patch format of retainKeys");
    Set<String> keep = new HashSet<>();
    for (JsonNode k : retain) if (k.isString()) keep.add(k.stringValue());
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String k = e.getKey();
      if (e.getValue().isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
      if (!keep.contains(k)) throw StatusException.badRequest("invalid patch format of retainKeys");
    }
    original.properties().removeIf(e -> !keep.contains(e.getKey()));
  }

  /** {@code <prefix>/<field>} to {@code <field>}; a malformed key is 400 as upstream. */
  private static String extractKey(String key, String prefix) {
    int slash = key.indexOf('/');
    if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
      throw StatusException.badRequest(prefix.equals(SET_ELEMENT_ORDER)
          ? "invalid patch format of setElementOrder list" : "invalid patch format of primitive list");
    }
    return key.substring(slash + 1);
  }

  // ------------------------------------------------------------------ $setElementOrder

  /**
   * Merges each list that has a {@code $setElementOrder/<field>} together with it and puts the result in the order
   * the directive gives (live-only elements interleaved by their live order). Removes both from the patch.
   */
  private static void mergeOrderedLists(ObjectNode original, ObjectNode patch, PatchMeta.Node schema) {
    List<String> orderKeys = null;
    for (String k : patch.propertyNames()) {
      if (k.startsWith(SET_ELEMENT_ORDER)) {
        if (orderKeys == null) orderKeys = new ArrayList<>();
        orderKeys.add(k);
      }
    }
    if (orderKeys == null) return;
    for (String orderKey : orderKeys) {
      JsonNode order = patch.remove(orderKey);
      if (!(order instanceof ArrayNode setOrder)) throw badArgType("[]interface {}", order);
      String field = extractKey(orderKey, SET_ELEMENT_ORDER);
      JsonNode origV = original.get(field);
      JsonNode patchV = patch.get(field);
      if (origV != null && !origV.isArray()) throw badArgType("[]interface {}", origV);
      if (patchV != null && !patchV.isArray()) throw badArgType("[]interface {}", patchV);
      ArrayNode origList = (ArrayNode) origV;
      ArrayNode patchList = (ArrayNode) patchV;
      PatchMeta.Node child = schema.child(field);
      String mergeKey = child.mergeKey();
      validateOrder(patchList, setOrder, mergeKey);

      List<JsonNode> liveOrder = origList == null ? List.of() : snapshot(origList);
      List<JsonNode> patchElems = patchList == null ? List.of() : snapshot(patchList);
      List<JsonNode> serverOrder = liveOrder;
      List<JsonNode> merged;
      if (origList != null && patchList == null) {
        merged = liveOrder;
      } else if (origList == null && patchList != null) {
        discardNulls(patchList);
        merged = snapshot((ArrayNode) scrub(removeDirectives(patchList)));
      } else if (origList != null) {
        if (child.patchStrategy().equals("merge")) {
          serverOrder = new ArrayList<>(liveOrder);
          merged = snapshot(mergeList(origList, patchList, child, false, serverOrder));
        } else {
          merged = snapshot((ArrayNode) scrub(patchList));
        }
      } else {
        continue;
      }
      String kind = elementType(serverOrder, patchElems);
      if (kind.equals("map") && mergeKey.isEmpty()) {
        // upstream requires the (empty) merge key in every element and fails
        throw noMergeKey(!serverOrder.isEmpty() ? serverOrder.get(0) : patchElems.get(0), "");
      }
      KeyFn keyFn = keyFn(mergeKey, kind);
      Set<Object> inOrder = keySet(setOrder, keyFn, mergeKey);
      List<JsonNode> patchItems = new ArrayList<>();
      List<JsonNode> serverOnly = new ArrayList<>();
      for (JsonNode v : merged) {
        (inOrder.contains(keyFn.partitionKey(v)) ? patchItems : serverOnly).add(v);
      }
      original.set(field, order(patchItems, serverOnly, snapshot(setOrder), serverOrder, keyFn));
      patch.remove(field);
    }
  }

  /**
   * Upstream's check that the patch list is a subsequence of the {@code $setElementOrder} list (elements carrying a
   * directive skipped).
   */
  private static void validateOrder(ArrayNode patchList, ArrayNode setOrder, String mergeKey) {
    if (patchList == null || patchList.isEmpty() || setOrder.isEmpty()) return;
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode v : patchList) {
      if (!mergeKey.isEmpty()) {
        if (!v.isObject()) throw badArgType("map[string]interface {}", v);
        if (isDelete(v)) continue;
      }
      items.add(v);
    }
    int pi = 0, si = 0;
    while (pi < items.size() && si < setOrder.size()) {
      JsonNode p = items.get(pi);
      if (p.isObject() && p.has(DIRECTIVE)) {
        pi++;
        continue;
      }
      if (mergeKeyEqual(p, setOrder.get(si), mergeKey)) pi++;
      si++;
    }
    if (pi < items.size() && si >= setOrder.size()) {
      throw PatchSupport.plainError("The order in patch list:\n" + PatchSupport.goValue(patchList) + "\n doesn't match "
          + SET_ELEMENT_ORDER + " list:\n" + PatchSupport.goValue(setOrder) + "\n");
    }
  }

  private static boolean mergeKeyEqual(JsonNode left, JsonNode right, String mergeKey) {
    if (mergeKey.isEmpty()) return PatchSupport.sameScalar(left, right);
    if (!left.isObject()) throw badArgType("map[string]interface {}", left);
    if (!right.isObject()) throw badArgType("map[string]interface {}", right);
    JsonNode l = left.get(mergeKey);
    if (l == null) throw noMergeKey(left, mergeKey);
    JsonNode r = right.get(mergeKey);
    if (r == null) throw noMergeKey(right, mergeKey);
    return PatchSupport.sameScalar(l, r);
  }

  // ------------------------------------------------------------------ lists

  /**
   * A merging list (or a {@code $deleteFromPrimitiveList}) merged with the live list.
   *
   * @param goView when not null, a copy of the live list that this method updates the way upstream's Go code
   *               overwrites the live slice's backing array: each deletion shifts the later elements left in
   *               place, and appended elements then fill the vacated tail slots. Upstream orders a
   *               {@code $setElementOrder} list by that array, so deleting and adding in one patch moves where
   *               live-only elements land; {@link #mergeOrderedLists} passes the view to reproduce it.
   */
  private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, PatchMeta.Node field, boolean deleteList,
                                     List<JsonNode> goView) {
    if (original.isEmpty() && patch.isEmpty()) return original;
    List<JsonNode> live = snapshot(original);
    List<JsonNode> patchElems = snapshot(patch);
    String kind = elementType(live, patchElems);
    String mergeKey = field.mergeKey();

    if (!kind.equals("map")) {
      if (deleteList) {
        Set<Object> drop = new HashSet<>();
        for (JsonNode v : patchElems) drop.add(PatchSupport.scalarKey(v));
        ArrayNode out = Json.NODES.arrayNode();
        for (JsonNode v : live) if (!drop.contains(PatchSupport.scalarKey(v))) out.add(v);
        return out;
      }
      // a set union: live values, then new patch values, each once
      Set<Object> seen = new HashSet<>();
      List<JsonNode> merged = new ArrayList<>();
      for (JsonNode v : live) if (seen.add(PatchSupport.scalarKey(v))) merged.add(v);
      for (JsonNode v : patchElems) if (seen.add(PatchSupport.scalarKey(v))) merged.add(v);
      KeyFn keyFn = keyFn("", kind);
      return partitionAndOrder(merged, patchElems, live, keyFn, "");
    }

    if (mergeKey.isEmpty()) throw PatchSupport.plainError("cannot merge lists without merge key for struct");
    KeyFn keyFn = keyFn(mergeKey, kind);
    PatchMeta.Node elementSchema = field.element();

    // special elements: {"$patch": "delete", key: v} and {"$patch": "replace"}
    List<JsonNode> plain = new ArrayList<>(patchElems.size());
    boolean replace = false;
    for (JsonNode v : patchElems) {
      JsonNode directive = v.get(DIRECTIVE);
      if (directive == null) {
        plain.add(v);
        continue;
      }
      String d = directive.isString() ? directive.stringValue() : null;
      if ("delete".equals(d)) {
        JsonNode value = v.get(mergeKey);
        if (value == null) throw noMergeKey(v, mergeKey);
        Object k = PatchSupport.scalarKey(value);
        for (JsonNode item : live) if (!item.isObject()) throw notAMap(live.indexOf(item));
        for (int i = 0; i < live.size(); ) {
          JsonNode item = live.get(i);
          if (item.has(mergeKey) && PatchSupport.scalarKey(item.get(mergeKey)).equals(k)) {
            if (goView != null) {
              for (int j = i; j < live.size() - 1; j++) goView.set(j, goView.get(j + 1));
            }
            live.remove(i);
          } else {
            i++;
          }
        }
      } else if ("replace".equals(d)) {
        replace = true; // keep going: other directive elements are still removed
      } else if ("merge".equals(d)) {
        throw PatchSupport.plainError("merging lists cannot yet be specified in the patch");
      } else {
        throw PatchSupport.plainError("unknown patch type: " + directive.asString() + " in map: " + PatchSupport.goValue(v));
      }
    }
    if (replace) {
      List<JsonNode> replaced = new ArrayList<>(plain.size());
      for (JsonNode v : plain) replaced.add(scrub(v));
      return partitionAndOrder(replaced, List.of(), replaced, keyFn, mergeKey);
    }

    // merge plain patch elements into the live ones by key; unknown keys are appended
    List<JsonNode> merged = new ArrayList<>(live);
    Map<Object, Integer> byKey = new HashMap<>();
    for (int i = 0; i < merged.size(); i++) {
      JsonNode item = merged.get(i);
      if (!item.isObject()) throw notAMap(i);
      JsonNode kv = item.get(mergeKey);
      if (kv != null) byKey.putIfAbsent(PatchSupport.scalarKey(kv), i);
    }
    for (JsonNode v : plain) {
      JsonNode kv = v.get(mergeKey);
      if (kv == null) throw noMergeKey(v, mergeKey);
      Object k = PatchSupport.scalarKey(kv);
      Integer at = byKey.get(k);
      if (at != null) {
        merged.set(at, mergeMap((ObjectNode) merged.get(at), (ObjectNode) v, elementSchema));
      } else {
        if (goView != null && merged.size() < goView.size()) goView.set(merged.size(), v);
        byKey.put(k, merged.size());
        merged.add(scrub(v));
      }
    }
    return partitionAndOrder(merged, plain, live, keyFn, mergeKey);
  }

  /** Splits merged elements into those named by the patch and live-only ones, then orders them as upstream does. */
  private static ArrayNode partitionAndOrder(List<JsonNode> merged, List<JsonNode> patch, List<JsonNode> live, KeyFn keyFn, String mergeKey) {
    Set<Object> inPatch = new HashSet<>();
    for (JsonNode v : patch) {
      if (!mergeKey.isEmpty() && !v.isObject()) throw notAMap(patch.indexOf(v));
      inPatch.add(keyFn.partitionKey(v));
    }
    List<JsonNode> patchItems = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode v : merged) {
      if (!mergeKey.isEmpty() && !v.has(mergeKey)) throw noMergeKey(v, mergeKey);
      (inPatch.contains(keyFn.partitionKey(v)) ? patchItems : serverOnly).add(v);
    }
    return order(patchItems, serverOnly, patch, live, keyFn);
  }

  /**
   * Upstream's normalizeElementOrder: patch items sorted by the patch (or {@code $setElementOrder}) order, live-only
   * items by the live order, then the live-only items are slotted in before the first patch item that comes after
   * them in the live list. A patch item not in the live list wins every comparison, so it goes first.
   */
  private static ArrayNode order(List<JsonNode> patchItems, List<JsonNode> serverOnly, List<JsonNode> patchOrder,
                                 List<JsonNode> serverOrder, KeyFn keyFn) {
    if (keyFn.mergeKey != null) {
      requireKeys(patchItems, keyFn.mergeKey);
      requireKeys(serverOnly, keyFn.mergeKey);
      requireKeys(patchOrder, keyFn.mergeKey);
      requireKeys(serverOrder, keyFn.mergeKey);
    }
    Map<Object, Integer> patchIndex = firstIndex(patchOrder, keyFn);
    Map<Object, Integer> serverIndex = firstIndex(serverOrder, keyFn);
    List<JsonNode> right = sortBy(patchItems, patchIndex, keyFn);
    List<JsonNode> left = sortBy(serverOnly, serverIndex, keyFn);
    ArrayNode out = Json.NODES.arrayNode();
    int i = 0, j = 0;
    while (i < left.size() || j < right.size()) {
      if (i >= left.size()) {
        out.add(right.get(j++));
      } else if (j >= right.size()) {
        out.add(left.get(i++));
      } else {
        Integer li = serverIndex.get(keyFn.orderKey(left.get(i)));
        Integer ri = serverIndex.get(keyFn.orderKey(right.get(j)));
        if (li != null && ri != null && li < ri) out.add(left.get(i++));
        else out.add(right.get(j++));
      }
    }
    return out;
  }

  private static List<JsonNode> sortBy(List<JsonNode> items, Map<Object, Integer> index, KeyFn keyFn) {
    List<JsonNode> deletes = null;
    List<JsonNode> sorted = new ArrayList<>(items.size());
    for (JsonNode v : items) {
      if (keyFn.mergeKey != null && isDelete(v)) {
        if (deletes == null) deletes = new ArrayList<>();
        deletes.add(v);
      } else {
        sorted.add(v);
      }
    }
    sorted.sort(Comparator.comparingInt(v -> index.getOrDefault(keyFn.orderKey(v), Integer.MAX_VALUE)));
    if (deletes != null) sorted.addAll(deletes);
    return sorted;
  }

  private static Map<Object, Integer> firstIndex(List<JsonNode> list, KeyFn keyFn) {
    Map<Object, Integer> m = new HashMap<>();
    for (int i = 0; i < list.size(); i++) m.putIfAbsent(keyFn.orderKey(list.get(i)), i);
    return m;
  }

  private static Set<Object> keySet(ArrayNode list, KeyFn keyFn, String mergeKey) {
    Set<Object> s = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode v = list.get(i);
      if (!mergeKey.isEmpty() && !v.isObject()) throw notAMap(i);
      s.add(keyFn.partitionKey(v));
    }
    return s;
  }

  private static void requireKeys(List<JsonNode> list, String mergeKey) {
    for (JsonNode v : list) {
      if (!v.isObject()) throw badArgType("map[string]interface {}", v);
      if (!v.has(mergeKey)) throw noMergeKey(v, mergeKey);
    }
  }

  /**
   * How list elements are identified: by the merge key's value for lists of objects, by value for scalars. For
   * a list of objects without a merge key (a {@code $setElementOrder} on an untagged list) nothing matches.
   */
  private static final class KeyFn {
    final String mergeKey; // null: elements are scalars

    private KeyFn(String mergeKey) { this.mergeKey = mergeKey; }

    Object orderKey(JsonNode v) {
      if (mergeKey == null) return PatchSupport.scalarKey(v);
      return v.isObject() ? PatchSupport.scalarKey(v.get(mergeKey)) : PatchSupport.scalarKey(null);
    }

    Object partitionKey(JsonNode v) { return orderKey(v); }
  }

  private static KeyFn keyFn(String mergeKey, String kind) {
    return new KeyFn(kind.equals("map") && !mergeKey.isEmpty() ? mergeKey : null);
  }

  /** The Go type of the lists' elements; they must agree and must not be lists. */
  private static String elementType(List<JsonNode> a, List<JsonNode> b) {
    String type = null;
    for (List<JsonNode> list : List.of(a, b)) {
      for (JsonNode v : list) {
        String t = PatchSupport.goType(v);
        if (type == null) {
          type = t;
          if (t.equals("slice")) throw PatchSupport.genericInvalid(); // "lists of lists are not supported"
        } else if (!type.equals(t)) {
          throw PatchSupport.plainError("list element types are not identical: ["
              + PatchSupport.goValue(array(a)) + " " + PatchSupport.goValue(array(b)) + "]");
        }
      }
    }
    if (type == null) throw PatchSupport.plainError("no elements in any of the given slices");
    return type;
  }

  // ------------------------------------------------------------------ value hygiene

  private static boolean isDelete(JsonNode v) {
    JsonNode d = v.get(DIRECTIVE);
    return d != null && d.isString() && d.stringValue().equals("delete");
  }

  /** Upstream's discardNullValuesFromPatch: null members go, recursively (through lists too). */
  private static void discardNulls(JsonNode n) {
    if (n instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
        JsonNode v = it.next().getValue();
        if (v.isNull()) it.remove();
        else discardNulls(v);
      }
    } else if (n instanceof ArrayNode a) {
      for (JsonNode v : a) discardNulls(v);
    }
  }

  /** Upstream's removeDirectives: an object carrying {@code $patch} is dropped (returns null), recursively. */
  private static JsonNode removeDirectives(JsonNode n) {
    if (n instanceof ObjectNode o) {
      if (o.has(DIRECTIVE)) return null;
      for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = removeDirectives(e.getValue());
        if (v == null) it.remove();
      }
      return o;
    }
    if (n instanceof ArrayNode a) {
      for (int i = a.size() - 1; i >= 0; i--) {
        if (removeDirectives(a.get(i)) == null) a.remove(i);
      }
      return a;
    }
    return n;
  }

  /**
   * What decoding into the Go type would leave of a value taken from the patch: no {@code null} members and no
   * directive keys (unknown fields to the decoder). {@code $ref}-like keys of real fields are kept.
   */
  private static JsonNode scrub(JsonNode n) {
    if (n instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String k = e.getKey();
        if (e.getValue().isNull() || isDirectiveKey(k)) it.remove();
        else scrub(e.getValue());
      }
    } else if (n instanceof ArrayNode a) {
      for (JsonNode v : a) scrub(v);
    }
    return n;
  }

  private static boolean isDirectiveKey(String k) {
    return k.startsWith("$") && (k.equals(DIRECTIVE) || k.equals(RETAIN_KEYS)
        || k.startsWith(SET_ELEMENT_ORDER + "/") || k.startsWith(DELETE_FROM_PRIMITIVE_LIST + "/"));
  }

  // ------------------------------------------------------------------ helpers

  private static List<JsonNode> snapshot(ArrayNode a) {
    List<JsonNode> l = new ArrayList<>(a.size());
    for (JsonNode v : a) l.add(v);
    return l;
  }

  private static ArrayNode array(List<JsonNode> l) {
    ArrayNode a = Json.NODES.arrayNode();
    l.forEach(a::add);
    return a;
  }

  private static StatusException noMergeKey(JsonNode m, String key) {
    return PatchSupport.plainError("map: " + PatchSupport.goValue(m) + " does not contain declared merge key: " + key);
  }

  private static StatusException notAMap(int index) {
    return PatchSupport.plainError("value for key " + index + " is not a map");
  }

  private static StatusException badArgType(String expected, JsonNode actual) {
    String got = actual == null || actual.isNull() ? "<nil>" : switch (PatchSupport.goType(actual)) {
      case "map" -> "map[string]interface {}";
      case "slice" -> "[]interface {}";
      default -> PatchSupport.goType(actual);
    };
    return PatchSupport.plainError("expected a " + expected + ", but received a " + got);
  }
}
