package io.kava.apiserver.cache;

import java.util.Map;

/**
 * An object about to be written to the store, serialized once, with what the watch cache keeps beside its bytes
 * (made by {@link WatchCache#prepareWrite}). The writer stores {@link #bytes()}; when the store reports that write,
 * the cache makes its entry by splicing the store's revision into these bytes instead of parsing them and serializing
 * the tree again, and the writer answers its client with the same spliced bytes ({@link #bytesAt}).
 */
public final class PendingWrite {
  private final String key;
  private final SerializedObject serialized;
  private final CachedFields fields;
  private final long preparedAt = System.nanoTime();
  // The spliced bytes of the one revision this write gets, made once for the cache and the response.
  private byte[] spliced;
  private long splicedRevision;

  PendingWrite(String key, SerializedObject serialized, CachedFields fields) {
    this.key = key;
    this.serialized = serialized;
    this.fields = fields;
  }

  public String key() { return key; }

  /** {@link System#nanoTime()} when prepared. */
  long preparedAt() { return preparedAt; }

  /** The bytes to store (no resourceVersion); shared: never modify. */
  public byte[] bytes() { return serialized.bytes(); }

  /** True when {@link #bytesAt} can splice a resourceVersion in (the object has a metadata object without one). */
  boolean spliceable() { return serialized.metadataEnd() >= 0; }

  /**
   * The object's JSON with {@code metadata.resourceVersion} set to {@code revision}, as {@link io.kava.api.json.Json#bytes}
   * writes it after {@code metadata.put("resourceVersion", ...)}; null when not {@link #spliceable}. Shared: never modify.
   */
  public synchronized byte[] bytesAt(long revision) {
    if (spliced == null || splicedRevision != revision) {
      spliced = serialized.withResourceVersion(revision);
      splicedRevision = revision;
    }
    return spliced;
  }

  /** The cache's entry for this write once the store has given it {@code revision}. */
  CachedObject cachedAt(long revision) {
    return CachedObject.compact(key, fields.namespace(), fields.name(), bytesAt(revision), revision, fields.labels(), fields.selectable());
  }

  /** What the cache keeps of an object besides its bytes. */
  record CachedFields(String namespace, String name, Map<String, String> labels, Map<String, String> selectable) {}
}
