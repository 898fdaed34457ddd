package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.FilterPlugin;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Status;
import java.util.List;

/** A pod that names its node (spec.nodeName) fits only that node. */
public final class NodeName implements FilterPlugin {
  public static final String NAME = "NodeName";
  public static final String REASON = "node(s) didn't match the requested node name";

  @Override public String name() { return NAME; }

  @Override public List<ClusterEvent> events() { return List.of(ClusterEvent.NODE_ADD); }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    String want = pod.nodeName();
    return want.isEmpty() || want.equals(node.name()) ? Status.SUCCESS : Status.unresolvable(REASON);
  }
}
