package io.kava.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers this controller's own writes of each Service's slices until the informer shows them (upstream's
 * endpointSliceTracker). A sync computed from a cache that lacks a slice we just created would create it again;
 * one that still shows a slice we deleted would plan around it. So while the cache lags, the Service is stale and
 * its sync is retried. Resource versions are kava store revisions, which only grow, so "has the cache caught up" is a
 * numeric comparison.
 *
 * <p>Per-Service state is touched only by the worker syncing that Service (the queue never hands one key to two
 * workers); the map itself is concurrent.
 */
final class SliceTracker {
  /** Per slice name: the resourceVersion we wrote, or {@link #DELETED}. */
  private final Map<String, Map<String, Long>> written = new ConcurrentHashMap<>();
  static final long DELETED = -1;

  void wrote(String serviceKey, EndpointSlice slice) {
    written.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>())
        .put(slice.getMetadata().getName(), parse(slice.getMetadata().getResourceVersion()));
  }

  void deleted(String serviceKey, String sliceName) {
    written.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>()).put(sliceName, DELETED);
  }

  /**
   * Whether {@code cached} (the informer's slices of the Service) lags our writes; entries the cache has caught up
   * with are forgotten.
   */
  boolean stale(String serviceKey, List<EndpointSlice> cached) {
    Map<String, Long> mine = written.get(serviceKey);
    if (mine == null) return false;
    Map<String, Long> seen = new java.util.HashMap<>();
    for (EndpointSlice s : cached) seen.put(s.getMetadata().getName(), parse(s.getMetadata().getResourceVersion()));
    boolean stale = false;
    for (Map.Entry<String, Long> e : List.copyOf(mine.entrySet())) {
      Long have = seen.get(e.getKey());
      boolean caughtUp = e.getValue() == DELETED ? have == null : have != null && have >= e.getValue();
      if (caughtUp) mine.remove(e.getKey(), e.getValue());
      else stale = true;
    }
    if (mine.isEmpty()) written.remove(serviceKey, mine);
    return stale;
  }

  /** A slice was deleted (by us or anyone): nothing of ours about it is to be waited for any more. */
  void sliceGone(String serviceKey, String sliceName) {
    Map<String, Long> mine = written.get(serviceKey);
    if (mine != null) mine.remove(sliceName);
  }

  void forget(String serviceKey) { written.remove(serviceKey); }

  private static long parse(String rv) {
    try {
      return rv == null ? 0 : Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
