package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.Diagnosis;
import io.kava.scheduler.framework.Framework;
import io.kava.scheduler.framework.Handle;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.PostFilterPlugin;
import io.kava.scheduler.framework.Snapshot;
import io.kava.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Preemption: when a pod fits no node, find a node where evicting pods of lower priority would make it fit, evict
 * as few and as unimportant ones as possible there, and nominate that node for the pod (status.nominatedNodeName)
 * so that it waits for the room it made.
 *
 * <p>Per candidate node (those whose rejection was not UnschedulableAndUnresolvable): remove every lower-priority
 * pod; if the pod then fits, add them back from the most important down, keeping each that still lets it fit; the
 * rest are the victims. The chosen node has the least important most-important victim, then the lowest sum of
 * priorities, then the fewest victims. PodDisruptionBudgets are not consulted.
 */
public final class DefaultPreemption implements PostFilterPlugin {
  private static final Logger log = LoggerFactory.getLogger(DefaultPreemption.class);
  public static final String NAME = "DefaultPreemption";
  public static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
  public static final String NO_VICTIMS = "No preemption victims found for incoming pod";
  /** Upstream prefixes every preemption message so users can tell it from the filter reasons before it. */
  static final String PREFIX = "preemption: ";
  static final int MIN_CANDIDATE_NODES_PERCENTAGE = 10;
  static final int MIN_CANDIDATE_NODES_ABSOLUTE = 100;

  private final Handle handle;

  public DefaultPreemption(Handle handle) { this.handle = handle; }

  record Candidate(NodeInfo node, List<PodInfo> victims) {}

  @Override public String name() { return NAME; }

  @Override
  public Result postFilter(CycleState state, PodInfo pod, Map<String, Status> filterStatuses) {
    Snapshot snapshot = handle.snapshot();
    String notEligible = notEligible(pod, snapshot, filterStatuses);
    if (notEligible != null) return new Result(Status.unschedulable(PREFIX + notEligible), null);

    Map<String, Status> statuses = new HashMap<>();
    List<NodeInfo> potential = new ArrayList<>();
    for (NodeInfo n : snapshot.list()) {
      Status s = filterStatuses.get(n.name());
      if (s != null && s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) statuses.put(n.name(), Status.unresolvable(NOT_HELPFUL));
      else potential.add(n);
    }
    List<Candidate> candidates = new ArrayList<>();
    if (!potential.isEmpty()) {
      int want = numCandidates(potential.size());
      int offset = ThreadLocalRandom.current().nextInt(potential.size());
      Framework fw = handle.framework();
      for (int i = 0; i < potential.size() && candidates.size() < want; i++) {
        NodeInfo n = potential.get((offset + i) % potential.size());
        List<PodInfo> victims = new ArrayList<>();
        Status s = selectVictims(fw, state.copy(), pod, n.copy(), victims);
        if (s.isSuccess()) candidates.add(new Candidate(n, victims));
        else statuses.put(n.name(), s);
      }
    }
    if (candidates.isEmpty()) {
      String msg = PREFIX + "0/" + snapshot.size() + " nodes are available: " + Diagnosis.histogram(statuses) + ".";
      return new Result(Status.unschedulable(msg), "");
    }
    Candidate best = pick(candidates);
    try {
      for (PodInfo v : best.victims()) handle.pods().preempt(v, pod, best.node().name());
      // Pods nominated to that node with lower priority lose their place: they may no longer fit there.
      for (PodInfo p : handle.nominatedPods(best.node().name())) {
        if (p.priority() < pod.priority() && !p.uid().equals(pod.uid())) handle.pods().clearNominatedNodeName(p);
      }
    } catch (Exception e) {
      log.warn("preempting for {} on {} failed", pod.key(), best.node().name(), e);
      return new Result(Status.error(e), null);
    }
    log.info("preempting {} pod(s) on {} for {}", best.victims().size(), best.node().name(), pod.key());
    return new Result(Status.SUCCESS, best.node().name());
  }

  /** Why the pod may not preempt, or null when it may. */
  private static String notEligible(PodInfo pod, Snapshot snapshot, Map<String, Status> filterStatuses) {
    if ("Never".equals(pod.preemptionPolicy())) return "not eligible due to preemptionPolicy=Never.";
    String nominated = pod.nominatedNodeName();
    if (!nominated.isEmpty()) {
      Status s = filterStatuses.get(nominated);
      if (s == null || s.code() != Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
        NodeInfo n = snapshot.get(nominated);
        // It already preempted there and the victims are still leaving: wait for them instead of preempting more.
        if (n != null) for (PodInfo p : n.pods()) {
          if (p.terminating() && p.priority() < pod.priority()) return "not eligible due to a terminating pod on the nominated node.";
        }
      }
    }
    return null;
  }

  static int numCandidates(int nodes) {
    int n = nodes * MIN_CANDIDATE_NODES_PERCENTAGE / 100;
    if (n < MIN_CANDIDATE_NODES_ABSOLUTE) n = MIN_CANDIDATE_NODES_ABSOLUTE;
    return Math.min(n, nodes);
  }

  /** Fills {@code victims} for {@code node} (a copy it may change); Success when preempting them makes the pod fit. */
  static Status selectVictims(Framework fw, CycleState state, PodInfo pod, NodeInfo node, List<PodInfo> victims) {
    List<PodInfo> lower = new ArrayList<>();
    for (PodInfo p : List.copyOf(node.pods())) {
      if (p.priority() < pod.priority()) {
        lower.add(p);
        node.removePod(p);
        Status s = fw.runRemovePod(state, pod, p, node);
        if (!s.isSuccess()) return s;
      }
    }
    if (lower.isEmpty()) return Status.unresolvable(NO_VICTIMS);
    Status fits = fw.runFilterWithNominatedPods(state, pod, node);
    if (!fits.isSuccess()) return fits;
    lower.sort(MORE_IMPORTANT);
    for (PodInfo p : lower) {
      node.addPod(p);
      Status s = fw.runAddPod(state, pod, p, node);
      if (!s.isSuccess()) return s;
      if (!fw.runFilterWithNominatedPods(state, pod, node).isSuccess()) {
        node.removePod(p);
        fw.runRemovePod(state, pod, p, node);
        victims.add(p);
      }
    }
    if (victims.isEmpty()) return Status.error("expected at least one victim pod on node " + node.name());
    return Status.SUCCESS;
  }

  /** Higher priority first; for equal priority, the one that started earlier (it has run longer). */
  static final Comparator<PodInfo> MORE_IMPORTANT = Comparator.comparingInt(PodInfo::priority).reversed()
      .thenComparing(p -> p.pod().getStatus() == null || p.pod().getStatus().getStartTime() == null ? "~" : p.pod().getStatus().getStartTime());

  static Candidate pick(List<Candidate> candidates) {
    Comparator<Candidate> order = Comparator
        .comparingInt((Candidate c) -> c.victims().stream().mapToInt(PodInfo::priority).max().orElse(Integer.MIN_VALUE))
        .thenComparingLong(c -> c.victims().stream().mapToLong(v -> (long) v.priority() + Integer.MAX_VALUE + 1).sum())
        .thenComparingInt(c -> c.victims().size());
    return candidates.stream().min(order).orElseThrow();
  }
}
