package io.kava.scheduler.framework;

/**
 * Told when a pod has been placed on a node in the scheduler's cache (before binding), and again through
 * {@link #unreserve} if a later step fails. Unreserve must be idempotent and may be called without a prior
 * successful reserve.
 */
public interface ReservePlugin extends Plugin {
  Status reserve(CycleState state, PodInfo pod, String nodeName);

  void unreserve(CycleState state, PodInfo pod, String nodeName);
}
