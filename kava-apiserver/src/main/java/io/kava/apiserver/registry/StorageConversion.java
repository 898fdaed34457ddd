package io.kava.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * Converts between the form a resource is served in and the form it is stored in, for resources that share storage
 * with another one (events.k8s.io/v1 Events are stored as core/v1 Events; a custom resource's versions share the
 * storage version). Both methods receive a private copy and may change and return it.
 */
public interface StorageConversion {
  /** The storage prefix of the resource whose storage is shared, e.g. {@code /core/events/}. */
  String storagePrefix();

  ObjectNode toStorage(ObjectNode served);

  ObjectNode fromStorage(ObjectNode stored);
}
