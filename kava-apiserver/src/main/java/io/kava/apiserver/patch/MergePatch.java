package io.kava.apiserver.patch;

import io.kava.apiserver.errors.StatusException;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7386 JSON Merge Patch ({@code application/merge-patch+json}): objects merge recursively, {@code null}
 * deletes a member, everything else (lists included) replaces.
 *
 * <p>As upstream (evanphx/json-patch v4): a value put where nothing (or {@code null}) was has its nested
 * {@code null} members dropped, including inside objects in lists; a body that is {@code null} or a scalar is
 * 400 "Invalid JSON Patch"; a list body replaces the whole document, which then fails to decode (422).
 */
public final class MergePatch {
  private MergePatch() {}

  /** Applies {@code body} to a copy of {@code current} (which is not modified). */
  public static ObjectNode apply(JsonNode current, byte[] body) {
    return applyInPlace(current.deepCopy(), body);
  }

  /** Applies {@code body} to {@code target}, modifying it, and returns it. */
  public static ObjectNode applyInPlace(JsonNode target, byte[] body) {
    return applyInPlace(target, decode(body));
  }

  /** Parses a body: an object (or a list, which fails when applied); {@code null} and scalars are 400. */
  static JsonNode decode(byte[] body) {
    JsonNode patch = PatchSupport.parseBody(body);
    if (!patch.isContainer()) throw StatusException.badRequest("Invalid JSON Patch");
    return patch;
  }

  /**
   * Applies an already parsed patch to {@code target} (modified). The patch's subtrees are moved into the result:
   * pass a patch you own (parse it, or {@code deepCopy()} it).
   */
  public static ObjectNode applyInPlace(JsonNode target, JsonNode patch) {
    if (patch.isArray()) {
      pruneNulls(patch);
      throw PatchSupport.notAnObject(patch);
    }
    if (!patch.isObject()) throw StatusException.badRequest("Invalid JSON Patch");
    if (!(target instanceof ObjectNode doc)) throw StatusException.badRequest("Invalid JSON Document");
    mergeObjects(doc, (ObjectNode) patch);
    return doc;
  }

  private static void mergeObjects(ObjectNode doc, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        doc.remove(k);
        continue;
      }
      JsonNode cur = doc.get(k);
      if (cur == null || cur.isNull()) {
        pruneNulls(v);
        doc.set(k, v);
      } else {
        doc.set(k, merge(cur, v));
      }
    }
  }

  private static JsonNode merge(JsonNode cur, JsonNode patch) {
    if (!(cur instanceof ObjectNode curObj)) {
      pruneNulls(patch);
      return patch;
    }
    if (!(patch instanceof ObjectNode patchObj)) return patch;
    mergeObjects(curObj, patchObj);
    return curObj;
  }

  /** Drops null members of objects, recursively, also inside lists (list elements that are null stay). */
  static void pruneNulls(JsonNode n) {
    if (n instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
        JsonNode v = it.next().getValue();
        if (v.isNull()) it.remove();
        else pruneNulls(v);
      }
    } else if (n instanceof ArrayNode a) {
      for (JsonNode v : a) pruneNulls(v);
    }
  }
}
