package io.kava.scheduler.framework;

import java.util.Map;

/**
 * Runs when no node passed the filters (e.g. preemption). Success means the pod may fit later on the nominated
 * node; Unschedulable means this plugin could not help (its message is appended to the pod's failure message).
 */
public interface PostFilterPlugin extends Plugin {
  /** @param nominatedNodeName the node the pod should wait for ("" clears a previous nomination; null leaves it) */
  record Result(Status status, String nominatedNodeName) {}

  /** @param filterStatuses each node's (non-success) filter status from this cycle */
  Result postFilter(CycleState state, PodInfo pod, Map<String, Status> filterStatuses);
}
