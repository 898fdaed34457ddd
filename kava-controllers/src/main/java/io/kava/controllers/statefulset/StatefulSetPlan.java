package io.kava.controllers.statefulset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.kava.controllers.workload.Pods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The decisions of one StatefulSet sync (upstream's updateStatefulSet with maxUnavailable 1), computed from cached
 * pods without writing anything. Under OrderedReady at most one action is returned: ordinals are created upwards
 * and each waits for its predecessor to be Running and Ready (and available after minReadySeconds); surplus pods
 * are deleted downwards, one at a time. Under Parallel every missing pod is created and every surplus pod deleted
 * at once. A RollingUpdate then replaces pods from the highest ordinal down to the partition, one at a time, each
 * after the previous replacement became healthy; OnDelete leaves replacing to whoever deletes the pods.
 */
final class StatefulSetPlan {
  private StatefulSetPlan() {}

  /** What a sync does. */
  sealed interface Action permits Create, Delete {}

  /** Create the pod of {@code ordinal} from the update revision ({@code update}) or the current one. */
  record Create(int ordinal, boolean update) implements Action {}

  /** Delete {@code pod}: a failed or finished replica, a surplus ordinal, or an old revision being replaced. */
  record Delete(Pod pod, Reason reason) implements Action {}

  enum Reason { FAILED, CONDEMNED, UPDATE }

  static boolean monotonic(StatefulSet set) { return !"Parallel".equals(set.getSpec().getPodManagementPolicy()); }

  static boolean rolling(StatefulSet set) {
    var s = set.getSpec().getUpdateStrategy();
    return s == null || s.getType() == null || "RollingUpdate".equals(s.getType());
  }

  static int partition(StatefulSet set) {
    var s = set.getSpec().getUpdateStrategy();
    return s == null || s.getRollingUpdate() == null || s.getRollingUpdate().getPartition() == null ? 0 : s.getRollingUpdate().getPartition();
  }

  static int replicas(StatefulSet set) { return set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas(); }

  static int minReadySeconds(StatefulSet set) { return set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds(); }

  /** Upstream's newVersionedStatefulSetPod choice: below the partition pods keep the current revision. */
  static boolean useUpdateRevision(StatefulSet set, int ordinal) {
    if (!rolling(set)) return true;
    var ru = set.getSpec().getUpdateStrategy() == null ? null : set.getSpec().getUpdateStrategy().getRollingUpdate();
    if (ru == null) {
      int currentReplicas = set.getStatus() == null || set.getStatus().getCurrentReplicas() == null ? 0 : set.getStatus().getCurrentReplicas();
      return ordinal >= currentReplicas;
    }
    return ordinal >= partition(set);
  }

  static List<Action> plan(StatefulSet set, List<Pod> pods, String updateRevision, Instant now) {
    int start = StatefulPods.startOrdinal(set);
    int count = replicas(set);
    boolean monotonic = monotonic(set);
    int minReady = minReadySeconds(set);
    Pod[] replicas = new Pod[count];
    List<Pod> condemned = new ArrayList<>();
    for (Pod p : pods) {
      int ord = StatefulPods.ordinal(p);
      if (ord >= start && ord < start + count) {
        if (replicas[ord - start] == null) replicas[ord - start] = p;
      } else {
        condemned.add(p);
      }
    }
    condemned.sort(Comparator.comparingInt(StatefulPods::ordinal).reversed());
    Pod firstUnhealthy = null;
    for (Pod p : replicas) {
      if (p != null && !healthy(p)) {
        firstUnhealthy = p;
        break;
      }
    }
    if (firstUnhealthy == null) {
      for (Pod p : condemned) {
        if (!healthy(p)) {
          firstUnhealthy = p;
          break;
        }
      }
    }

    List<Action> actions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Pod p = replicas[i];
      int ord = start + i;
      if (p == null) {
        actions.add(new Create(ord, useUpdateRevision(set, ord)));
        if (monotonic) return actions;
        continue;
      }
      String phase = Pods.phase(p);
      boolean finished = Pods.PHASE_FAILED.equals(phase) || Pods.PHASE_SUCCEEDED.equals(phase);
      if (finished && p.getMetadata().getDeletionTimestamp() == null) {
        actions.add(new Delete(p, Reason.FAILED)); // recreated once it is gone
        if (monotonic) return actions;
        continue;
      }
      if (p.getMetadata().getDeletionTimestamp() != null) {
        if (monotonic) return actions;
        continue;
      }
      if (monotonic && !(runningAndReady(p) && Pods.isAvailable(p, minReady, now))) return actions;
    }
    for (Pod p : condemned) {
      if (p.getMetadata().getDeletionTimestamp() != null) {
        if (monotonic) return actions;
        continue;
      }
      if (monotonic && !runningAndReady(p) && p != firstUnhealthy) return actions;
      actions.add(new Delete(p, Reason.CONDEMNED));
      if (monotonic) return actions;
    }
    if (!rolling(set) || !actions.isEmpty()) return actions;
    int partition = partition(set);
    for (int i = count - 1; i >= 0 && start + i >= partition; i--) {
      Pod p = replicas[i];
      if (p == null) return actions;
      if (!updateRevision.equals(StatefulPods.revision(p)) && p.getMetadata().getDeletionTimestamp() == null) {
        actions.add(new Delete(p, Reason.UPDATE));
        return actions;
      }
      if (!healthy(p)) return actions;
    }
    return actions;
  }

  static boolean runningAndReady(Pod p) { return Pods.PHASE_RUNNING.equals(Pods.phase(p)) && Pods.isReady(p); }

  static boolean healthy(Pod p) { return runningAndReady(p) && p.getMetadata().getDeletionTimestamp() == null; }

  /**
   * Upstream's computeReplicaStatus and completeRollingUpdate (observedGeneration and collisionCount are the
   * caller's).
   */
  static StatefulSetStatus status(StatefulSet set, List<Pod> pods, String currentRevision, String updateRevision, Instant now) {
    int replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
    int minReady = minReadySeconds(set);
    for (Pod p : pods) {
      replicas++;
      if (runningAndReady(p)) {
        ready++;
        if (Pods.isAvailable(p, minReady, now)) available++;
      }
      if (p.getMetadata().getDeletionTimestamp() == null) {
        String rev = StatefulPods.revision(p);
        if (currentRevision.equals(rev)) current++;
        if (updateRevision.equals(rev)) updated++;
      }
    }
    StatefulSetStatus s = new StatefulSetStatus();
    s.setReplicas(replicas);
    s.setReadyReplicas(ready);
    s.setAvailableReplicas(available);
    s.setCurrentReplicas(current);
    s.setUpdatedReplicas(updated);
    s.setCurrentRevision(currentRevision);
    s.setUpdateRevision(updateRevision);
    if (rolling(set) && updated == replicas && ready == replicas) {
      s.setCurrentReplicas(updated);
      s.setCurrentRevision(updateRevision);
    }
    return s;
  }
}
