package io.kava.scheduler.framework;

import java.util.Set;

/**
 * Runs once per cycle before filtering: computes per-pod state for Filter (into the CycleState) or rejects the pod
 * outright. Legal results: Success, Skip (this plugin's Filter is not run this cycle), Unschedulable,
 * UnschedulableAndUnresolvable (no node is tried), Error. A result may also narrow the nodes to consider.
 */
public interface PreFilterPlugin extends Plugin {
  /**
   * @param status the outcome
   * @param nodeNames when not null, only these nodes can take the pod (e.g. spec.nodeName, a metadata.name affinity)
   */
  record Result(Status status, Set<String> nodeNames) {
    public static final Result SUCCESS = new Result(Status.SUCCESS, null);

    public static Result of(Status s) { return s.isSuccess() ? SUCCESS : new Result(s, null); }

    public static Result only(Set<String> names) { return new Result(Status.SUCCESS, names); }
  }

  Result preFilter(CycleState state, PodInfo pod);

  /**
   * How this plugin's PreFilter state changes when a pod is added to or removed from a node, for preemption's dry
   * runs and for nominated pods; null when its state does not depend on other pods.
   */
  default Extensions extensions() { return null; }

  /** Incremental updates of this plugin's CycleState; each must be the exact inverse of the other. */
  interface Extensions {
    Status addPod(CycleState state, PodInfo toSchedule, PodInfo toAdd, NodeInfo node);

    Status removePod(CycleState state, PodInfo toSchedule, PodInfo toRemove, NodeInfo node);
  }
}
