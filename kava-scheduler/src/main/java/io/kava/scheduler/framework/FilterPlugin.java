package io.kava.scheduler.framework;

/**
 * Decides whether the pod can run on one node. Must judge from the NodeInfo it is given (which may be a what-if
 * copy with pods added or removed), never from the snapshot, and must not modify it. Called for many nodes, from
 * several threads at once. Legal results: Success, Unschedulable, UnschedulableAndUnresolvable, Error.
 */
public interface FilterPlugin extends Plugin {
  Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
