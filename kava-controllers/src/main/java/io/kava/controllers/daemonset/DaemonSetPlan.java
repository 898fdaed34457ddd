package io.kava.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import io.kava.controllers.workload.IntOrPercent;
import io.kava.controllers.workload.Pods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decisions of one DaemonSet sync, computed from cached state without writing anything (upstream's manage,
 * podsShouldBeOnNode, rollingUpdate and updateDaemonSetStatus): which nodes need a pod, which pods go, and the
 * status those pods add up to.
 *
 * @param createOn nodes to create a daemon pod on
 * @param delete   pods to delete
 * @param failed   failed pods among {@code delete} (for the FailedDaemonPod event)
 */
record DaemonSetPlan(List<String> createOn, List<Pod> delete, List<Pod> failed) {

  /** The view of the DaemonSet a sync works from: its pod spec (with daemon tolerations) and current revision. */
  record Input(DaemonSet ds, PodSpec podSpec, String hash, String generation, List<Node> nodes, List<Pod> pods, Instant now) {}

  static boolean rolling(DaemonSet ds) {
    var s = ds.getSpec().getUpdateStrategy();
    return s == null || s.getType() == null || "RollingUpdate".equals(s.getType());
  }

  /** The live (not being deleted) pods of each node; pods bound to or meant for no node are under "". */
  static Map<String, List<Pod>> byNode(List<Pod> pods, boolean includeTerminating) {
    Map<String, List<Pod>> out = new HashMap<>();
    for (Pod p : pods) {
      if (!includeTerminating && p.getMetadata().getDeletionTimestamp() != null) continue;
      String node = DaemonPods.targetNode(p);
      out.computeIfAbsent(node == null ? "" : node, k -> new ArrayList<>()).add(p);
    }
    out.values().forEach(l -> l.sort(byCreation()));
    return out;
  }

  static Comparator<Pod> byCreation() {
    return Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp())
        .thenComparing(p -> p.getMetadata().getName());
  }

  static DaemonSetPlan compute(Input in) {
    DaemonSet ds = in.ds();
    boolean deleting = ds.getMetadata().getDeletionTimestamp() != null;
    Map<String, List<Pod>> all = byNode(in.pods(), true);
    Map<String, List<Pod>> live = byNode(in.pods(), false);
    int surge = rolling(ds) ? maxSurge(ds, desired(in)) : 0;
    List<String> createOn = new ArrayList<>();
    Set<Pod> delete = new LinkedHashSet<>();
    List<Pod> failed = new ArrayList<>();
    Set<String> nodeNames = new java.util.HashSet<>();
    for (Node node : in.nodes()) {
      String name = node.getMetadata().getName();
      nodeNames.add(name);
      NodeEligibility e = NodeEligibility.of(in.podSpec(), node, deleting);
      List<Pod> pods = live.getOrDefault(name, List.of());
      if (e.shouldRun() && all.getOrDefault(name, List.of()).isEmpty()) {
        createOn.add(name); // a terminating pod blocks its replacement until it is gone
      } else if (e.shouldContinueRunning()) {
        List<Pod> running = new ArrayList<>();
        for (Pod p : pods) {
          if (Pods.PHASE_FAILED.equals(Pods.phase(p))) {
            delete.add(p);
            failed.add(p);
          } else {
            running.add(p);
          }
        }
        if (surge == 0) {
          // One pod per node: the oldest stays.
          for (int i = 1; i < running.size(); i++) delete.add(running.get(i));
        } else {
          // With surge, one old and one updated pod may share a node during a rollout: keep the oldest of each.
          List<Pod> updated = running.stream().filter(p -> DaemonPods.isUpdated(p, in.hash(), in.generation())).toList();
          List<Pod> old = running.stream().filter(p -> !DaemonPods.isUpdated(p, in.hash(), in.generation())).toList();
          for (int i = 1; i < updated.size(); i++) delete.add(updated.get(i));
          for (int i = 1; i < old.size(); i++) delete.add(old.get(i));
        }
      } else {
        delete.addAll(pods);
      }
    }
    // Pods meant for nodes that no longer exist (or for none) have nowhere to run.
    live.forEach((node, pods) -> {
      if (!nodeNames.contains(node)) delete.addAll(pods);
    });
    if (rolling(ds) && !deleting) rollingUpdate(in, live, createOn, delete, surge);
    return new DaemonSetPlan(List.copyOf(createOn), List.copyOf(delete), List.copyOf(failed));
  }

  /**
   * Upstream's rollingUpdate. Without surge: old pods are deleted while at most maxUnavailable nodes lack an
   * available daemon pod (old pods that are not available go at once). With surge: an updated pod is started beside
   * an available old one on up to maxSurge nodes, and the old one goes once the new one is available.
   */
  private static void rollingUpdate(Input in, Map<String, List<Pod>> live, List<String> createOn, Set<Pod> delete, int surge) {
    int desired = desired(in);
    int maxUnavailable = maxUnavailable(in.ds(), desired);
    int minReady = minReadySeconds(in.ds());
    int numUnavailable = 0;
    int numSurge = 0;
    List<Pod> allowed = new ArrayList<>();
    List<Pod> candidates = new ArrayList<>();
    List<String> surgeNodes = new ArrayList<>();
    for (Node node : in.nodes()) {
      String name = node.getMetadata().getName();
      NodeEligibility e = NodeEligibility.of(in.podSpec(), node, false);
      if (!e.shouldRun()) continue;
      List<Pod> pods = live.getOrDefault(name, List.of()).stream().filter(p -> !delete.contains(p) && !Pods.PHASE_FAILED.equals(Pods.phase(p))).toList();
      Pod newPod = null;
      Pod oldPod = null;
      boolean ok = true;
      for (Pod p : pods) {
        if (DaemonPods.isUpdated(p, in.hash(), in.generation())) {
          if (newPod != null) ok = false;
          newPod = p;
        } else {
          if (oldPod != null) ok = false;
          oldPod = p;
        }
      }
      if (!ok) continue; // duplicates: manage cleans them up first
      boolean oldAvailable = oldPod != null && Pods.isAvailable(oldPod, minReady, in.now());
      boolean newAvailable = newPod != null && Pods.isAvailable(newPod, minReady, in.now());
      if (surge == 0) {
        if (oldPod == null && newPod == null) numUnavailable++;
        else if (oldPod == null) {
          if (!newAvailable) numUnavailable++;
        } else if (newPod == null) {
          if (!oldAvailable) allowed.add(oldPod);
          else candidates.add(oldPod);
        }
      } else {
        if (oldPod == null) {
          if (newPod == null || !newAvailable) numUnavailable++;
        } else if (newPod == null) {
          if (!oldAvailable) allowed.add(oldPod); // replace an unavailable pod at once
          else surgeNodes.add(name);
        } else if (newAvailable) {
          delete.add(oldPod); // the replacement is up
        } else {
          numSurge++;
        }
      }
    }
    if (surge == 0) {
      int remaining = Math.max(0, maxUnavailable - numUnavailable);
      delete.addAll(allowed);
      for (int i = 0; i < Math.min(remaining, candidates.size()); i++) delete.add(candidates.get(i));
    } else {
      delete.addAll(allowed);
      for (String n : surgeNodes) {
        if (numSurge >= surge) break;
        createOn.add(n);
        numSurge++;
      }
    }
  }

  /** Nodes that should run the daemon pod. */
  static int desired(Input in) {
    int n = 0;
    for (Node node : in.nodes()) if (NodeEligibility.of(in.podSpec(), node, false).shouldRun()) n++;
    return n;
  }

  static int maxSurge(DaemonSet ds, int desired) {
    RollingUpdateDaemonSet ru = ds.getSpec().getUpdateStrategy() == null ? null : ds.getSpec().getUpdateStrategy().getRollingUpdate();
    return ru == null ? 0 : IntOrPercent.scaled(ru.getMaxSurge(), desired, true, 0);
  }

  /** Upstream: percentages round up; with neither budget set (validation forbids both zero) one node at a time. */
  static int maxUnavailable(DaemonSet ds, int desired) {
    RollingUpdateDaemonSet ru = ds.getSpec().getUpdateStrategy() == null ? null : ds.getSpec().getUpdateStrategy().getRollingUpdate();
    int u = ru == null ? 1 : IntOrPercent.scaled(ru.getMaxUnavailable(), desired, true, 1);
    return u == 0 && maxSurge(ds, desired) == 0 ? 1 : u;
  }

  static int minReadySeconds(DaemonSet ds) {
    return ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
  }

  /** Upstream's updateDaemonSetStatus counts (observedGeneration and collisionCount are the caller's). */
  static DaemonSetStatus status(Input in) {
    Map<String, List<Pod>> live = byNode(in.pods(), false);
    int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
    int minReady = minReadySeconds(in.ds());
    for (Node node : in.nodes()) {
      String name = node.getMetadata().getName();
      boolean shouldRun = NodeEligibility.of(in.podSpec(), node, false).shouldRun();
      List<Pod> pods = live.getOrDefault(name, List.of());
      boolean scheduled = !pods.isEmpty();
      if (shouldRun) {
        desired++;
        if (!scheduled) continue;
        current++;
        Pod p = pods.getFirst(); // the oldest
        if (Pods.isReady(p)) {
          ready++;
          if (Pods.isAvailable(p, minReady, in.now())) available++;
        }
        if (DaemonPods.isUpdated(p, in.hash(), in.generation())) updated++;
      } else if (scheduled) {
        misscheduled++;
      }
    }
    DaemonSetStatus s = new DaemonSetStatus();
    s.setDesiredNumberScheduled(desired);
    s.setCurrentNumberScheduled(current);
    s.setNumberMisscheduled(misscheduled);
    s.setNumberReady(ready);
    s.setNumberAvailable(available == 0 ? null : available);
    s.setUpdatedNumberScheduled(updated == 0 ? null : updated);
    s.setNumberUnavailable(desired - available == 0 ? null : desired - available);
    return s;
  }
}
