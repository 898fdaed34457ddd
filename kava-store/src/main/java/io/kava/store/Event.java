package io.kava.store;

/**
 * A change, delivered to watchers in revision order.
 *
 * @param kv     for PUT the new value; for DELETE the key with {@code modRevision} = the deletion's revision,
 *               {@code version} 0 and an empty value
 * @param prevKv the value before this change (null if the key did not exist, or if history no longer holds it)
 */
public record Event(Type type, KeyValue kv, KeyValue prevKv) {
  public enum Type { PUT, DELETE }

  public long revision() { return kv.modRevision(); }
}
