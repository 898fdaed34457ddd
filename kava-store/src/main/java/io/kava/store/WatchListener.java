package io.kava.store;

import java.util.List;

/**
 * Receives a watch's events. Calls for one watch never overlap and arrive in revision order; every event of
 * one txn arrives in the same call. One call may carry several consecutive txns (revisions ascending), never part of
 * one. Implementations should return quickly: they run on the watch's delivery thread, and a watch that falls behind
 * is caught up from history (more work for the store) rather than holding back writers.
 */
public interface WatchListener {
  void onEvents(List<Event> events);

  /** The requested start revision was compacted away; no further calls follow. */
  default void onCompacted(long compactRevision) {}

  /** The store is closing or failed; no further calls follow. */
  default void onClosed(Throwable cause) {}
}
