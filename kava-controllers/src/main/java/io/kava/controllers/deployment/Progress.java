package io.kava.controllers.deployment;

import static io.kava.controllers.deployment.DeploymentUtil.actualReplicaCount;
import static io.kava.controllers.deployment.DeploymentUtil.availableReplicaCount;
import static io.kava.controllers.deployment.DeploymentUtil.condition;
import static io.kava.controllers.deployment.DeploymentUtil.hasProgressDeadline;
import static io.kava.controllers.deployment.DeploymentUtil.maxUnavailable;
import static io.kava.controllers.deployment.DeploymentUtil.newCondition;
import static io.kava.controllers.deployment.DeploymentUtil.replicaCount;
import static io.kava.controllers.deployment.DeploymentUtil.replicas;
import static io.kava.controllers.deployment.DeploymentUtil.setCondition;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.kava.controllers.workload.Pods;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Deployment's status (upstream's calculateStatus and progress.go): the counts from its ReplicaSets, the Available
 * condition, and the Progressing condition with its deadline. Writes go through {@link #writeStatus}, which keeps
 * the caller's copy on the new resourceVersion.
 */
final class Progress {
  private final DeploymentApi api;
  private final Clock clock;

  Progress(DeploymentApi api, Clock clock) {
    this.api = api;
    this.clock = clock;
  }

  void syncDeploymentStatus(List<ReplicaSet> all, ReplicaSet newRS, Deployment d) {
    DeploymentStatus next = calculateStatus(all, newRS, d);
    if (DeploymentUtil.sameStatus(d.getStatus(), next)) return;
    d.setStatus(next);
    writeStatus(d);
  }

  /** The counts from the replica sets and the Available condition (MinimumReplicas[Un]available). */
  DeploymentStatus calculateStatus(List<ReplicaSet> all, ReplicaSet newRS, Deployment d) {
    int available = availableReplicaCount(all);
    int total = replicaCount(all);
    DeploymentStatus s = new DeploymentStatus();
    s.setObservedGeneration(n(d.getMetadata().getGeneration()));
    s.setReplicas(actualReplicaCount(all));
    s.setUpdatedReplicas(actualReplicaCount(newRS == null ? List.of() : List.of(newRS)));
    s.setReadyReplicas(DeploymentUtil.readyReplicaCount(all));
    s.setAvailableReplicas(available);
    s.setUnavailableReplicas(Math.max(0, total - available));
    s.setCollisionCount(d.getStatus() == null ? null : d.getStatus().getCollisionCount());
    List<DeploymentCondition> conds = new ArrayList<>();
    if (d.getStatus() != null && d.getStatus().getConditions() != null) {
      for (DeploymentCondition c : d.getStatus().getConditions()) conds.add(Serial.copy(c));
    }
    s.setConditions(conds);
    if (available >= replicas(d) - maxUnavailable(d)) {
      setCondition(s, newCondition(DeploymentUtil.AVAILABLE, "True", DeploymentUtil.MIN_AVAILABLE_REASON, "Deployment has minimum availability.", now()));
    } else {
      setCondition(s, newCondition(DeploymentUtil.AVAILABLE, "False", DeploymentUtil.MIN_UNAVAILABLE_REASON, "Deployment does not have minimum availability.", now()));
    }
    return s;
  }

  /**
   * The status plus the Progressing condition: NewReplicaSetAvailable once complete, ReplicaSetUpdated on any
   * progress, ProgressDeadlineExceeded when none came for progressDeadlineSeconds; ReplicaFailure copied from the
   * replica sets. With nothing to write, a stuck rollout is looked at again when its deadline would pass.
   */
  void syncRolloutStatus(List<ReplicaSet> all, ReplicaSet newRS, Deployment d) {
    DeploymentStatus next = calculateStatus(all, newRS, d);
    if (!hasProgressDeadline(d)) DeploymentUtil.removeCondition(next, DeploymentUtil.PROGRESSING);
    DeploymentCondition current = condition(d.getStatus(), DeploymentUtil.PROGRESSING);
    boolean complete = n(next.getReplicas()) == n(next.getUpdatedReplicas()) && current != null
        && DeploymentUtil.NEW_RS_AVAILABLE_REASON.equals(current.getReason());
    if (hasProgressDeadline(d) && !complete) {
      String name = d.getMetadata().getName();
      if (DeploymentUtil.deploymentComplete(d, next)) {
        String msg = newRS != null ? "ReplicaSet \"" + newRS.getMetadata().getName() + "\" has successfully progressed."
            : "Deployment \"" + name + "\" has successfully progressed.";
        setCondition(next, newCondition(DeploymentUtil.PROGRESSING, "True", DeploymentUtil.NEW_RS_AVAILABLE_REASON, msg, now()));
      } else if (DeploymentUtil.deploymentProgressing(d, next)) {
        String msg = newRS != null ? "ReplicaSet \"" + newRS.getMetadata().getName() + "\" is progressing."
            : "Deployment \"" + name + "\" is progressing.";
        DeploymentCondition c = newCondition(DeploymentUtil.PROGRESSING, "True", DeploymentUtil.RS_UPDATED_REASON, msg, now());
        // Progress moves lastUpdateTime even when the reason stays; the transition time stays while it stays True.
        if (current != null) {
          if ("True".equals(current.getStatus())) c.setLastTransitionTime(current.getLastTransitionTime());
          DeploymentUtil.removeCondition(next, DeploymentUtil.PROGRESSING);
        }
        setCondition(next, c);
      } else if (DeploymentUtil.deploymentTimedOut(d, next, now())) {
        String msg = newRS != null ? "ReplicaSet \"" + newRS.getMetadata().getName() + "\" has timed out progressing."
            : "Deployment \"" + name + "\" has timed out progressing.";
        setCondition(next, newCondition(DeploymentUtil.PROGRESSING, "False", DeploymentUtil.TIMED_OUT_REASON, msg, now()));
      }
    }
    DeploymentCondition failure = replicaFailure(all, newRS);
    if (failure != null) setCondition(next, failure);
    else DeploymentUtil.removeCondition(next, DeploymentUtil.REPLICA_FAILURE);

    if (DeploymentUtil.sameStatus(d.getStatus(), next)) {
      requeueStuckDeployment(d, next);
      return;
    }
    d.setStatus(next);
    writeStatus(d);
  }

  /** The new replica set's ReplicaFailure condition, else the first old one's, as a deployment condition. */
  private DeploymentCondition replicaFailure(List<ReplicaSet> all, ReplicaSet newRS) {
    List<ReplicaSet> order = new ArrayList<>();
    if (newRS != null) order.add(newRS);
    order.addAll(all);
    for (ReplicaSet rs : order) {
      if (rs == null || rs.getStatus() == null || rs.getStatus().getConditions() == null) continue;
      for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
        if (!DeploymentUtil.REPLICA_FAILURE.equals(c.getType())) continue;
        DeploymentCondition dc = new DeploymentCondition();
        dc.setType(c.getType());
        dc.setStatus(c.getStatus());
        dc.setReason(c.getReason());
        dc.setMessage(c.getMessage());
        dc.setLastUpdateTime(c.getLastTransitionTime());
        dc.setLastTransitionTime(c.getLastTransitionTime());
        return dc;
      }
    }
    return null;
  }

  /**
   * A rollout with no news would otherwise be looked at only on the next event: come back when its progress
   * deadline passes (lastUpdateTime + progressDeadlineSeconds), plus a second against rounding.
   *
   * @return the delay chosen, zero for "now", or null when no check is needed
   */
  Duration requeueStuckDeployment(Deployment d, DeploymentStatus next) {
    DeploymentCondition current = condition(d.getStatus(), DeploymentUtil.PROGRESSING);
    if (!hasProgressDeadline(d) || current == null) return null;
    if (DeploymentUtil.deploymentComplete(d, next) || DeploymentUtil.TIMED_OUT_REASON.equals(current.getReason())) return null;
    Instant last = Pods.time(current.getLastUpdateTime());
    if (last == null) return null;
    Duration after = Duration.between(now(), last.plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
    if (after.compareTo(Duration.ofSeconds(1)) < 0) {
      api.requeueRateLimited(d);
      return Duration.ZERO;
    }
    api.requeueAfter(d, after.plusSeconds(1));
    return after;
  }

  /** PUT of deployments/status; {@code d} takes the new resourceVersion so a second write in one sync does not conflict. */
  void writeStatus(Deployment d) {
    Deployment updated = api.updateDeploymentStatus(d);
    if (updated != null && updated.getMetadata() != null) d.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
  }

  private Instant now() { return clock.instant(); }

  private static long n(Long l) { return l == null ? 0 : l; }

  private static int n(Integer i) { return i == null ? 0 : i; }
}
