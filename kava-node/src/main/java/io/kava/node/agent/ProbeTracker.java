package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.kava.node.cri.CriClient;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.ExecSyncResponse;
import io.kava.node.probe.ExecRunner;
import io.kava.node.probe.ProbeKind;
import io.kava.node.probe.ProbeListener;
import io.kava.node.probe.ProbeManager;
import io.kava.node.probe.ProbeResult;
import io.kava.node.probe.Prober;
import io.kava.node.probe.SystemProbeClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the probe manager to the pod workers: running containers are tracked (probing starts), their readiness
 * and startup results answer {@link PodStatusBuilder.Probes}, and every change wakes the pod's worker; a liveness
 * or startup failure asks the worker to kill the container, which then restarts under its restart policy.
 */
final class ProbeTracker implements PodStatusBuilder.Probes, ProbeListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeTracker.class);

  /** What the worker is told. */
  interface Events {
    void changed(String podUid);

    void failed(String podUid, String containerId, String container, String message);
  }

  private static final class State {
    final String podUid;
    final String container;
    final ObjectReference reference;
    volatile boolean ready;
    volatile boolean started;

    State(String podUid, String container, ObjectReference reference, boolean ready, boolean started) {
      this.podUid = podUid;
      this.container = container;
      this.reference = reference;
      this.ready = ready;
      this.started = started;
    }
  }

  private final Map<String, State> byId = new ConcurrentHashMap<>();
  private final SystemProbeClock clock = new SystemProbeClock();
  private final ProbeManager manager;
  private final PodEvents podEvents;
  private volatile Events events;

  ProbeTracker(CriClient cri, PodEvents podEvents) {
    this.manager = new ProbeManager(new Prober(execRunner(cri)), clock, this);
    this.podEvents = podEvents;
  }

  void events(Events e) { this.events = e; }

  static ExecRunner execRunner(CriClient cri) {
    return (id, command, timeout) -> {
      try {
        ExecSyncResponse r = cri.execSync(id, command, Math.max(1, timeout.toSeconds()));
        return new ExecRunner.Result(r.getExitCode(), r.getStdout().toString(StandardCharsets.UTF_8) + r.getStderr().toString(StandardCharsets.UTF_8));
      } catch (CriException e) {
        if (e.isDeadlineExceeded()) throw new TimeoutException("command timed out after " + timeout.toSeconds() + "s");
        throw e;
      }
    };
  }

  /** Starts probing a running container (once per container id). */
  void track(Pod pod, Container c, String containerId, long startedAtNanos, String podIp) {
    if (byId.containsKey(containerId)) return;
    String podUid = pod.getMetadata().getUid();
    byId.put(containerId, new State(podUid, c.getName(), PodEvents.containerReference(pod, c), c.getReadinessProbe() == null,
        c.getStartupProbe() == null));
    if (c.getReadinessProbe() != null || c.getLivenessProbe() != null || c.getStartupProbe() != null) {
      manager.addContainer(podUid, c, containerId, Instant.ofEpochSecond(0, startedAtNanos), podIp);
    }
  }

  void untrack(String containerId) {
    if (byId.remove(containerId) != null) manager.removeContainer(containerId);
  }

  boolean tracked(String containerId) { return byId.containsKey(containerId); }

  void forgetPod(String podUid) {
    manager.removePod(podUid);
    byId.values().removeIf(s -> s.podUid.equals(podUid));
  }

  @Override
  public void onResult(String containerId, ProbeKind kind, ProbeResult result, String output) {
    State s = byId.get(containerId);
    if (s == null || result == ProbeResult.UNKNOWN) return;
    switch (kind) {
      case READINESS -> s.ready = result.isSuccess();
      case STARTUP -> s.started = s.started || result.isSuccess();
      case LIVENESS -> { }
    }
    String what = probeName(kind);
    Events e = events;
    if (e == null) return;
    if (result == ProbeResult.FAILURE && kind != ProbeKind.READINESS) {
      log.info("container {} of pod {}: {} probe failed ({}); restarting it", containerId, s.podUid, what, output);
      e.failed(s.podUid, containerId, s.container, "Container " + s.container + " failed " + what.toLowerCase() + " probe, will be restarted");
    }
    e.changed(s.podUid);
  }

  @Override
  public void attemptFailed(String containerId, ProbeKind kind, String output) {
    State s = byId.get(containerId);
    if (s != null) podEvents.unhealthy(s.reference, probeName(kind), output);
  }

  private static String probeName(ProbeKind kind) {
    return switch (kind) {
      case LIVENESS -> "Liveness";
      case READINESS -> "Readiness";
      case STARTUP -> "Startup";
    };
  }

  @Override
  public boolean ready(String podUid, Container c, String containerId) {
    State s = byId.get(containerId);
    return s == null ? c.getReadinessProbe() == null && c.getStartupProbe() == null : s.ready && s.started;
  }

  @Override
  public boolean started(String podUid, Container c, String containerId) {
    State s = byId.get(containerId);
    return s == null ? c.getStartupProbe() == null : s.started;
  }

  @Override
  public void close() { clock.close(); }
}
