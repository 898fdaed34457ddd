package io.kava.node.env;

import io.kava.api.quantity.Quantity;

/**
 * The node's allocatable resources. The downward API reports them for a container limit that is not set,
 * as upstream does, and the memory figure caps the size of memory-backed emptyDir volumes.
 */
public record NodeAllocatable(Quantity cpu, Quantity memory, Quantity ephemeralStorage) {
  public static NodeAllocatable of(String cpu, String memory, String ephemeralStorage) {
    return new NodeAllocatable(Quantity.parse(cpu), Quantity.parse(memory), Quantity.parse(ephemeralStorage));
  }
}
