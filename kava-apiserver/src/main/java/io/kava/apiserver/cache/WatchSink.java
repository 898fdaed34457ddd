package io.kava.apiserver.cache;

/**
 * Where a watch's events go (the HTTP stream). Called by the cache in revision order, never concurrently for one
 * sink, while the cache holds a lock: implementations must not block (queue or write asynchronously).
 */
public interface WatchSink {
  /** @return false when the sink is gone or too slow; the cache then drops the registration */
  boolean send(WatchEvent.Type type, CachedObject object);

  /** Every change up to {@code revision} has been sent: a BOOKMARK may carry it to the client. */
  default void bookmark(long revision) {}

  /**
   * The cache dropped this sink because {@link #send} threw {@code cause}: no more events will come, so the sink must
   * end its stream (a watch that is neither fed nor ended goes silent, and its client never resumes).
   */
  default void abort(RuntimeException cause) {}
}
