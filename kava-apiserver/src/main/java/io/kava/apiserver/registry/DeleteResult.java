package io.kava.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * @param object  the deleted object (last state) or the object now marked for deletion
 * @param deleted true when the object is gone from the store; false when deletion waits for finalizers or a grace period
 */
public record DeleteResult(ObjectNode object, boolean deleted) {}
