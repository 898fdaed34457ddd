package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.ScorePlugin;
import java.util.List;

/**
 * NodeResourcesBalancedAllocation: prefers nodes where cpu and memory would be used in similar fractions after
 * placing the pod: score = (1 - standard deviation of the fractions) * 100.
 */
public final class BalancedAllocation implements ScorePlugin {
  public static final String NAME = "NodeResourcesBalancedAllocation";

  @Override public String name() { return NAME; }

  @Override
  public List<ClusterEvent> events() {
    return List.of(ClusterEvent.of(ClusterEvent.Kind.POD, ClusterEvent.DELETE | ClusterEvent.UPDATE_POD_SCALE_DOWN),
        ClusterEvent.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_ALLOCATABLE));
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    double cpu = fraction(node.nonZeroMilliCpu() + pod.nonZeroMilliCpu(), node.allocatableMilliCpu());
    double mem = fraction(node.nonZeroMemory() + pod.nonZeroMemory(), node.allocatableMemory());
    double std = Math.abs(cpu - mem) / 2; // the standard deviation of two values
    return (long) ((1 - std) * MAX_SCORE);
  }

  private static double fraction(long requested, long capacity) {
    if (capacity == 0) return 1;
    return Math.min(1.0, (double) requested / capacity);
  }
}
