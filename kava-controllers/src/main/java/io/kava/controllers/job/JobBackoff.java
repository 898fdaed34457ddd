package io.kava.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.kava.controllers.workload.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Upstream's pod failure back-off for Jobs: after n failures since the last success, new pods wait
 * {@code base * 2^(n-1)} (at most {@code max}) from the last failure. Upstream keeps the failure record in memory;
 * here it is read from the failed pods the job still owns (a job does not delete its failed pods), so it survives
 * a restart of the controller.
 */
final class JobBackoff {
  private JobBackoff() {}

  /** How long creations must still wait, zero when they may go ahead. */
  static Duration remaining(List<Pod> pods, Instant now, Duration base, Duration max) {
    Instant lastSuccess = null;
    for (Pod p : pods) {
      if (!Pods.PHASE_SUCCEEDED.equals(Pods.phase(p))) continue;
      Instant t = finishTime(p);
      if (t != null && (lastSuccess == null || t.isAfter(lastSuccess))) lastSuccess = t;
    }
    int failures = 0;
    Instant lastFailure = null;
    for (Pod p : pods) {
      if (!Pods.PHASE_FAILED.equals(Pods.phase(p))) continue;
      Instant t = finishTime(p);
      if (t == null || (lastSuccess != null && !t.isAfter(lastSuccess))) continue;
      failures++;
      if (lastFailure == null || t.isAfter(lastFailure)) lastFailure = t;
    }
    if (failures == 0) return Duration.ZERO;
    Duration backoff = base;
    for (int i = 1; i < failures && backoff.compareTo(max) < 0; i++) backoff = backoff.multipliedBy(2);
    if (backoff.compareTo(max) > 0) backoff = max;
    Duration left = Duration.between(now, lastFailure.plus(backoff));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** When the pod finished: its last container exit, else when it stopped being ready, else its deletion. */
  static Instant finishTime(Pod p) {
    Instant last = null;
    if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus s : p.getStatus().getContainerStatuses()) {
        if (s.getState() == null || s.getState().getTerminated() == null) continue;
        Instant t = Pods.time(s.getState().getTerminated().getFinishedAt());
        if (t != null && (last == null || t.isAfter(last))) last = t;
      }
    }
    if (last != null) return last;
    var ready = Pods.readyCondition(p);
    if (ready != null && Pods.time(ready.getLastTransitionTime()) != null) return Pods.time(ready.getLastTransitionTime());
    if (p.getMetadata().getDeletionTimestamp() != null) return Pods.time(p.getMetadata().getDeletionTimestamp());
    return Pods.time(p.getMetadata().getCreationTimestamp());
  }
}
