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
}
