package io.kava.apiserver.cache;

import java.nio.charset.StandardCharsets;

/**
 * A change to one object as watchers see it. For DELETED, {@code object} is the last state with the deletion's
 * resourceVersion. {@code previous} is the state before (null for ADDED).
 */
public final class WatchEvent {
  public enum Type { ADDED, MODIFIED, DELETED }

  private final Type type;
  private final CachedObject object;
  private final CachedObject previous;

  public WatchEvent(Type type, CachedObject object, CachedObject previous) {
    this.type = type;
    this.object = object;
    this.previous = previous;
  }

  public Type type() { return type; }
  public CachedObject object() { return object; }
  public CachedObject previous() { return previous; }
  public long revision() { return object.revision(); }

  /** The JSON watch frame {@code {"type":TYPE,"object":OBJECT}\n} (watchers of cached objects write the object's bytes in place). */
  public static byte[] frame(String type, byte[] objectBytes) {
    byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + objectBytes.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(objectBytes, 0, out, head.length, objectBytes.length);
    out[out.length - 2] = '}';
    out[out.length - 1] = '\n';
    return out;
  }
}
