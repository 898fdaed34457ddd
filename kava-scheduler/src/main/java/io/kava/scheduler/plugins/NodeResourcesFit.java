package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.FilterPlugin;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.PreFilterPlugin;
import io.kava.scheduler.framework.Resource;
import io.kava.scheduler.framework.ScorePlugin;
import io.kava.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Filter: the node's allocatable must hold the pod's requests on top of what its pods request, and one more pod
 * (reasons "Too many pods", "Insufficient cpu", ...; all shortfalls are reported). A request larger than the node's
 * whole allocatable can never fit there: UnschedulableAndUnresolvable, so preemption does not try that node.
 * Score: least allocated (the more cpu and memory left after placing the pod, the better).
 */
public final class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  public static final String NAME = "NodeResourcesFit";

  @Override public String name() { return NAME; }

  @Override
  public List<ClusterEvent> events() {
    return List.of(ClusterEvent.of(ClusterEvent.Kind.POD, ClusterEvent.DELETE | ClusterEvent.UPDATE_POD_SCALE_DOWN),
        ClusterEvent.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_ALLOCATABLE));
  }

  @Override
  public Result preFilter(CycleState state, PodInfo pod) { return Result.SUCCESS; }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    Resource req = pod.requests();
    // The common case, from the node's own fields; the reasons are worked out below only when something is short.
    if (!req.hasScalar() && node.freePods() >= 1 && (req.milliCpu <= 0 || req.milliCpu <= node.freeMilliCpu())
        && (req.memory <= 0 || req.memory <= node.freeMemory())
        && (req.ephemeralStorage <= 0 || req.ephemeralStorage <= node.freeEphemeralStorage())) {
      return Status.SUCCESS;
    }
    List<String> reasons = null;
    boolean unresolvable = false;
    Resource alloc = node.allocatable();
    Resource used = node.requested();
    if (node.pods().size() + 1 > alloc.allowedPods) reasons = add(reasons, "Too many pods");
    if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) {
      reasons = add(reasons, "Insufficient cpu");
      unresolvable |= req.milliCpu > alloc.milliCpu;
    }
    if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
      reasons = add(reasons, "Insufficient memory");
      unresolvable |= req.memory > alloc.memory;
    }
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
      reasons = add(reasons, "Insufficient ephemeral-storage");
      unresolvable |= req.ephemeralStorage > alloc.ephemeralStorage;
    }
    for (Map.Entry<String, Long> e : req.scalar().entrySet()) {
      long want = e.getValue();
      if (want <= 0) continue;
      long have = alloc.scalar(e.getKey());
      if (want > have - used.scalar(e.getKey())) {
        reasons = add(reasons, "Insufficient " + e.getKey());
        unresolvable |= want > have;
      }
    }
    if (reasons == null) return Status.SUCCESS;
    return Status.of(unresolvable ? Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE : Status.Code.UNSCHEDULABLE, reasons);
  }

  private static List<String> add(List<String> l, String r) {
    if (l == null) l = new ArrayList<>(2);
    l.add(r);
    return l;
  }

  /** Least allocated over cpu and memory, equally weighted, counting pods that request nothing at the defaults. */
  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    long cpu = leastAllocated(node.nonZeroMilliCpu() + pod.nonZeroMilliCpu(), node.allocatableMilliCpu());
    long mem = leastAllocated(node.nonZeroMemory() + pod.nonZeroMemory(), node.allocatableMemory());
    return (cpu + mem) / 2;
  }

  static long leastAllocated(long requested, long capacity) {
    if (capacity == 0 || requested > capacity) return 0;
    return (capacity - requested) * MAX_SCORE / capacity;
  }
}
