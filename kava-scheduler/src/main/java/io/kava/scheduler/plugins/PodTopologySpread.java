package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.FilterPlugin;
import io.kava.scheduler.framework.Handle;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.PodInfo.SpreadConstraint;
import io.kava.scheduler.framework.PreFilterPlugin;
import io.kava.scheduler.framework.PreScorePlugin;
import io.kava.scheduler.framework.ScorePlugin;
import io.kava.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Topology spread constraints. Hard ones (DoNotSchedule) filter: placing the pod in a domain (the node's value of
 * the topology key) must not make that domain exceed the least populated one by more than maxSkew, counting pods
 * of the pod's namespace that the constraint selects. Soft ones (ScheduleAnyway) score: fewer matching pods in the
 * node's domains is better. Only nodes that pass the pod's node affinity (nodeAffinityPolicy Honor, the default)
 * and, with nodeTaintsPolicy Honor, its tolerations, and that carry every constraint's key, count as domains.
 *
 * <p>Not implemented: the system default constraints upstream applies to pods that have none (they need the
 * pod's owning Services/ReplicaSets).
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  public static final String NAME = "PodTopologySpread";
  public static final String REASON = "node(s) didn't match pod topology spread constraints";
  public static final String REASON_MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";
  private static final CycleState.Key<Counts> FILTER = CycleState.Key.of("PreFilter" + NAME);
  private static final CycleState.Key<Counts> SCORE = CycleState.Key.of("PreScore" + NAME);

  private final Handle handle;

  public PodTopologySpread(Handle handle) { this.handle = handle; }

  /** Matching pods per domain for each constraint, and the smallest count per constraint. */
  static final class Counts implements CycleState.Data {
    final List<SpreadConstraint> constraints;
    final List<Map<String, Integer>> perDomain;
    final int[] min;

    Counts(List<SpreadConstraint> constraints) {
      this.constraints = constraints;
      this.perDomain = new ArrayList<>(constraints.size());
      for (int i = 0; i < constraints.size(); i++) perDomain.add(new HashMap<>());
      this.min = new int[constraints.size()];
    }

    private Counts(Counts o) {
      this.constraints = o.constraints;
      this.perDomain = new ArrayList<>(o.perDomain.size());
      for (Map<String, Integer> m : o.perDomain) perDomain.add(new HashMap<>(m));
      this.min = o.min.clone();
    }

    void recomputeMin() {
      for (int i = 0; i < constraints.size(); i++) {
        int m = Integer.MAX_VALUE;
        for (int v : perDomain.get(i).values()) m = Math.min(m, v);
        min[i] = m == Integer.MAX_VALUE ? 0 : m;
      }
    }

    @Override public Counts copy() { return new Counts(this); }
  }

  @Override public String name() { return NAME; }

  @Override
  public List<ClusterEvent> events() {
    return List.of(ClusterEvent.of(ClusterEvent.Kind.POD, ClusterEvent.ALL),
        ClusterEvent.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD | ClusterEvent.DELETE | ClusterEvent.UPDATE_NODE_LABEL | ClusterEvent.UPDATE_NODE_TAINT));
  }

  // ---------------------------------------------------------------------------------------------------- filter

  @Override
  public Result preFilter(CycleState state, PodInfo pod) {
    List<SpreadConstraint> hard = pod.spreadConstraints().stream().filter(SpreadConstraint::hard).toList();
    if (hard.isEmpty()) return Result.of(Status.skip());
    Counts c = count(pod, hard, handle.snapshot().list());
    state.write(FILTER, c);
    return Result.SUCCESS;
  }

  private static Counts count(PodInfo pod, List<SpreadConstraint> constraints, List<NodeInfo> nodes) {
    Counts c = new Counts(constraints);
    for (NodeInfo n : nodes) {
      if (!hasAllKeys(n, constraints)) continue;
      for (int i = 0; i < constraints.size(); i++) {
        SpreadConstraint sc = constraints.get(i);
        if (!eligible(pod, sc, n)) continue;
        int matching = 0;
        for (PodInfo p : n.pods()) if (counts(pod, sc, p)) matching++;
        c.perDomain.get(i).merge(n.labels().get(sc.topologyKey()), matching, Integer::sum);
      }
    }
    c.recomputeMin();
    return c;
  }

  private static boolean hasAllKeys(NodeInfo n, List<SpreadConstraint> constraints) {
    for (SpreadConstraint sc : constraints) if (!n.labels().containsKey(sc.topologyKey())) return false;
    return true;
  }

  private static boolean eligible(PodInfo pod, SpreadConstraint sc, NodeInfo n) {
    if (sc.honorNodeAffinity() && !NodeAffinity.matches(pod, n)) return false;
    if (sc.honorTaints() && Tolerations.firstUntolerated(n.taints(), pod.tolerations(),
        t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())) != null) return false;
    return true;
  }

  private static boolean counts(PodInfo pod, SpreadConstraint sc, PodInfo other) {
    return other.namespace().equals(pod.namespace()) && !other.terminating() && sc.selector().matches(other.labels());
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    Counts c = state.read(FILTER);
    if (c == null) return Status.SUCCESS;
    for (int i = 0; i < c.constraints.size(); i++) {
      SpreadConstraint sc = c.constraints.get(i);
      String value = node.labels().get(sc.topologyKey());
      if (value == null) return Status.unresolvable(REASON_MISSING_LABEL);
      Map<String, Integer> domains = c.perDomain.get(i);
      int minMatch = domains.size() < sc.minDomains() ? 0 : c.min[i];
      int self = sc.selector().matches(pod.labels()) ? 1 : 0;
      int skew = domains.getOrDefault(value, 0) + self - minMatch;
      if (skew > sc.maxSkew()) return Status.unschedulable(REASON);
    }
    return Status.SUCCESS;
  }

  @Override
  public Extensions extensions() {
    return new Extensions() {
      @Override
      public Status addPod(CycleState state, PodInfo toSchedule, PodInfo toAdd, NodeInfo node) { return update(state, toSchedule, toAdd, node, 1); }

      @Override
      public Status removePod(CycleState state, PodInfo toSchedule, PodInfo toRemove, NodeInfo node) { return update(state, toSchedule, toRemove, node, -1); }
    };
  }

  private static Status update(CycleState state, PodInfo pod, PodInfo other, NodeInfo node, int delta) {
    Counts c = state.read(FILTER);
    if (c == null || !hasAllKeys(node, c.constraints)) return Status.SUCCESS;
    boolean changed = false;
    for (int i = 0; i < c.constraints.size(); i++) {
      SpreadConstraint sc = c.constraints.get(i);
      if (!eligible(pod, sc, node) || !counts(pod, sc, other)) continue;
      c.perDomain.get(i).merge(node.labels().get(sc.topologyKey()), delta, Integer::sum);
      changed = true;
    }
    if (changed) c.recomputeMin();
    return Status.SUCCESS;
  }

  // ----------------------------------------------------------------------------------------------------- score

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    List<SpreadConstraint> soft = pod.spreadConstraints().stream().filter(sc -> !sc.hard()).toList();
    if (soft.isEmpty()) return Status.skip();
    state.write(SCORE, count(pod, soft, handle.snapshot().list()));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    Counts c = state.read(SCORE);
    if (c == null || !hasAllKeys(node, c.constraints)) return 0;
    double score = 0;
    for (int i = 0; i < c.constraints.size(); i++) {
      SpreadConstraint sc = c.constraints.get(i);
      Map<String, Integer> domains = c.perDomain.get(i);
      double weight = Math.log(domains.size() + 2);
      score += domains.getOrDefault(node.labels().get(sc.topologyKey()), 0) * weight + (sc.maxSkew() - 1);
    }
    return Math.round(score);
  }

  /** Fewer matching pods is better: the lowest raw score gets 100; nodes missing a key get 0. */
  @Override
  public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    Counts c = state.read(SCORE);
    if (c == null) return;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    boolean[] ignored = new boolean[scores.length];
    for (int i = 0; i < scores.length; i++) {
      ignored[i] = !hasAllKeys(nodes.get(i), c.constraints);
      if (ignored[i]) continue;
      min = Math.min(min, scores[i]);
      max = Math.max(max, scores[i]);
    }
    for (int i = 0; i < scores.length; i++) {
      if (ignored[i]) scores[i] = 0;
      else if (max == 0) scores[i] = MAX_SCORE;
      else scores[i] = MAX_SCORE * (max + min - scores[i]) / max;
    }
  }
}
