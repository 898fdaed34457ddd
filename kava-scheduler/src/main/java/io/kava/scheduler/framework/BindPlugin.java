package io.kava.scheduler.framework;

/**
 * Binds the pod to the node (through the API). Skip hands the pod to the next binder; the first non-Skip result
 * counts. Runs off the scheduling thread.
 */
public interface BindPlugin extends Plugin {
  Status bind(CycleState state, PodInfo pod, String nodeName);
}
