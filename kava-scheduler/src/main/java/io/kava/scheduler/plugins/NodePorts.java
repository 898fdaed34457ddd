package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.FilterPlugin;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.PreFilterPlugin;
import io.kava.scheduler.framework.Status;
import java.util.List;

/** A pod's host ports must be free on the node (same protocol and port, on the same IP or either on 0.0.0.0). */
public final class NodePorts implements PreFilterPlugin, FilterPlugin {
  public static final String NAME = "NodePorts";
  public static final String REASON = "node(s) didn't have free ports for the requested pod ports";

  @Override public String name() { return NAME; }

  @Override
  public List<ClusterEvent> events() {
    return List.of(ClusterEvent.ASSIGNED_POD_DELETE, ClusterEvent.NODE_ADD);
  }

  @Override
  public Result preFilter(CycleState state, PodInfo pod) {
    return pod.hostPorts().isEmpty() ? Result.of(Status.skip()) : Result.SUCCESS;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    for (PodInfo.HostPort want : pod.hostPorts()) {
      for (PodInfo.HostPort used : node.usedPorts()) if (want.conflicts(used)) return Status.unschedulable(REASON);
    }
    return Status.SUCCESS;
  }
}
