package io.kava.store;

import java.util.List;

/**
 * Receives a watch's events. Calls for one watch never overlap and arrive in revision order; every event of
 * one txn arrives in the same call. Implementations must return quickly: they run on the store's delivery thread.
 */
public interface WatchListener {
  void onEvents(List<Event> events);

  /** The requested start revision was compacted away; no further calls follow. */
  default void onCompacted(long compactRevision) {}

  /** The store is closing or failed; no further calls follow. */
  default void onClosed(Throwable cause) {}
}
