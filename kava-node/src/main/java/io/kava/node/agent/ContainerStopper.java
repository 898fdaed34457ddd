package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.ContainerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a pod worker stops containers: Killing events, preStop hooks within the grace period, sidecars last. */
final class ContainerStopper {
  private static final Logger log = LoggerFactory.getLogger(ContainerStopper.class);
  /** The kubelet's floor for a container's stop timeout after its preStop hook. */
  static final long MIN_GRACE_SECONDS = 2;

  private final NodeContext ctx;

  ContainerStopper(NodeContext ctx) { this.ctx = ctx; }

  /**
   * Stops running containers (preStop, then SIGTERM and SIGKILL after the grace period): the regular ones in
   * parallel, then, as upstream does since sidecars, the sidecars one by one in reverse spec order with what is left
   * of the grace period; then the sandboxes.
   */
  void stopAll(Pod p, ObservedPod obs, long graceSeconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
    Map<String, Container> specs = new HashMap<>();
    for (Container c : p.getSpec().getContainers()) specs.put(c.getName(), c);
    for (Container c : InitContainers.of(p)) specs.put(c.getName(), c);
    ObservedPod.Sandbox sandbox = obs.readySandbox();
    Set<String> sidecars = new HashSet<>();
    for (Container c : InitContainers.sidecars(p)) sidecars.add(c.getName());
    List<Thread> stoppers = new ArrayList<>();
    for (List<ObservedPod.Instance> instances : obs.containers().values()) {
      for (ObservedPod.Instance i : instances) {
        if (!i.running() && i.state() != ContainerState.CONTAINER_CREATED || sidecars.contains(i.name())) continue;
        stoppers.add(Thread.ofVirtual().start(() -> stopInstance(p, specs.get(i.name()), i, sandbox, graceSeconds)));
      }
    }
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    List<Container> reversed = new ArrayList<>(InitContainers.sidecars(p));
    Collections.reverse(reversed);
    for (Container c : reversed) {
      for (ObservedPod.Instance i : obs.containers().getOrDefault(c.getName(), List.of())) {
        if (!i.running() && i.state() != ContainerState.CONTAINER_CREATED) continue;
        long left = graceSeconds == 0 ? 0 : Math.max(MIN_GRACE_SECONDS, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
        stopInstance(p, c, i, sandbox, left);
      }
    }
    // Only now: StopPodSandbox would kill every container at once, without its grace period.
    for (ObservedPod.Sandbox s : obs.sandboxes()) {
      if (!s.ready()) continue;
      try {
        ctx.cri().stopPodSandbox(s.id());
      } catch (CriException e) {
        if (!e.isNotFound()) throw e;
      }
    }
  }

  /** Runs the preStop hook (within the grace period) and stops the container; blocks until it is stopped. */
  private void stopInstance(Pod p, Container spec, ObservedPod.Instance i, ObservedPod.Sandbox sandbox, long graceSeconds) {
    if (spec != null && i.running()) ctx.events().killing(p, spec, null);
    long started = System.nanoTime();
    long grace = graceSeconds;
    if (spec != null && grace > 0 && spec.getLifecycle() != null && spec.getLifecycle().getPreStop() != null && i.running()) {
      String err = ctx.hooks().run(spec.getLifecycle().getPreStop(), spec, i.id(), sandbox == null ? "" : sandbox.ip(), Duration.ofSeconds(grace));
      if (err != null) {
        log.info("pod {}: preStop hook of {} failed: {}", name(p), i.name(), err);
        ctx.events().preStopFailed(p, spec, err);
      }
      long spent = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      grace = Math.max(MIN_GRACE_SECONDS, grace - spent);
    }
    stopContainer(p, i.id(), grace);
  }

  void stopContainer(Pod p, String id, long graceSeconds) {
    try {
      ctx.cri().stopContainer(id, graceSeconds);
    } catch (CriException e) {
      if (!e.isNotFound()) log.warn("pod {}: stopping container {}: {}", name(p), id, e.getMessage());
    }
  }

  private static String name(Pod p) { return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(); }
}
