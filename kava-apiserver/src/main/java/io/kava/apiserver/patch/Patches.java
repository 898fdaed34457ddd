package io.kava.apiserver.patch;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One entry point for the PATCH handler: applies a body of a given {@link PatchType} to the current object.
 *
 * <pre>{@code
 * PatchType type = PatchType.fromContentType(contentType, PatchMeta.supports(apiVersion, kind)); // 415 if unknown
 * Patches.Prepared patch = Patches.prepare(type, body, apiVersion, kind);   // 400/413/415 for a bad body, once
 * ObjectNode updated = patch.applyInPlace(privateCopyOfCurrent);            // per attempt (conflict retries)
 * }</pre>
 *
 * Callers that already hold a private copy of the current object use {@link Prepared#applyInPlace} and so copy
 * the object only once per attempt; {@link #apply} copies for callers that do not.
 */
public final class Patches {
  private Patches() {}

  /** A parsed and checked patch body. Immutable and reusable: each application works on its own copy of the patch. */
  @FunctionalInterface
  public interface Prepared {
    /**
     * Applies the patch to {@code current}, which the caller owns and which is modified, and returns the result:
     * {@code current} itself, or a new root when the patch replaces the whole object. Throws StatusException with
     * upstream's code and message when the patch does not apply. On failure {@code current} may be partly modified.
     */
    ObjectNode applyInPlace(ObjectNode current);
  }

  /**
   * Parses and checks a body once. Malformed bodies fail here: 400 (not JSON, wrong shape), 413 (too many JSON
   * patch operations), 415 (strategic merge patch for a kind without metadata).
   *
   * @param apiVersion the apiVersion of the object patched (the version the patch was written against)
   * @param kind       its kind; for subresources the subresource's kind (e.g. autoscaling/v1 Scale)
   * @throws IllegalArgumentException for {@link PatchType#APPLY_YAML}, which server-side apply handles
   */
  public static Prepared prepare(PatchType type, byte[] body, String apiVersion, String kind) {
    return switch (type) {
      case JSON_PATCH -> {
        JsonNode ops = JsonPatch.decode(body);
        yield current -> JsonPatch.asObject(JsonPatch.applyInPlace(current, ops.deepCopy()));
      }
      case MERGE_PATCH -> {
        JsonNode patch = MergePatch.decode(body);
        yield current -> MergePatch.applyInPlace(current, patch.deepCopy());
      }
      case STRATEGIC_MERGE_PATCH -> {
        PatchMeta.Node schema = PatchMeta.forKind(apiVersion, kind);
        if (schema == null) throw PatchType.unsupported(PatchType.CUSTOM);
        ObjectNode patch = StrategicMergePatch.decode(body);
        yield patch == null ? current -> current : current -> StrategicMergePatch.applyInPlace(current, patch.deepCopy(), schema);
      }
      case APPLY_YAML -> throw new IllegalArgumentException("apply patches are handled by server-side apply");
    };
  }

  /**
   * Applies a body to a copy of {@code current} (which is not modified); the result shares nothing with it.
   *
   * @throws io.kava.apiserver.errors.StatusException with upstream's code and message on a bad or failing patch
   * @throws IllegalArgumentException for {@link PatchType#APPLY_YAML}
   */
  public static ObjectNode apply(PatchType type, JsonNode current, byte[] body, String apiVersion, String kind) {
    Prepared p = prepare(type, body, apiVersion, kind);
    if (!(current instanceof ObjectNode obj)) throw PatchSupport.notAnObject(current);
    return p.applyInPlace(obj.deepCopy());
  }
}
