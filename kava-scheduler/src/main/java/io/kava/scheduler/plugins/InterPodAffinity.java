package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.AffinityTerm;
import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.FilterPlugin;
import io.kava.scheduler.framework.Handle;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.PreFilterPlugin;
import io.kava.scheduler.framework.PreScorePlugin;
import io.kava.scheduler.framework.ScorePlugin;
import io.kava.scheduler.framework.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pod affinity and anti-affinity. Filter, in upstream's order:
 * <ol>
 *   <li>the pod's required affinity: every term must find a selected pod in the node's domain (the first pod of a
 *       group that selects itself may go anywhere that has the keys) — else UnschedulableAndUnresolvable;</li>
 *   <li>the pod's required anti-affinity: no selected pod in the node's domain;</li>
 *   <li>existing pods' required anti-affinity: no pod whose term selects this pod in the node's domain.</li>
 * </ol>
 * Counts per topology domain are computed once in PreFilter. Score: preferred terms of both the pod and the
 * existing pods (and existing pods' required affinity, with weight 1), summed per domain, min-max scaled.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  public static final String NAME = "InterPodAffinity";
  public static final String REASON_AFFINITY = "node(s) didn't match pod affinity rules";
  public static final String REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
  public static final String REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
  /** Upstream's hardPodAffinityWeight: how much an existing pod's required affinity counts when scoring. */
  static final int HARD_POD_AFFINITY_WEIGHT = 1;
  private static final CycleState.Key<FilterState> FILTER = CycleState.Key.of("PreFilter" + NAME);
  private static final CycleState.Key<ScoreState> SCORE = CycleState.Key.of("PreScore" + NAME);

  private final Handle handle;

  public InterPodAffinity(Handle handle) { this.handle = handle; }

  /** Topology pair "key\0value". */
  static String pair(String key, String value) { return key + '\0' + value; }

  static final class FilterState implements CycleState.Data {
    final Map<String, String> nsLabels; // of the incoming pod's namespace
    final Map<String, Integer> existingAnti;
    final Map<String, Integer> affinity;
    final Map<String, Integer> anti;

    FilterState(Map<String, String> nsLabels, Map<String, Integer> existingAnti, Map<String, Integer> affinity, Map<String, Integer> anti) {
      this.nsLabels = nsLabels;
      this.existingAnti = existingAnti;
      this.affinity = affinity;
      this.anti = anti;
    }

    @Override
    public FilterState copy() { return new FilterState(nsLabels, new HashMap<>(existingAnti), new HashMap<>(affinity), new HashMap<>(anti)); }
  }

  record ScoreState(Map<String, Long> perPair) implements CycleState.Data {
    @Override public ScoreState copy() { return this; }
  }

  @Override public String name() { return NAME; }

  @Override
  public List<ClusterEvent> events() {
    return List.of(ClusterEvent.of(ClusterEvent.Kind.POD, ClusterEvent.ALL),
        ClusterEvent.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL));
  }

  // ---------------------------------------------------------------------------------------------------- filter

  @Override
  public Result preFilter(CycleState state, PodInfo pod) {
    var snapshot = handle.snapshot();
    boolean own = !pod.requiredAffinity().isEmpty() || !pod.requiredAntiAffinity().isEmpty();
    if (!own && snapshot.havePodsWithRequiredAntiAffinity().isEmpty()) return Result.of(Status.skip());
    Map<String, String> nsLabels = handle.namespaceLabels(pod.namespace());
    FilterState s = new FilterState(nsLabels, new HashMap<>(), new HashMap<>(), new HashMap<>());
    for (NodeInfo n : snapshot.havePodsWithRequiredAntiAffinity()) {
      for (PodInfo e : n.podsWithRequiredAntiAffinity()) addExistingAnti(s, pod, e, n, 1);
    }
    if (own) {
      for (NodeInfo n : snapshot.list()) {
        for (PodInfo e : n.pods()) addIncoming(s, pod, e, n, 1);
      }
    }
    state.write(FILTER, s);
    return Result.SUCCESS;
  }

  private static void addExistingAnti(FilterState s, PodInfo pod, PodInfo existing, NodeInfo n, int delta) {
    for (AffinityTerm t : existing.requiredAntiAffinity()) {
      String v = n.labels().get(t.topologyKey());
      if (v != null && t.matches(pod, s.nsLabels)) s.existingAnti.merge(pair(t.topologyKey(), v), delta, Integer::sum);
    }
  }

  private void addIncoming(FilterState s, PodInfo pod, PodInfo existing, NodeInfo n, int delta) {
    if (pod.requiredAffinity().isEmpty() && pod.requiredAntiAffinity().isEmpty()) return;
    Map<String, String> existingNs = handle.namespaceLabels(existing.namespace());
    if (!pod.requiredAffinity().isEmpty() && matchesAll(pod.requiredAffinity(), existing, existingNs)) {
      for (AffinityTerm t : pod.requiredAffinity()) {
        String v = n.labels().get(t.topologyKey());
        if (v != null) s.affinity.merge(pair(t.topologyKey(), v), delta, Integer::sum);
      }
    }
    for (AffinityTerm t : pod.requiredAntiAffinity()) {
      String v = n.labels().get(t.topologyKey());
      if (v != null && t.matches(existing, existingNs)) s.anti.merge(pair(t.topologyKey(), v), delta, Integer::sum);
    }
  }

  private static boolean matchesAll(List<AffinityTerm> terms, PodInfo p, Map<String, String> nsLabels) {
    for (AffinityTerm t : terms) if (!t.matches(p, nsLabels)) return false;
    return true;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    FilterState s = state.read(FILTER);
    if (s == null) return Status.SUCCESS;
    if (!satisfiesAffinity(s, pod, node)) return Status.unresolvable(REASON_AFFINITY);
    for (AffinityTerm t : pod.requiredAntiAffinity()) {
      String v = node.labels().get(t.topologyKey());
      if (v != null && s.anti.getOrDefault(pair(t.topologyKey(), v), 0) > 0) return Status.unschedulable(REASON_ANTI_AFFINITY);
    }
    if (!s.existingAnti.isEmpty()) {
      for (Map.Entry<String, String> l : node.labels().entrySet()) {
        if (s.existingAnti.getOrDefault(pair(l.getKey(), l.getValue()), 0) > 0) return Status.unschedulable(REASON_EXISTING_ANTI_AFFINITY);
      }
    }
    return Status.SUCCESS;
  }

  private static boolean satisfiesAffinity(FilterState s, PodInfo pod, NodeInfo node) {
    boolean podsExist = true;
    for (AffinityTerm t : pod.requiredAffinity()) {
      String v = node.labels().get(t.topologyKey());
      if (v == null) return false;
      if (s.affinity.getOrDefault(pair(t.topologyKey(), v), 0) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    // The first pod of a group with affinity to itself: allowed when no pod anywhere matches and it matches itself.
    return s.affinity.values().stream().allMatch(c -> c <= 0) && matchesAll(pod.requiredAffinity(), pod, s.nsLabels);
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

  private Status update(CycleState state, PodInfo pod, PodInfo other, NodeInfo node, int delta) {
    FilterState s = state.read(FILTER);
    if (s == null) return Status.SUCCESS;
    addExistingAnti(s, pod, other, node, delta);
    addIncoming(s, pod, other, node, delta);
    return Status.SUCCESS;
  }

  // ----------------------------------------------------------------------------------------------------- score

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    var snapshot = handle.snapshot();
    boolean preferred = !pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty();
    if (!preferred && snapshot.havePodsWithAffinity().isEmpty()) return Status.skip();
    Map<String, Long> perPair = new HashMap<>();
    Map<String, String> podNs = handle.namespaceLabels(pod.namespace());
    for (NodeInfo n : preferred ? snapshot.list() : snapshot.havePodsWithAffinity()) {
      for (PodInfo e : preferred ? n.pods() : n.podsWithAffinity()) {
        Map<String, String> eNs = handle.namespaceLabels(e.namespace());
        for (PodInfo.WeightedAffinityTerm w : pod.preferredAffinity()) {
          if (w.term().matches(e, eNs)) add(perPair, n, w.term(), w.weight());
        }
        for (PodInfo.WeightedAffinityTerm w : pod.preferredAntiAffinity()) {
          if (w.term().matches(e, eNs)) add(perPair, n, w.term(), -w.weight());
        }
        for (AffinityTerm t : e.requiredAffinity()) {
          if (t.matches(pod, podNs)) add(perPair, n, t, HARD_POD_AFFINITY_WEIGHT);
        }
        for (PodInfo.WeightedAffinityTerm w : e.preferredAffinity()) {
          if (w.term().matches(pod, podNs)) add(perPair, n, w.term(), w.weight());
        }
        for (PodInfo.WeightedAffinityTerm w : e.preferredAntiAffinity()) {
          if (w.term().matches(pod, podNs)) add(perPair, n, w.term(), -w.weight());
        }
      }
    }
    if (perPair.isEmpty()) return Status.skip();
    state.write(SCORE, new ScoreState(perPair));
    return Status.SUCCESS;
  }

  private static void add(Map<String, Long> perPair, NodeInfo n, AffinityTerm t, long weight) {
    String v = n.labels().get(t.topologyKey());
    if (v != null) perPair.merge(pair(t.topologyKey(), v), weight, Long::sum);
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    ScoreState s = state.read(SCORE);
    if (s == null) return 0;
    long sum = 0;
    for (Map.Entry<String, String> l : node.labels().entrySet()) {
      Long v = s.perPair().get(pair(l.getKey(), l.getValue()));
      if (v != null) sum += v;
    }
    return sum;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    if (state.read(SCORE) == null) return;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long s : scores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    long diff = max - min;
    for (int i = 0; i < scores.length; i++) scores[i] = diff > 0 ? MAX_SCORE * (scores[i] - min) / diff : 0;
  }
}
