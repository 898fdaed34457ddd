package io.kava.apiserver.patch;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON Patch ({@code application/json-patch+json}) with kube-apiserver's behaviour and errors.
 *
 * <p>kube-apiserver applies JSON patches with evanphx/json-patch v4, whose behaviour is kept where it differs
 * from the RFC, because clients see it: {@code replace} of a missing object member adds it; {@code test} of a
 * missing member against {@code null} (or without a value) succeeds; negative array indices count from the end;
 * the root path {@code ""} works only for {@code replace} and {@code test}.
 *
 * <p>Errors: a body that is not JSON is 400 "invalid JSON patch"; JSON that is not a list of operations is
 * 400 with Go's decoder message; more than {@value #MAX_OPERATIONS} operations is 413; any failure while
 * applying (failed {@code test}, missing path, bad index, unknown op) is 422 Invalid with upstream's fixed text
 * "the server rejected our request due to an error in our request" (upstream drops the detail).
 */
public final class JsonPatch {
  /** Upstream's maxJSONPatchOperations. */
  public static final int MAX_OPERATIONS = 10_000;

  private JsonPatch() {}

  /** Applies {@code body} to a copy of {@code current} (which is not modified) and returns the patched object. */
  public static ObjectNode apply(JsonNode current, byte[] body) {
    return asObject(applyInPlace(current.deepCopy(), body));
  }

  /**
   * Applies {@code body} to {@code target}, modifying it, and returns the resulting document (a new root only
   * when the patch replaces {@code ""}). On failure {@code target} may be partly modified: pass a copy you own.
   */
  public static JsonNode applyInPlace(JsonNode target, byte[] body) {
    return applyInPlace(target, decode(body));
  }

  /** Applies decoded operations ({@link #decode}); their values move into {@code target}: pass operations you own. */
  static JsonNode applyInPlace(JsonNode target, JsonNode ops) {
    try {
      return applyOperations(target, ops);
    } catch (Failure f) {
      throw PatchSupport.genericInvalid();
    }
  }

  /** Parses and checks a patch body: a JSON list of operation objects. */
  static JsonNode decode(byte[] body) {
    JsonNode ops = PatchSupport.parseBody(body);
    if (ops.isNull()) return Json.NODES.arrayNode(); // Go decodes null into an empty patch
    if (!ops.isArray()) {
      throw StatusException.badRequest("json: cannot unmarshal " + PatchSupport.goJsonKind(ops) + " into Go value of type jsonpatch.Patch");
    }
    for (JsonNode op : ops) {
      if (!op.isObject() && !op.isNull()) {
        throw StatusException.badRequest("json: cannot unmarshal " + PatchSupport.goJsonKind(op) + " into Go value of type jsonpatch.Operation");
      }
    }
    if (ops.size() > MAX_OPERATIONS) {
      throw StatusException.tooLarge("The allowed maximum operations in a JSON patch is " + MAX_OPERATIONS + ", got " + ops.size());
    }
    return ops;
  }

  /** Applies decoded operations, failing with the library's detailed message (what upstream logs, not sends). */
  static JsonNode applyOperations(JsonNode doc, JsonNode ops) {
    for (JsonNode op : ops) {
      String kind = text(op, "op");
      doc = switch (kind == null ? "unknown" : kind) {
        case "add" -> add(doc, op);
        case "remove" -> remove(doc, op);
        case "replace" -> replace(doc, op);
        case "move" -> move(doc, op);
        case "test" -> test(doc, op);
        case "copy" -> copy(doc, op);
        default -> throw new Failure("Unexpected kind: " + (kind == null ? "unknown" : kind));
      };
    }
    return doc;
  }

  /** The patched document must still be an object to decode; upstream answers 422 on the decode failure. */
  static ObjectNode asObject(JsonNode result) {
    if (result instanceof ObjectNode o) return o;
    throw PatchSupport.notAnObject(result);
  }

  // ------------------------------------------------------------------ operations

  private static JsonNode add(JsonNode doc, JsonNode op) {
    String path = path(op, "add operation failed to decode path: missing value");
    Target t = find(doc, path);
    if (t == null) throw new Failure("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
    t.add(value(op), path, "error in add for path: '" + path + "': ");
    return doc;
  }

  private static JsonNode remove(JsonNode doc, JsonNode op) {
    String path = path(op, "remove operation failed to decode path: missing value");
    Target t = find(doc, path);
    if (t == null) throw new Failure("remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
    t.remove("error in remove for path: '" + path + "': ");
    return doc;
  }

  private static JsonNode replace(JsonNode doc, JsonNode op) {
    String path = path(op, null);
    if (path.isEmpty()) {
      JsonNode v = value(op);
      if (v == null || !v.isContainer()) throw new Failure("replace operation value must be object or array");
      return v;
    }
    Target t = find(doc, path);
    if (t == null) throw new Failure("replace operation does not apply: doc is missing path: " + path + ": missing value");
    t.get("replace operation does not apply: doc is missing key: " + path + ": "); // arrays: index must exist
    t.set(value(op));
    return doc;
  }

  private static JsonNode move(JsonNode doc, JsonNode op) {
    String from = from(op);
    Target src = find(doc, from);
    if (src == null) throw new Failure("move operation does not apply: doc is missing from path: " + from + ": missing value");
    JsonNode v = src.get("error in move for path: '" + src.key + "': ");
    src.remove("error in move for path: '" + src.key + "': ");
    String path = path(op, null);
    Target dst = find(doc, path);
    if (dst == null) throw new Failure("move operation does not apply: doc is missing destination path: " + path + ": missing value");
    dst.add(v, path, "error in move for path: '" + path + "': ");
    return doc;
  }

  private static JsonNode test(JsonNode doc, JsonNode op) {
    String path = path(op, null);
    JsonNode expected = op.get("value"); // absent -> null; JSON null -> NullNode
    if (path.isEmpty()) {
      if (expected != null && equal(doc, expected)) return doc;
      throw new Failure("testing value " + path + " failed: test failed");
    }
    Target t = find(doc, path);
    if (t == null) throw new Failure("test operation does not apply: is missing path: " + path + ": missing value");
    JsonNode actual = t.get("error in test for path: '" + path + "': ");
    boolean actualNull = actual == null || actual.isNull();
    boolean expectedNull = expected == null || expected.isNull();
    if (actualNull) {
      if (expectedNull) return doc;
    } else if (expected != null && equal(actual, expected)) {
      return doc;
    }
    throw new Failure("testing value " + path + " failed: test failed");
  }

  private static JsonNode copy(JsonNode doc, JsonNode op) {
    String from = from(op);
    Target src = find(doc, from);
    if (src == null) throw new Failure("copy operation does not apply: doc is missing from path: " + from + ": missing value");
    JsonNode v = src.get("error in copy for from: '" + from + "': ");
    String path = path(op, "copy operation failed to decode path: missing value");
    Target dst = find(doc, path);
    if (dst == null) throw new Failure("copy operation does not apply: doc is missing destination path: " + path + ": missing value");
    dst.add(v == null ? null : v.deepCopy(), path, "error while adding value during copy: ");
    return doc;
  }

  // ------------------------------------------------------------------ pointers

  /** The container a pointer's last token lives in, with that token; {@code null} when a parent is missing. */
  private static Target find(JsonNode doc, String path) {
    if (!path.startsWith("/")) return null;
    String[] tokens = path.split("/", -1);
    JsonNode cur = doc;
    for (int i = 1; i < tokens.length - 1; i++) {
      JsonNode next;
      String token = unescape(tokens[i]);
      if (cur instanceof ObjectNode o) {
        next = o.get(token);
      } else {
        try {
          next = new Target(cur, token).get("");
        } catch (Failure f) {
          return null;
        }
      }
      if (next == null || !next.isContainer()) return null;
      cur = next;
    }
    return new Target(cur, unescape(tokens[tokens.length - 1]));
  }

  /** RFC 6901: {@code ~1} is {@code /}, then {@code ~0} is {@code ~} (one left-to-right pass, as upstream). */
  static String unescape(String token) {
    if (token.indexOf('~') < 0) return token;
    StringBuilder sb = new StringBuilder(token.length());
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '~' && i + 1 < token.length() && (token.charAt(i + 1) == '0' || token.charAt(i + 1) == '1')) {
        sb.append(token.charAt(i + 1) == '0' ? '~' : '/');
        i++;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A (container, key) pair: an object member or an array slot. */
  private static final class Target {
    final JsonNode container;
    final String key;

    Target(JsonNode container, String key) {
      this.container = container;
      this.key = key;
    }

    /** The value at the key; for objects a missing member is {@code null}, for arrays a bad index fails. */
    JsonNode get(String errorPrefix) {
      if (container instanceof ObjectNode o) return o.get(key);
      ArrayNode a = (ArrayNode) container;
      int idx = index(errorPrefix);
      if (idx < 0) {
        if (idx < -a.size()) throw invalidIndex(errorPrefix, idx);
        idx += a.size();
      }
      if (idx >= a.size()) throw invalidIndex(errorPrefix, idx);
      return a.get(idx);
    }

    void set(JsonNode v) {
      JsonNode value = v == null ? Json.NODES.nullNode() : v;
      if (container instanceof ObjectNode o) {
        o.set(key, value);
        return;
      }
      ArrayNode a = (ArrayNode) container;
      int idx = index("");
      if (idx < 0) idx += a.size();
      a.set(idx, value);
    }

    void add(JsonNode v, String path, String errorPrefix) {
      JsonNode value = v == null ? Json.NODES.nullNode() : v;
      if (container instanceof ObjectNode o) {
        o.set(key, value);
        return;
      }
      ArrayNode a = (ArrayNode) container;
      if (key.equals("-")) {
        a.add(value);
        return;
      }
      int idx;
      try {
        idx = Integer.parseInt(key);
      } catch (NumberFormatException e) {
        throw new Failure(errorPrefix + "value was not a proper array index: '" + key + "'");
      }
      int size = a.size() + 1;
      if (idx >= size) throw invalidIndex(errorPrefix, idx);
      if (idx < 0) {
        if (idx < -size) throw invalidIndex(errorPrefix, idx);
        idx += size;
      }
      a.insert(idx, value);
    }

    void remove(String errorPrefix) {
      if (container instanceof ObjectNode o) {
        if (!o.has(key)) throw new Failure(errorPrefix + "Unable to remove nonexistent key: " + key + ": missing value");
        o.remove(key);
        return;
      }
      ArrayNode a = (ArrayNode) container;
      int idx = index(errorPrefix);
      if (idx >= a.size()) throw invalidIndex(errorPrefix, idx);
      if (idx < 0) {
        if (idx < -a.size()) throw invalidIndex(errorPrefix, idx);
        idx += a.size();
      }
      a.remove(idx);
    }

    private int index(String errorPrefix) {
      try {
        return Integer.parseInt(key);
      } catch (NumberFormatException e) {
        throw new Failure(errorPrefix + "strconv.Atoi: parsing \"" + key + "\": invalid syntax");
      }
    }

    private static Failure invalidIndex(String errorPrefix, int idx) {
      return new Failure(errorPrefix + "Unable to access invalid index: " + idx + ": invalid index referenced");
    }
  }

  // ------------------------------------------------------------------ operation fields

  private static String text(JsonNode op, String field) {
    JsonNode v = op == null ? null : op.get(field);
    return v != null && v.isString() ? v.stringValue() : null;
  }

  private static String path(JsonNode op, String missingMessage) {
    String p = text(op, "path");
    if (p == null) throw new Failure(missingMessage != null ? missingMessage : "operation missing path field: missing value");
    return p;
  }

  private static String from(JsonNode op) {
    String p = text(op, "from");
    if (p == null) throw new Failure("operation, missing from field: missing value");
    return p;
  }

  /** The operation's value; a missing value acts as JSON null (as upstream). */
  private static JsonNode value(JsonNode op) {
    JsonNode v = op.get("value");
    return v == null ? Json.NODES.nullNode() : v;
  }

  // ------------------------------------------------------------------ equality

  /** Structural equality as the {@code test} operation sees it: numbers of different forms (1 vs 1.0) differ. */
  static boolean equal(JsonNode a, JsonNode b) {
    if (a.isObject()) {
      if (!b.isObject() || a.size() != b.size()) return false;
      for (Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode other = b.get(e.getKey());
        if (other == null) return false;
        boolean aNull = e.getValue().isNull();
        if (aNull != other.isNull()) return false;
        if (!aNull && !equal(e.getValue(), other)) return false;
      }
      return true;
    }
    if (a.isArray()) {
      if (!b.isArray() || a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i))) return false;
      }
      return true;
    }
    if (b.isContainer()) return false;
    return PatchSupport.sameScalar(a, b);
  }

  /** A patch operation that does not apply; upstream keeps this text out of the response. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) { super(message, null, false, false); }
  }
}
