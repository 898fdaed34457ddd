package io.kava.apiserver.http;

import io.kava.api.InProcessHeaders;
import io.kava.api.json.NestedFieldCut;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lists and watch events without {@code metadata.managedFields} for the in-process informers that ask for them so
 * (their caches drop managedFields: a third of a pod's JSON). Honoured for the loopback listener's user only, so every
 * other client gets upstream's objects whatever it sends.
 */
final class ManagedFieldsCut {
  private ManagedFieldsCut() {}

  private static final NestedFieldCut CUT = new NestedFieldCut("metadata", "managedFields");

  /** Whether the request asks for objects without managedFields and comes from the in-process components. */
  static boolean requested(Exchange ex) {
    return ex.fromInProcessComponent() && "true".equals(ex.header(InProcessHeaders.WITHOUT_MANAGED_FIELDS));
  }

  /** {@code json} (an object this server serialized) without metadata.managedFields; as it is if the cut fails. */
  static byte[] apply(byte[] json) {
    byte[] cut = CUT.apply(json);
    return cut == null ? json : cut;
  }

  /** Removes metadata.managedFields from {@code object}, a tree of the caller's own; returns it. */
  static ObjectNode apply(ObjectNode object) {
    if (object.get("metadata") instanceof ObjectNode meta) meta.remove("managedFields");
    return object;
  }
}
