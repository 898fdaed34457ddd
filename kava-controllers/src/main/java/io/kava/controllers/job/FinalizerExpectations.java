package io.kava.controllers.job;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's uidTrackingExpectations for tracking finalizers: the pods whose finalizer this controller removed but
 * whose update the pod cache has not shown yet. Until it has, such a pod must not be counted again: its count
 * already moved from {@code status.uncountedTerminatedPods} into the counters. Thread-safe.
 */
final class FinalizerExpectations {
  private final Map<String, Set<String>> byJob = new ConcurrentHashMap<>();

  void expectRemoved(String jobKey, Set<String> podUids) {
    if (podUids.isEmpty()) return;
    byJob.compute(jobKey, (k, s) -> {
      Set<String> out = s == null ? new HashSet<>() : new HashSet<>(s);
      out.addAll(podUids);
      return out;
    });
  }

  /** The pod cache shows {@code podUid} without the finalizer (or gone), or the removal failed. */
  void observed(String jobKey, String podUid) {
    byJob.computeIfPresent(jobKey, (k, s) -> {
      Set<String> out = new HashSet<>(s);
      out.remove(podUid);
      return out.isEmpty() ? null : out;
    });
  }

  Set<String> expected(String jobKey) {
    Set<String> s = byJob.get(jobKey);
    return s == null ? Set.of() : Set.copyOf(s);
  }

  void delete(String jobKey) { byJob.remove(jobKey); }
}
