package io.kava.scheduler.queue;

import io.kava.scheduler.framework.PodInfo;
import java.util.Set;

/**
 * A pod in the scheduling queue with its bookkeeping: when it was (re)queued, how often it was tried, and which
 * plugins rejected it last (the cluster events those plugins registered decide when it is retried).
 * Fields are guarded by the queue's lock; callers outside the queue read them only for the pod they popped.
 */
public final class QueuedPodInfo {
  PodInfo pod;
  /** When it was last added or re-added to the queue (orders equal priorities; backoff counts from it), ms. */
  long timestamp;
  /** When it was first added, ms (for metrics and logs). */
  final long initialTimestamp;
  int attempts;
  Set<String> unschedulablePlugins = Set.of();
  /** Where the pod is now. */
  Where where = Where.NONE;
  /** Tie-breaker for the ordered sets, unique per queue entry. */
  long seq;
  /** Set while popped: the pod was deleted meanwhile, so it must not be re-queued. */
  boolean deletedInFlight;

  enum Where { NONE, ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT }

  QueuedPodInfo(PodInfo pod, long now) {
    this.pod = pod;
    this.timestamp = now;
    this.initialTimestamp = now;
  }

  public PodInfo pod() { return pod; }

  public int attempts() { return attempts; }

  public long timestamp() { return timestamp; }

  public long initialTimestamp() { return initialTimestamp; }

  public Set<String> unschedulablePlugins() { return unschedulablePlugins; }

  @Override
  public String toString() { return pod.key() + "{attempts=" + attempts + ", " + where + "}"; }
}
