package io.kava.controllers.replicaset;

import io.kava.client.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Upstream's UIDTrackingControllerExpectations: what a controller is waiting to see in its informer cache after it
 * created or deleted pods. While creations or deletions are outstanding the cache is known to lag behind the
 * controller's own writes, so the controller must not size the set again (it would create the same pods twice).
 *
 * <ul>
 *   <li>{@link #expectCreations} / {@link #expectDeletions} record a batch before it is sent;</li>
 *   <li>informer events lower the counts ({@link #creationObserved}, {@link #deletionObserved}), as do calls that
 *       were skipped or failed, since no event will come for them;</li>
 *   <li>{@link #satisfied} is true when nothing is outstanding, when nothing was ever recorded, or when the record
 *       is older than {@link #TTL} (a lost event must not wedge the controller forever).</li>
 * </ul>
 *
 * Deletions are tracked by pod key, so only the deletion of a pod we chose counts, and counts once. Thread-safe.
 */
public final class Expectations {
  /** Upstream's ExpectationsTimeout. */
  public static final Duration TTL = Duration.ofMinutes(5);

  private static final class Entry {
    long add;
    long del;
    final long recordedAt;
    final Set<String> deleteKeys = new HashSet<>();

    Entry(long add, long del, long recordedAt) {
      this.add = add;
      this.del = del;
      this.recordedAt = recordedAt;
    }
  }

  private final Ticker ticker;
  private final Duration ttl;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final Map<String, Entry> entries = new HashMap<>();

  public Expectations(Ticker ticker) { this(ticker, TTL); }

  Expectations(Ticker ticker, Duration ttl) {
    this.ticker = ticker;
    this.ttl = ttl;
  }

  /** Whether the controller of {@code key} may compute and act on a new diff. */
  public boolean satisfied(String key) {
    lock.lock();
    try {
      Entry e = entries.get(key);
      if (e == null) return true;
      if (e.add <= 0 && e.del <= 0) return true;
      return ticker.nanoTime() - e.recordedAt > ttl.toNanos();
    } finally {
      lock.unlock();
    }
  }

  /** Replaces the record of {@code key}: {@code n} creations outstanding. */
  public void expectCreations(String key, int n) {
    lock.lock();
    try {
      entries.put(key, new Entry(n, 0, ticker.nanoTime()));
    } finally {
      lock.unlock();
    }
  }

  /** Replaces the record of {@code key}: the deletion of each of {@code podKeys} outstanding. */
  public void expectDeletions(String key, Set<String> podKeys) {
    lock.lock();
    try {
      Entry e = new Entry(0, podKeys.size(), ticker.nanoTime());
      e.deleteKeys.addAll(podKeys);
      entries.put(key, e);
    } finally {
      lock.unlock();
    }
  }

  /** One creation seen (or one that will never be seen because it was not made). */
  public void creationObserved(String key) {
    lock.lock();
    try {
      Entry e = entries.get(key);
      if (e != null) e.add--;
    } finally {
      lock.unlock();
    }
  }

  /** The deletion of {@code podKey} seen (or failed); counts only for a pod whose deletion was expected, once. */
  public void deletionObserved(String key, String podKey) {
    lock.lock();
    try {
      Entry e = entries.get(key);
      if (e != null && e.deleteKeys.remove(podKey)) e.del--;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets {@code key} (its controller is gone). */
  public void delete(String key) {
    lock.lock();
    try {
      entries.remove(key);
    } finally {
      lock.unlock();
    }
  }

  /** Outstanding creations and deletions of {@code key}, for tests and logs; [0, 0] when none is recorded. */
  long[] pending(String key) {
    lock.lock();
    try {
      Entry e = entries.get(key);
      return e == null ? new long[] {0, 0} : new long[] {e.add, e.del};
    } finally {
      lock.unlock();
    }
  }
}
