package io.kava.store.memory;

import io.kava.store.KeyValue;
import java.util.Arrays;

/**
 * The versions of one key, oldest first; a deletion is a version with {@code version == 0}.
 *
 * <p>Only the store's writer (holding its write lock) changes it; readers never lock. The writer fills a slot past
 * the published size and then publishes a new {@link Versions} through the volatile field, so a reader sees a prefix
 * of the array that no longer changes. Compaction publishes a fresh array.
 */
final class KeyVersions {
  private record Versions(KeyValue[] items, int size) {}

  private volatile Versions versions = new Versions(new KeyValue[2], 0);

  /** The newest version, committed or not, if it is not a deletion. Writer only. */
  KeyValue latestLive() {
    Versions v = versions;
    if (v.size == 0) return null;
    KeyValue kv = v.items[v.size - 1];
    return kv.version() == 0 ? null : kv;
  }

  /** The key's value at {@code revision}, or null if it did not exist then. */
  KeyValue at(long revision) {
    Versions v = versions;
    int i = lastAtOrBelow(v, revision);
    if (i < 0) return null;
    KeyValue kv = v.items[i];
    return kv.version() == 0 ? null : kv;
  }

  void append(KeyValue kv) {
    Versions v = versions;
    KeyValue[] items = v.items;
    if (v.size == items.length) items = Arrays.copyOf(items, items.length * 2);
    items[v.size] = kv;
    versions = new Versions(items, v.size + 1);
  }

  /**
   * Drops the versions superseded at {@code revision} and a deletion that is the newest one at it.
   *
   * @return whether no version is left (the key can be forgotten)
   */
  boolean compact(long revision) {
    Versions v = versions;
    int i = lastAtOrBelow(v, revision);
    if (i < 0) return v.size == 0;
    int keepFrom = v.items[i].version() == 0 ? i + 1 : i;
    if (keepFrom == 0) return false;
    int left = v.size - keepFrom;
    KeyValue[] items = new KeyValue[Math.max(2, left + 1)];
    System.arraycopy(v.items, keepFrom, items, 0, left);
    versions = new Versions(items, left);
    return left == 0;
  }

  private static int lastAtOrBelow(Versions v, long revision) {
    int lo = 0;
    int hi = v.size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (v.items[mid].modRevision() <= revision) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi;
  }
}
