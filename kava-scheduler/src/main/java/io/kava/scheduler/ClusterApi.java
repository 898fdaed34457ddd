package io.kava.scheduler;

import io.kava.scheduler.framework.Handle;
import io.kava.scheduler.framework.PodInfo;

/**
 * The scheduler's writes to the API server. Implemented over HTTP by {@link FabricClusterApi}; tests substitute
 * a recording fake.
 */
public interface ClusterApi extends Handle.PodActions {
  /**
   * Records why the pod was not scheduled: condition PodScheduled=False with {@code reason} (Unschedulable or
   * SchedulerError) and {@code message}, status.nominatedNodeName when {@code nominatedNodeName} is not null ("" clears
   * it), and a FailedScheduling event. Best effort: never throws.
   */
  void recordFailure(PodInfo pod, String reason, String message, String nominatedNodeName);

  /** Records the Scheduled event ("Successfully assigned ns/name to node"). Best effort. */
  void recordScheduled(PodInfo pod, String nodeName);
}
