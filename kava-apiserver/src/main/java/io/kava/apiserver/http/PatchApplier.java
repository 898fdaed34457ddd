package io.kava.apiserver.http;

import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.WriteOptions;
import tools.jackson.databind.node.ObjectNode;

/** Applies a PATCH body of one of the patch media types to the current object. */
public interface PatchApplier {
  /** A parsed patch, ready to apply to each attempt's current object (retries on conflict re-apply it). */
  interface Prepared {
    /** Returns the patched object; {@code current} is a private copy that may be modified. */
    ObjectNode apply(ObjectNode current);

    /** For server-side apply, the object to create when none exists; null means 404. */
    default ObjectNode createIfMissing(ResourceDefinition def, String namespace, String name) { return null; }
  }

  Prepared prepare(ResourceDefinition def, String patchType, byte[] body, WriteOptions options, Exchange ex);
}
