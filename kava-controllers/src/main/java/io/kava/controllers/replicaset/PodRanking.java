package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.kava.controllers.workload.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which pods a shrinking replica set deletes first (upstream's ActivePodsWithRanks, with LogarithmicScaleDown and
 * PodDeletionCost as in current releases). Earlier in the order means deleted sooner:
 *
 * <ol>
 *   <li>not scheduled before scheduled;</li>
 *   <li>Pending before Unknown before Running;</li>
 *   <li>not ready before ready;</li>
 *   <li>lower {@code controller.kubernetes.io/pod-deletion-cost} first;</li>
 *   <li>pods on nodes crowded with related pods (same owner) first;</li>
 *   <li>ready more recently first, compared on a log2 time scale (pods ready within the same power of two of each
 *       other count as equally new);</li>
 *   <li>more container restarts first (regular containers, then sidecars);</li>
 *   <li>created more recently first, on the same log2 scale;</li>
 *   <li>then by uid, so the order is total and repeatable.</li>
 * </ol>
 *
 * Upstream breaks a tie in the log2 buckets by uid at once; here the later rules get a say first. That keeps the
 * comparison a consistent total order, which a Java sort requires.
 */
public final class PodRanking {
  public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

  private PodRanking() {}

  /**
   * The {@code diff} pods of {@code pods} to delete: all of them if diff covers them, else the first in the order
   * above. {@code related} are the active and inactive pods of every replica set under the same controller, used to
   * count pods per node.
   */
  public static List<Pod> podsToDelete(List<Pod> pods, List<Pod> related, int diff, Instant now) {
    if (diff >= pods.size()) return List.copyOf(pods);
    Map<String, Integer> onNode = new HashMap<>();
    for (Pod p : related) {
      if (Pods.isActive(p)) onNode.merge(nodeName(p), 1, Integer::sum);
    }
    List<Pod> sorted = new ArrayList<>(pods);
    sorted.sort(order(p -> onNode.getOrDefault(nodeName(p), 0), now));
    return List.copyOf(sorted.subList(0, diff));
  }

  /** The deletion order with {@code rank(pod)} = related active pods on the pod's node. */
  public static Comparator<Pod> order(java.util.function.ToIntFunction<Pod> rank, Instant now) {
    return (a, b) -> {
      boolean assignedA = !nodeName(a).isEmpty();
      boolean assignedB = !nodeName(b).isEmpty();
      if (assignedA != assignedB) return assignedA ? 1 : -1;
      int c = Integer.compare(phaseOrdinal(a), phaseOrdinal(b));
      if (c != 0) return c;
      boolean readyA = Pods.isReady(a);
      boolean readyB = Pods.isReady(b);
      if (readyA != readyB) return readyA ? 1 : -1;
      c = Integer.compare(deletionCost(a), deletionCost(b));
      if (c != 0) return c;
      c = Integer.compare(rank.applyAsInt(b), rank.applyAsInt(a)); // more doubled up first
      if (c != 0) return c;
      if (readyA) {
        c = newerFirst(Pods.readySince(a), Pods.readySince(b), now);
        if (c != 0) return c;
      }
      int[] ra = maxRestarts(a);
      int[] rb = maxRestarts(b);
      c = Integer.compare(rb[0], ra[0]);
      if (c != 0) return c;
      c = Integer.compare(rb[1], ra[1]);
      if (c != 0) return c;
      c = newerFirst(Pods.time(a.getMetadata().getCreationTimestamp()), Pods.time(b.getMetadata().getCreationTimestamp()), now);
      if (c != 0) return c;
      return Objects.toString(a.getMetadata().getUid(), "").compareTo(Objects.toString(b.getMetadata().getUid(), ""));
    };
  }

  /** Missing times first, then the more recent on a log2 scale of their age. */
  static int newerFirst(Instant a, Instant b, Instant now) {
    if (Objects.equals(a, b)) return 0;
    if (a == null || b == null) return a == null ? -1 : 1;
    return Long.compare(logBucket(a, now), logBucket(b, now));
  }

  /** floor(log2(age in nanoseconds)), -1 for a time not in the past. */
  static long logBucket(Instant t, Instant now) {
    long nanos;
    try {
      nanos = Duration.between(t, now).toNanos();
    } catch (ArithmeticException overflow) {
      nanos = Long.MAX_VALUE;
    }
    return nanos > 0 ? 63 - Long.numberOfLeadingZeros(nanos) : -1;
  }

  static int phaseOrdinal(Pod p) {
    String phase = Pods.phase(p);
    if (Pods.PHASE_UNKNOWN.equals(phase)) return 1;
    if (Pods.PHASE_RUNNING.equals(phase)) return 2;
    return 0; // Pending and anything else
  }

  static int deletionCost(Pod p) {
    Map<String, String> ann = p.getMetadata().getAnnotations();
    String v = ann == null ? null : ann.get(DELETION_COST);
    if (v == null) return 0;
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return 0; // invalid costs are rejected by validation; treat leftovers as the default
    }
  }

  /** [max restarts of regular containers, max restarts of sidecar (restartPolicy Always init) containers]. */
  static int[] maxRestarts(Pod p) {
    int regular = 0;
    int sidecar = 0;
    if (p.getStatus() == null) return new int[] {0, 0};
    if (p.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus s : p.getStatus().getContainerStatuses()) regular = Math.max(regular, restarts(s));
    }
    Set<String> sidecars = new HashSet<>();
    if (p.getSpec() != null && p.getSpec().getInitContainers() != null) {
      for (Container c : p.getSpec().getInitContainers()) {
        if ("Always".equals(c.getRestartPolicy())) sidecars.add(c.getName());
      }
    }
    if (p.getStatus().getInitContainerStatuses() != null) {
      for (ContainerStatus s : p.getStatus().getInitContainerStatuses()) {
        if (sidecars.contains(s.getName())) sidecar = Math.max(sidecar, restarts(s));
      }
    }
    return new int[] {regular, sidecar};
  }

  private static int restarts(ContainerStatus s) { return s.getRestartCount() == null ? 0 : s.getRestartCount(); }

  static String nodeName(Pod p) {
    String n = p.getSpec() == null ? null : p.getSpec().getNodeName();
    return n == null ? "" : n;
  }
}
