package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.FilterPlugin;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.NodeSelectorTerms;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.PreFilterPlugin;
import io.kava.scheduler.framework.PreScorePlugin;
import io.kava.scheduler.framework.ScorePlugin;
import io.kava.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * spec.nodeSelector and required node affinity (both must hold) as a filter; preferred node affinity as a score
 * (the sum of the weights of the terms a node matches, scaled to 0..100).
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  public static final String NAME = "NodeAffinity";
  public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override public String name() { return NAME; }

  @Override
  public List<ClusterEvent> events() {
    return List.of(ClusterEvent.NODE_ADD, ClusterEvent.of(ClusterEvent.Kind.NODE, ClusterEvent.UPDATE_NODE_LABEL));
  }

  @Override
  public Result preFilter(CycleState state, PodInfo pod) {
    if (pod.nodeSelector().isEmpty() && pod.requiredNodeAffinity() == null) return Result.of(Status.skip());
    if (pod.requiredNodeAffinity() != null) {
      Set<String> names = pod.requiredNodeAffinity().nodeNames();
      if (names != null) {
        if (names.isEmpty()) return Result.of(Status.unresolvable(REASON));
        return Result.only(names);
      }
    }
    return Result.SUCCESS;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    return matches(pod, node) ? Status.SUCCESS : Status.unresolvable(REASON);
  }

  /** Whether {@code node} satisfies the pod's nodeSelector and required node affinity (also used by spreading). */
  public static boolean matches(PodInfo pod, NodeInfo node) {
    Map<String, String> labels = node.labels();
    for (Map.Entry<String, String> e : pod.nodeSelector().entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) return false;
    }
    NodeSelectorTerms required = pod.requiredNodeAffinity();
    return required == null || node.node() == null || required.matches(node.node());
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    return pod.preferredNodeAffinity().isEmpty() ? Status.skip() : Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    long sum = 0;
    for (PodInfo.WeightedNodeTerm t : pod.preferredNodeAffinity()) {
      if (NodeSelectorTerms.termMatches(t.term(), node)) sum += t.weight();
    }
    return sum;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    ScorePlugin.normalizeByMax(scores, false);
  }
}
