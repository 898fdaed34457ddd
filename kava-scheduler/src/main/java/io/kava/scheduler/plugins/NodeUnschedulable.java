package io.kava.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.FilterPlugin;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Status;
import java.util.List;

/** A cordoned node (spec.unschedulable) takes only pods that tolerate node.kubernetes.io/unschedulable:NoSchedule. */
public final class NodeUnschedulable implements FilterPlugin {
  public static final String NAME = "NodeUnschedulable";
  public static final String REASON = "node(s) were unschedulable";
  static final Taint UNSCHEDULABLE = new TaintBuilder().withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build();

  @Override public String name() { return NAME; }

  @Override
  public List<ClusterEvent> events() {
    return List.of(ClusterEvent.NODE_ADD, ClusterEvent.of(ClusterEvent.Kind.NODE, ClusterEvent.UPDATE_NODE_TAINT));
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    if (!node.unschedulable() || Tolerations.tolerated(pod.tolerations(), UNSCHEDULABLE)) return Status.SUCCESS;
    return Status.unresolvable(REASON);
  }
}
