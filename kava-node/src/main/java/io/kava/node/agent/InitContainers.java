package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * Which init containers a pod worker drives next, as upstream's kubelet decides (sidecars, 1.29+): init containers
 * run one at a time in spec order; a regular one must exit 0 before the next starts, a sidecar (an init container
 * with {@code restartPolicy: Always}) must be running and started (its startupProbe passed, if it has one) and then
 * keeps running. Once the pod is initialized (some regular container was started) regular init containers never
 * run again, and only sidecars that stopped are driven back to running. Pure functions.
 */
final class InitContainers {
  private InitContainers() {}

  /** Whether the container is started in the probe manager's sense (running, and its startupProbe passed). */
  @FunctionalInterface
  interface Started {
    boolean test(Container c, ObservedPod.Instance running);
  }

  /**
   * @param drive the init containers to start, re-create or restart now (at most one before initialization)
   * @param initialized every regular init container completed and every sidecar started: regular containers may run
   */
  record Plan(List<Container> drive, boolean initialized) {}

  static boolean isSidecar(Container c) { return "Always".equals(c.getRestartPolicy()); }

  static List<Container> of(Pod p) { return p.getSpec().getInitContainers() == null ? List.of() : p.getSpec().getInitContainers(); }

  static List<Container> sidecars(Pod p) { return of(p).stream().filter(InitContainers::isSidecar).toList(); }

  /** The pod got past its init containers once: a regular container has an instance. */
  static boolean wasInitialized(Pod p, ObservedPod obs) {
    for (Container c : p.getSpec().getContainers()) if (obs.latest(c.getName()) != null) return true;
    return false;
  }

  static Plan plan(Pod p, ObservedPod obs, Started started) {
    if (wasInitialized(p, obs)) {
      List<Container> stopped = new ArrayList<>();
      for (Container c : sidecars(p)) {
        ObservedPod.Instance latest = obs.latest(c.getName());
        if (latest == null || !latest.running()) stopped.add(c);
      }
      return new Plan(stopped, true);
    }
    for (Container c : of(p)) {
      ObservedPod.Instance latest = obs.latest(c.getName());
      if (isSidecar(c)) {
        if (latest == null || !latest.running()) return new Plan(List.of(c), false);
        if (!started.test(c, latest)) return new Plan(List.of(), false); // wait for its startupProbe
      } else {
        if (latest != null && latest.exited() && latest.exitCode() == 0) continue;
        if (latest != null && latest.running()) return new Plan(List.of(), false); // wait for it to finish
        return new Plan(List.of(c), false);
      }
    }
    return new Plan(List.of(), true);
  }
}
