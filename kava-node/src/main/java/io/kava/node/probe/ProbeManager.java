package io.kava.node.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the probes of running containers, as the kubelet's prober workers: one worker per container and probe
 * kind. A worker probes first at {@code startedAt + initialDelaySeconds}, then every {@code periodSeconds}, each
 * probe bounded by {@code timeoutSeconds}. A result is reported after {@code successThreshold} (liveness and
 * startup: 1) consecutive successes or {@code failureThreshold} consecutive failures; the listener hears only
 * changes. Until the startup probe succeeds, liveness and readiness do not run; once it succeeds it stops. A
 * reported liveness or startup failure puts that container's worker on hold: the node agent restarts the
 * container, which comes back with a new id through {@link #addContainer}.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class ProbeManager {
  static final int DEFAULT_PERIOD = 10;
  static final int DEFAULT_FAILURE_THRESHOLD = 3;

  private final Prober prober;
  private final ProbeClock clock;
  private final ProbeListener listener;
  private final Map<String, ContainerProbes> containers = new ConcurrentHashMap<>();

  public ProbeManager(Prober prober, ProbeClock clock, ProbeListener listener) {
    this.prober = prober;
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * Starts probing a running container. Reports the initial results at once: readiness FAILURE (when it has a
   * readiness probe), startup UNKNOWN (or SUCCESS when it has no startup probe, i.e. it counts as started).
   *
   * @param podUid for {@link #removePod}
   * @param podIp the pod's IP (default host of tcpSocket and httpGet probes)
   */
  public void addContainer(String podUid, Container container, String containerId, Instant startedAt, String podIp) {
    ContainerProbes cp = new ContainerProbes(podUid, container, containerId, podIp, container.getStartupProbe() == null);
    if (containers.putIfAbsent(containerId, cp) != null) return;
    if (container.getStartupProbe() != null) {
      cp.start(ProbeKind.STARTUP, container.getStartupProbe(), startedAt, ProbeResult.UNKNOWN);
    } else {
      listener.onResult(containerId, ProbeKind.STARTUP, ProbeResult.SUCCESS, "");
    }
    if (container.getReadinessProbe() != null) cp.start(ProbeKind.READINESS, container.getReadinessProbe(), startedAt, ProbeResult.FAILURE);
    if (container.getLivenessProbe() != null) cp.start(ProbeKind.LIVENESS, container.getLivenessProbe(), startedAt, ProbeResult.SUCCESS);
  }

  /** Stops the workers of a container (it exited, was killed, or the pod is going away). */
  public void removeContainer(String containerId) {
    ContainerProbes cp = containers.remove(containerId);
    if (cp != null) cp.stop();
  }

  /** Stops the workers of every container of a pod. */
  public void removePod(String podUid) {
    for (var cp : List.copyOf(containers.values())) if (cp.podUid.equals(podUid)) removeContainer(cp.containerId);
  }

  /** The last reported result of a container's probe, if it has that probe. */
  public Optional<ProbeResult> result(String containerId, ProbeKind kind) {
    ContainerProbes cp = containers.get(containerId);
    Worker w = cp == null ? null : cp.workers.get(kind);
    return w == null ? Optional.empty() : Optional.of(w.reported);
  }

  private final class ContainerProbes {
    final String podUid;
    final Container container;
    final String containerId;
    final String podIp;
    final Map<ProbeKind, Worker> workers = new EnumMap<>(ProbeKind.class);
    volatile boolean started;
    volatile boolean stopped;

    ContainerProbes(String podUid, Container container, String containerId, String podIp, boolean started) {
      this.podUid = podUid;
      this.container = container;
      this.containerId = containerId;
      this.podIp = podIp;
      this.started = started;
    }

    synchronized void start(ProbeKind kind, Probe probe, Instant startedAt, ProbeResult initial) {
      Worker w = new Worker(this, kind, probe, initial);
      workers.put(kind, w);
      listener.onResult(containerId, kind, initial, "");
      Instant first = startedAt.plusSeconds(orDefault(probe.getInitialDelaySeconds(), 0));
      Duration delay = Duration.between(clock.now(), first);
      w.scheduleAt(first, delay.isNegative() ? Duration.ZERO : delay);
    }

    synchronized void stop() {
      stopped = true;
      for (Worker w : workers.values()) w.cancel();
    }
  }

  private final class Worker {
    final ContainerProbes owner;
    final ProbeKind kind;
    final Probe probe;
    final Duration period;
    final int successThreshold;
    final int failureThreshold;
    final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    ProbeClock.Cancellable next;
    Instant due;
    ProbeResult last;
    int run;
    boolean onHold;
    volatile ProbeResult reported;

    Worker(ContainerProbes owner, ProbeKind kind, Probe probe, ProbeResult initial) {
      this.owner = owner;
      this.kind = kind;
      this.probe = probe;
      this.period = Duration.ofSeconds(Math.max(1, orDefault(probe.getPeriodSeconds(), DEFAULT_PERIOD)));
      // liveness and startup must have successThreshold 1 (API validation); readiness may ask for more
      this.successThreshold = kind == ProbeKind.READINESS ? Math.max(1, orDefault(probe.getSuccessThreshold(), 1)) : 1;
      this.failureThreshold = Math.max(1, orDefault(probe.getFailureThreshold(), DEFAULT_FAILURE_THRESHOLD));
      this.reported = initial;
    }

    void scheduleAt(Instant when, Duration delay) {
      lock.lock();
      try {
        if (owner.stopped || onHold) return;
        due = when;
        next = clock.schedule(delay, this::tick);
      } finally {
        lock.unlock();
      }
    }

    void cancel() {
      lock.lock();
      try {
        if (next != null) next.cancel();
        next = null;
      } finally {
        lock.unlock();
      }
    }

    private void tick() {
      if (owner.stopped) return;
      boolean gated = kind == ProbeKind.STARTUP ? owner.started : !owner.started;
      if (!gated) probeOnce();
      Instant nextDue = due.plus(period);
      Instant now = clock.now();
      while (!nextDue.isAfter(now)) nextDue = nextDue.plus(period); // a probe that overran its period skips ticks
      if (kind == ProbeKind.STARTUP && owner.started) return; // started: the startup worker's job is done
      scheduleAt(nextDue, Duration.between(now, nextDue));
    }

    private void probeOnce() {
      ProbeOutcome outcome = prober.probe(probe, owner.container, owner.containerId, owner.podIp);
      if (outcome.result() == ProbeResult.UNKNOWN) return; // could not probe: keep the last result
      ProbeResult result = outcome.result().isSuccess() ? ProbeResult.SUCCESS : ProbeResult.FAILURE;
      boolean report;
      lock.lock();
      try {
        if (owner.stopped) return;
        if (result == last) run++;
        else {
          last = result;
          run = 1;
        }
        int threshold = result == ProbeResult.SUCCESS ? successThreshold : failureThreshold;
        report = run >= threshold && result != reported;
        if (report) reported = result;
        if (result == ProbeResult.FAILURE && run >= threshold && kind != ProbeKind.READINESS) {
          onHold = true; // the container is restarted; its new id gets new workers
          run = 0;
        }
        if (kind == ProbeKind.STARTUP && result == ProbeResult.SUCCESS && run >= threshold) owner.started = true;
      } finally {
        lock.unlock();
      }
      if (result == ProbeResult.FAILURE) listener.attemptFailed(owner.containerId, kind, outcome.output());
      if (report) listener.onResult(owner.containerId, kind, result, outcome.output());
    }
  }

  private static int orDefault(Integer v, int d) {
    return v == null || v <= 0 ? d : v; // API defaulting leaves no zeros, but hand-built pods may
  }

  /** For tests: the container ids being probed. */
  List<String> containerIds() { return new ArrayList<>(containers.keySet()); }
}
