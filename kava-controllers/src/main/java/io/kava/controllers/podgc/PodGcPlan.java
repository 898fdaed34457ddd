package io.kava.controllers.podgc;

import io.fabric8.kubernetes.api.model.Pod;
import io.kava.controllers.workload.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which pods PodGC deletes in one pass (upstream's gcTerminated, gcOrphaned and gcUnscheduledTerminating, minus
 * the I/O).
 *
 * @param terminated     finished pods beyond the threshold, oldest first
 * @param orphaned       pods bound to a node that has been missing for the whole quarantine
 * @param unscheduled    pods being deleted that were never bound (no kubelet will finish them)
 * @param missingSince   nodes seen missing and since when, to carry to the next pass
 * @param nextCheck      when a quarantine ends, or null
 */
record PodGcPlan(List<Pod> terminated, List<Pod> orphaned, List<Pod> unscheduled, Map<String, Instant> missingSince, Instant nextCheck) {

  static PodGcPlan compute(List<Pod> pods, Set<String> nodes, Map<String, Instant> missingBefore, int threshold,
                           Duration quarantine, Instant now) {
    List<Pod> finished = new ArrayList<>();
    List<Pod> orphaned = new ArrayList<>();
    List<Pod> unscheduled = new ArrayList<>();
    Map<String, Instant> missing = new java.util.HashMap<>();
    Instant next = null;
    for (Pod p : pods) {
      String phase = Pods.phase(p);
      if (Pods.PHASE_SUCCEEDED.equals(phase) || Pods.PHASE_FAILED.equals(phase)) finished.add(p);
      String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
      if (node == null || node.isEmpty()) {
        if (p.getMetadata().getDeletionTimestamp() != null) unscheduled.add(p);
        continue;
      }
      if (nodes.contains(node)) continue;
      Instant since = missing.computeIfAbsent(node, n -> missingBefore.getOrDefault(n, now));
      Instant end = since.plus(quarantine);
      if (!now.isBefore(end)) orphaned.add(p);
      else if (next == null || end.isBefore(next)) next = end;
    }
    List<Pod> terminated = List.of();
    if (threshold > 0 && finished.size() > threshold) {
      finished.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp())
          .thenComparing(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()));
      terminated = List.copyOf(finished.subList(0, finished.size() - threshold));
    }
    return new PodGcPlan(terminated, List.copyOf(orphaned), List.copyOf(unscheduled), Map.copyOf(missing), next);
  }
}
