package io.kava.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.FilterPlugin;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.PreScorePlugin;
import io.kava.scheduler.framework.ScorePlugin;
import io.kava.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Filter: a node with a NoSchedule or NoExecute taint the pod does not tolerate is out. Score: fewer untolerated
 * PreferNoSchedule taints is better.
 */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  public static final String NAME = "TaintToleration";
  private static final CycleState.Key<Prefer> PREFER = CycleState.Key.of("PreScore" + NAME);

  private record Prefer(List<Toleration> tolerations) implements CycleState.Data {
    @Override public CycleState.Data copy() { return this; }
  }

  @Override public String name() { return NAME; }

  @Override
  public List<ClusterEvent> events() {
    return List.of(ClusterEvent.NODE_ADD, ClusterEvent.of(ClusterEvent.Kind.NODE, ClusterEvent.UPDATE_NODE_TAINT));
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    Taint t = Tolerations.firstUntolerated(node.taints(), pod.tolerations(),
        x -> "NoSchedule".equals(x.getEffect()) || "NoExecute".equals(x.getEffect()));
    if (t == null) return Status.SUCCESS;
    return Status.unresolvable("node(s) had untolerated taint {" + Tolerations.nz(t.getKey()) + ": " + Tolerations.nz(t.getValue()) + "}");
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    List<Toleration> prefer = new ArrayList<>();
    for (Toleration t : pod.tolerations()) {
      String e = Tolerations.nz(t.getEffect());
      if (e.isEmpty() || e.equals("PreferNoSchedule")) prefer.add(t);
    }
    state.write(PREFER, new Prefer(List.copyOf(prefer)));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    Prefer p = state.read(PREFER);
    List<Toleration> tol = p == null ? pod.tolerations() : p.tolerations();
    long n = 0;
    for (Taint t : node.taints()) if ("PreferNoSchedule".equals(t.getEffect()) && !Tolerations.tolerated(tol, t)) n++;
    return n;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    ScorePlugin.normalizeByMax(scores, true);
  }
}
