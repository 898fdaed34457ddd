package io.kava.node.probe;

/**
 * Receives probe results. Called with the initial result when a container is added (readiness FAILURE,
 * liveness SUCCESS, startup UNKNOWN, or startup SUCCESS when there is no startup probe) and then whenever a
 * result changes after its threshold. Called from probe worker threads; must not block for long.
 *
 * <p>What the node agent does: readiness drives the container's {@code ready}; startup SUCCESS sets
 * {@code started}; liveness or startup FAILURE kills the container for a restart (the workers of that
 * container id then stay on hold until {@link ProbeManager#removeContainer} and a new add). A container without
 * a readiness probe hears no readiness result: as upstream, it is ready once started.
 */
@FunctionalInterface
public interface ProbeListener {
  void onResult(String containerId, ProbeKind kind, ProbeResult result, String output);

  /** Every failed attempt, before thresholds (the kubelet records an Unhealthy event for each). */
  default void attemptFailed(String containerId, ProbeKind kind, String output) { }
}
