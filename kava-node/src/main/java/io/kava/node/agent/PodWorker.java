package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import io.kava.client.ApiException;
import io.kava.client.RawApi;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.ContainerConfig;
import io.kava.node.cri.v1.ContainerState;
import io.kava.node.cri.v1.Mount;
import io.kava.node.cri.v1.PodSandboxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One pod's worker: a virtual thread that drives the pod toward its spec whenever it is woken (the pod changed, a
 * container changed state, a back-off ended) and at least every {@link #RESYNC}. Each sync reads what the runtime
 * has, acts (sandbox, init containers in order, containers, restarts with back-off, or termination), and writes the
 * pod status when it differs from what it last wrote. Only this thread touches the pod's runtime objects.
 */
final class PodWorker {
  private static final Logger log = LoggerFactory.getLogger(PodWorker.class);
  static final Duration RESYNC = Duration.ofSeconds(30);
  static final int TERMINATION_MESSAGE_LIMIT = 4096;
  /** How long ErrImagePull shows before the worker looks again and shows ImagePullBackOff. */
  static final Duration SHOW_PULL_ERROR = Duration.ofSeconds(2);

  private final NodeContext ctx;
  private final ContainerStopper stopper;
  private final String uid;
  private final Semaphore wake = new Semaphore(0);
  private final Runnable onFinished;
  private volatile Pod pod;
  private volatile boolean removed;
  private volatile boolean stopped;
  private String lastStatus;
  /** A status write running beside the sync (at most one); every later write waits for it, so writes land in order. */
  private Thread statusInFlight;
  private boolean deleteSent;
  /** The earliest time a retry is due (an image pull back-off ending); reset at every sync. */
  private Instant retryHint;
  /** Containers (by id) whose liveness or startup probe failed, with the Killing message: killed at the next sync, then restarted by policy. */
  private final Map<String, ProbeKill> probeFailed = new java.util.concurrent.ConcurrentHashMap<>();

  private record ProbeKill(String container, String message) {}
  private Instant lastRefresh = Instant.EPOCH;
  /** Set when an object the pod refers to changed, so that the next pass refreshes its volumes. */
  private volatile boolean refreshDue;
  private Thread thread;

  PodWorker(NodeContext ctx, Pod pod, Runnable onFinished) {
    this.ctx = ctx;
    this.stopper = new ContainerStopper(ctx);
    this.uid = pod.getMetadata().getUid();
    this.pod = pod;
    this.onFinished = onFinished;
  }

  void start() { thread = Thread.ofVirtual().name("kava-pod-" + pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName()).start(this::run); }

  /**
   * A new version of the pod. Only changes to what the worker acts on wake it (spec, deletion, labels and
   * annotations); the status this worker wrote itself comes back here too and is no reason for another pass.
   */
  void update(Pod p) {
    Pod old = pod;
    pod = p;
    if (old == p || old.getMetadata().getDeletionTimestamp() == null && p.getMetadata().getDeletionTimestamp() != null
        || !java.util.Objects.equals(old.getSpec(), p.getSpec()) || !java.util.Objects.equals(old.getMetadata().getLabels(), p.getMetadata().getLabels())
        || !java.util.Objects.equals(old.getMetadata().getAnnotations(), p.getMetadata().getAnnotations())) {
      wake();
    }
  }

  /** The pod is gone from the API: stop whatever still runs and clean up. */
  void removed() {
    removed = true;
    wake();
  }

  /** A liveness or startup probe failed: the container is killed at the next pass and restarts by the pod's policy. */
  void probeFailed(String containerId, String container, String message) {
    probeFailed.put(containerId, new ProbeKill(container, message));
    wake();
  }

  /** A ConfigMap or Secret the pod refers to changed: its volumes are refreshed at the next pass, which starts now. */
  void inputsChanged() {
    refreshDue = true;
    wake();
  }

  void wake() { if (wake.availablePermits() == 0) wake.release(); }

  /** Stops the worker thread without touching the pod's containers (node shutdown). */
  void stop() {
    stopped = true;
    Thread t = thread;
    if (t != null) t.interrupt();
  }

  Thread thread() { return thread; }

  private void run() {
    Duration retry = Duration.ofSeconds(1);
    while (!stopped) {
      Instant next = null;
      try {
        if (removed) {
          cleanUp();
          onFinished.run();
          return;
        }
        next = sync(pod);
        retry = Duration.ofSeconds(1);
      } catch (ApiException e) {
        if (stopped) return;
        log.debug("pod {}: {}", name(), e.getMessage());
        next = ctx.clock().instant().plus(retry);
        retry = min(retry.multipliedBy(2), Duration.ofSeconds(30));
      } catch (RuntimeException e) {
        if (stopped) return;
        log.warn("pod {}: sync failed; retrying in {} s", name(), retry.toSeconds(), e);
        next = ctx.clock().instant().plus(retry);
        retry = min(retry.multipliedBy(2), Duration.ofSeconds(30));
      }
      long waitMs = next == null ? RESYNC.toMillis() : Math.max(0, Math.min(RESYNC.toMillis(), Duration.between(ctx.clock().instant(), next).toMillis()));
      try {
        wake.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Logs (at debug) how long one step of a sync took, to show where a pod's start-up time goes; returns now. */
  private long step(String what, long since) {
    long now = System.nanoTime();
    if (log.isDebugEnabled()) log.debug("pod {}: {} took {} ms", name(), what, (now - since) / 1_000_000);
    return now;
  }

  private static Duration min(Duration a, Duration b) { return a.compareTo(b) < 0 ? a : b; }

  private String name() { return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(); }

  private String apiPath() { return "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName(); }

  private Path logDir() { return SandboxConfigs.logDirectory(ctx.podLogsRoot(), pod); }

  private ObservedPod observe() { return ObservedPod.read(ctx.cri(), ctx.selector(uid)); }

  /** One pass; returns when the worker wants to look again (null: on the next event or resync). */
  Instant sync(Pod p) {
    if (p.getMetadata().getDeletionTimestamp() != null) {
      terminate(p);
      return null;
    }
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    for (String id : List.copyOf(probeFailed.keySet())) {
      long grace = p.getSpec().getTerminationGracePeriodSeconds() == null ? 30 : p.getSpec().getTerminationGracePeriodSeconds();
      ProbeKill kill = probeFailed.get(id);
      Container spec = specOf(p, kill.container());
      if (spec != null) ctx.events().killing(p, spec, kill.message());
      stopper.stopContainer(p, id, grace);
      ctx.probes().untrack(id);
      probeFailed.remove(id);
    }
    long t = System.nanoTime();
    ObservedPod obs = observe();
    t = step("observe", t);
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      stopper.stopAll(p, obs, 0);
      writeStatus(p, observe(), Map.of(), false); // what was still running (sidecars) shows terminated
      ctx.cgroups().removePod(uid); // a finished pod keeps no cgroup (the kubelet's SyncTerminatedPod)
      return null;
    }
    Map<String, PodStatusBuilder.Waiting> waiting = new HashMap<>();
    Instant wakeAt = null;
    retryHint = null;
    ObservedPod.Sandbox sandbox = obs.readySandbox();
    String restartPolicy = p.getSpec().getRestartPolicy() == null ? "Always" : p.getSpec().getRestartPolicy();
    if (sandbox == null && completed(p, obs, restartPolicy)) {
      writeStatus(p, obs, waiting, false);
      return null;
    }
    try {
      ctx.inputs().setUpPod(p);
      t = step("volumes", t);
    } catch (ContainerInputs.ConfigError e) {
      ctx.events().failedMount(p, e.getMessage());
      for (Container c : p.getSpec().getContainers()) waiting.put(c.getName(), new PodStatusBuilder.Waiting("CreateContainerConfigError", e.getMessage()));
      writeStatus(p, obs, waiting, false);
      return ctx.clock().instant().plusSeconds(10);
    }
    try {
      ctx.cgroups().ensurePod(p);
      t = step("cgroup", t);
    } catch (IOException e) {
      log.warn("pod {}: cannot create its cgroup: {}", name(), e.getMessage());
      for (Container c : p.getSpec().getContainers()) waiting.put(c.getName(), new PodStatusBuilder.Waiting("ContainerCreating", e.getMessage()));
      writeStatus(p, obs, waiting, false);
      return ctx.clock().instant().plusSeconds(5);
    }
    if (sandbox == null) {
      int attempt = obs.sandboxes().isEmpty() ? 0 : obs.sandboxes().get(0).attempt() + 1;
      for (ObservedPod.Sandbox old : obs.sandboxes()) removeSandbox(old.id());
      try {
        Files.createDirectories(logDir());
        ctx.cri().runPodSandbox(sandboxConfig(p, attempt), "");
        t = step("RunPodSandbox", t);
      } catch (IOException | CriException e) {
        log.warn("pod {}: cannot create its sandbox: {}", name(), e.getMessage());
        ctx.events().sandboxFailed(p, e instanceof CriException ce ? ce.runtimeMessage() : e.toString());
        for (Container c : p.getSpec().getContainers()) waiting.put(c.getName(), new PodStatusBuilder.Waiting("ContainerCreating", e.getMessage()));
        writeStatus(p, ObservedPod.EMPTY, waiting, false);
        return ctx.clock().instant().plusSeconds(5);
      }
      obs = observe();
      sandbox = obs.readySandbox();
      if (sandbox == null) return ctx.clock().instant().plusSeconds(1);
      // The pod IP and ContainerCreating as soon as they are known (a pull can take long), written while the containers
      // are being started rather than before: the kubelet's status manager does not hold up a pod's start either.
      writeStatus(p, obs, waiting, false, true);
      t = step("observe + status with the pod IP", t);
    }
    PodSandboxConfig sbc = sandboxConfig(p, sandbox.attempt());
    boolean acted = false;
    InitContainers.Plan plan = InitContainers.plan(p, obs, (c, running) -> ctx.probes().started(uid, c, running.id()));
    // Regular containers all done for good: sidecars that stop are not restarted (the pod is finishing).
    List<Container> toDrive = plan.initialized() && completed(p, obs, restartPolicy) ? List.of() : plan.drive();
    for (Container c : toDrive) {
      // A sidecar restarts whatever the pod's policy; a regular init container unless the policy is Never.
      boolean restart = InitContainers.isSidecar(c) || !restartPolicy.equals("Never");
      Drive d = drive(p, c, true, obs.latest(c.getName()), l -> restart, sandbox, sbc, waiting);
      acted |= d.acted();
      if (d.backoffUntil() != null) wakeAt = earliest(wakeAt, d.backoffUntil());
    }
    if (plan.initialized()) {
      for (Container c : p.getSpec().getContainers()) {
        Drive d = drive(p, c, false, obs.latest(c.getName()),
            l -> restartPolicy.equals("Always") || restartPolicy.equals("OnFailure") && l.exitCode() != 0, sandbox, sbc, waiting);
        acted |= d.acted();
        if (d.backoffUntil() != null) wakeAt = earliest(wakeAt, d.backoffUntil());
      }
    }
    for (PodStatusBuilder.Waiting w : waiting.values()) {
      if (w.reason().equals("CreateContainerError") || w.reason().equals("CreateContainerConfigError") || w.reason().equals("RunContainerError")) {
        wakeAt = earliest(wakeAt, ctx.clock().instant().plusSeconds(10));
      }
    }
    if (retryHint != null) wakeAt = earliest(wakeAt, retryHint);
    t = step("containers", t);
    if (acted) obs = observe();
    trackProbes(p, obs, sandbox);
    if (refreshDue || Duration.between(lastRefresh, ctx.clock().instant()).compareTo(RESYNC) >= 0) {
      refreshDue = false;
      ctx.inputs().refreshPod(p); // configMap and secret updates reach running pods
      lastRefresh = ctx.clock().instant();
    }
    ObjectNode status = writeStatus(p, obs, waiting, false);
    step("observe + status", t);
    String newPhase = status.path("phase").asString();
    if (newPhase.equals("Succeeded") || newPhase.equals("Failed")) {
      stopper.stopAll(p, obs, 0); // a finished pod gives back its network
      ctx.cgroups().removePod(uid);
    }
    removeOldContainers(obs);
    return wakeAt;
  }

  /** What driving one container did: whether it acted, and when its crash back-off ends (null: not in back-off). */
  private record Drive(boolean acted, Instant backoffUntil) {}

  /** Starts a container that has no instance, re-creates one left in Created, restarts an exited one if {@code restart} says so. */
  private Drive drive(Pod p, Container c, boolean init, ObservedPod.Instance latest, java.util.function.Predicate<ObservedPod.Instance> restart,
                      ObservedPod.Sandbox sandbox, PodSandboxConfig sbc, Map<String, PodStatusBuilder.Waiting> waiting) {
    if (latest == null) return new Drive(startContainer(p, c, init, 0, sandbox, sbc, waiting), null);
    if (latest.state() == ContainerState.CONTAINER_CREATED) {
      removeContainer(latest.id());
      return new Drive(startContainer(p, c, init, latest.attempt() + 1, sandbox, sbc, waiting), null);
    }
    if (latest.exited() && restart.test(latest)) {
      Instant at = restartOrBackoff(p, c, init, latest, sandbox, sbc, waiting);
      return new Drive(at == null, at);
    }
    return new Drive(false, null);
  }

  /** Probes run for the running instance of each container (sidecars too), and stop for instances that exited. */
  private void trackProbes(Pod p, ObservedPod obs, ObservedPod.Sandbox sandbox) {
    List<Container> probed = new ArrayList<>(InitContainers.sidecars(p));
    probed.addAll(p.getSpec().getContainers());
    for (Container c : probed) {
      List<ObservedPod.Instance> instances = obs.containers().getOrDefault(c.getName(), List.of());
      for (int i = 0; i < instances.size(); i++) {
        ObservedPod.Instance in = instances.get(i);
        if (i == 0 && in.running()) ctx.probes().track(p, c, in.id(), in.startedAt(), sandbox.ip());
        else if (ctx.probes().tracked(in.id())) ctx.probes().untrack(in.id());
      }
    }
  }

  /** All containers are done and none will restart: the pod must not get a new sandbox. */
  private static boolean completed(Pod p, ObservedPod obs, String restartPolicy) {
    if (restartPolicy.equals("Always") || obs.sandboxes().isEmpty()) return false;
    for (Container c : p.getSpec().getContainers()) {
      ObservedPod.Instance i = obs.latest(c.getName());
      if (i == null || !i.exited()) return false;
      if (restartPolicy.equals("OnFailure") && i.exitCode() != 0) return false;
    }
    return true;
  }

  private static Container specOf(Pod p, String name) {
    for (Container c : p.getSpec().getContainers()) if (c.getName().equals(name)) return c;
    if (p.getSpec().getInitContainers() != null) for (Container c : p.getSpec().getInitContainers()) if (c.getName().equals(name)) return c;
    return null;
  }

  private static Instant earliest(Instant a, Instant b) { return a == null || b.isBefore(a) ? b : a; }

  private PodSandboxConfig sandboxConfig(Pod p, int attempt) {
    return SandboxConfigs.build(p, attempt, ctx.nodeName(), logDir(), ctx.cgroups().podCgroup(p), ctx.dns());
  }

  /** Restarts an exited container unless it is in its crash back-off; returns when the back-off ends (null: restarted or tried). */
  private Instant restartOrBackoff(Pod p, Container c, boolean init, ObservedPod.Instance latest, ObservedPod.Sandbox sandbox,
                                   PodSandboxConfig sbc, Map<String, PodStatusBuilder.Waiting> waiting) {
    String key = uid + "/" + c.getName();
    Instant finished = Instant.ofEpochSecond(0, latest.finishedAt());
    Instant now = ctx.clock().instant();
    if (ctx.crashBackoff().inBackoffSince(key, finished, now)) {
      ctx.events().crashLoopBackOff(p, c);
      waiting.put(c.getName(), new PodStatusBuilder.Waiting("CrashLoopBackOff", "back-off " + ctx.crashBackoff().delay(key).toSeconds()
          + "s restarting failed container=" + c.getName() + " pod=" + p.getMetadata().getName() + "_" + p.getMetadata().getNamespace() + "(" + uid + ")"));
      return ctx.crashBackoff().until(key, finished).plusMillis(50);
    }
    ctx.crashBackoff().next(key, now);
    startContainer(p, c, init, latest.attempt() + 1, sandbox, sbc, waiting);
    return null;
  }

  /** Pulls, creates and starts one container, then runs its postStart hook; false (with a waiting reason) when it could not. */
  private boolean startContainer(Pod p, Container c, boolean init, int attempt, ObservedPod.Sandbox sandbox, PodSandboxConfig sbc,
                                 Map<String, PodStatusBuilder.Waiting> waiting) {
    long t = System.nanoTime();
    String imageRef;
    try {
      imageRef = ctx.images().ensure(p, c);
      t = step("image of " + c.getName(), t);
    } catch (ImageManager.PullFailure e) {
      ctx.events().failed(p, c, e.reason);
      waiting.put(c.getName(), new PodStatusBuilder.Waiting(e.reason, e.getMessage()));
      if (e.retryAt != null) {
        // After a failed pull, look again soon to show ImagePullBackOff; during the back-off, just past its end.
        Instant at = e.reason.equals("ErrImagePull") ? ctx.clock().instant().plus(SHOW_PULL_ERROR) : e.retryAt.plusMillis(50);
        retryHint = earliest(retryHint, at);
      }
      return false;
    }
    ContainerConfig config;
    try {
      Files.createDirectories(logDir().resolve(c.getName()));
      ContainerInputs.Prepared in = ctx.inputs().prepare(p, c, sandbox.ip(), ctx.hostIp());
      List<Mount> mounts = new ArrayList<>(in.mounts());
      Path termLog = terminationLog(c.getName(), attempt);
      String termPath = c.getTerminationMessagePath() == null || c.getTerminationMessagePath().isEmpty() ? "/dev/termination-log"
          : c.getTerminationMessagePath();
      mounts.add(Mount.newBuilder().setContainerPath(termPath).setHostPath(termLog.toString()).build());
      config = ContainerConfigs.build(p, c, init, attempt, ctx.nodeName(), imageRef, new ContainerInputs.Prepared(in.env(), mounts, in.command(), in.args()),
          ctx.nodeMemoryBytes());
      t = step("config of " + c.getName(), t);
    } catch (ContainerInputs.ConfigError e) {
      ctx.events().failed(p, c, e.getMessage());
      waiting.put(c.getName(), new PodStatusBuilder.Waiting("CreateContainerConfigError", e.getMessage()));
      return false;
    } catch (IOException e) {
      ctx.events().failed(p, c, e.toString());
      waiting.put(c.getName(), new PodStatusBuilder.Waiting("CreateContainerConfigError", e.toString()));
      return false;
    }
    String id;
    try {
      id = ctx.cri().createContainer(sandbox.id(), config, sbc);
      t = step("CreateContainer " + c.getName(), t);
    } catch (CriException e) {
      ctx.events().failed(p, c, e.runtimeMessage());
      waiting.put(c.getName(), new PodStatusBuilder.Waiting("CreateContainerError", e.runtimeMessage()));
      return false;
    }
    ctx.events().created(p, c);
    try {
      ctx.cri().startContainer(id);
      step("StartContainer " + c.getName(), t);
    } catch (CriException e) {
      ctx.events().failed(p, c, e.runtimeMessage());
      waiting.put(c.getName(), new PodStatusBuilder.Waiting("RunContainerError", e.runtimeMessage()));
      return true;
    }
    ctx.events().started(p, c);
    if (c.getLifecycle() != null && c.getLifecycle().getPostStart() != null) {
      String err = ctx.hooks().run(c.getLifecycle().getPostStart(), c, id, sandbox.ip(), Duration.ofSeconds(30));
      if (err != null) {
        log.info("pod {}: postStart hook of {} failed ({}); killing the container", name(), c.getName(), err);
        ctx.events().postStartFailed(p, c, err);
        ctx.events().killing(p, c, "FailedPostStartHook");
        stopper.stopContainer(p, id, 0);
      }
    }
    return true;
  }

  /** A file the container may write its termination message to, mounted at terminationMessagePath. */
  private Path terminationLog(String container, int attempt) throws IOException {
    Path dir = ctx.podStateRoot().resolve(uid).resolve("termination");
    Files.createDirectories(dir);
    Path f = dir.resolve(container + "-" + attempt);
    if (!Files.exists(f)) Files.createFile(f);
    return f;
  }

  /** Graceful deletion: preStop hooks and StopContainer within the remaining grace period, then the sandbox, the status and the final DELETE. */
  private void terminate(Pod p) {
    ObservedPod obs = observe();
    // The pod's whole deletion grace period, counted from now, as the kubelet does: the time left until its
    // deletionTimestamp (whole seconds, and however late this node saw the deletion) cut SIGKILL short.
    Long deletionGrace = p.getMetadata().getDeletionGracePeriodSeconds();
    long graceSeconds = deletionGrace != null ? Math.max(0, deletionGrace)
        : Math.max(0, Duration.between(ctx.clock().instant(), Timestamps.parseTime(p.getMetadata().getDeletionTimestamp())).toSeconds());
    stopper.stopAll(p, obs, graceSeconds);
    obs = observe();
    if (!deleteSent) {
      try {
        writeStatus(p, obs, Map.of(), true);
      } catch (ApiException e) {
        if (!e.isNotFound()) throw e;
      }
    }
    for (ObservedPod.Sandbox s : obs.sandboxes()) removeSandbox(s.id());
    ObjectNode opts = Json.object();
    opts.put("apiVersion", "v1");
    opts.put("kind", "DeleteOptions");
    opts.put("gracePeriodSeconds", 0);
    opts.putObject("preconditions").put("uid", uid);
    try {
      ctx.rest().delete(apiPath(), opts);
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) throw e;
    }
    deleteSent = true;
  }

  private void removeContainer(String id) {
    try {
      ctx.cri().removeContainer(id);
    } catch (CriException e) {
      if (!e.isNotFound()) log.debug("pod {}: removing container {}: {}", name(), id, e.getMessage());
    }
  }

  private void removeSandbox(String id) {
    try {
      ctx.cri().stopPodSandbox(id);
      ctx.cri().removePodSandbox(id);
    } catch (CriException e) {
      if (!e.isNotFound()) throw e;
    }
  }

  /** Keeps the newest two instances of each container (the current one and the one `kubectl logs --previous` shows). */
  private void removeOldContainers(ObservedPod obs) {
    for (List<ObservedPod.Instance> l : obs.containers().values()) {
      for (int i = 2; i < l.size(); i++) if (l.get(i).exited()) removeContainer(l.get(i).id());
    }
  }

  /** The pod is gone from the API: everything it had on this node goes too. */
  private void cleanUp() {
    ObservedPod obs = observe();
    for (List<ObservedPod.Instance> l : obs.containers().values()) for (ObservedPod.Instance i : l) if (i.running()) stopper.stopContainer(pod, i.id(), 0);
    for (ObservedPod.Sandbox s : obs.sandboxes()) removeSandbox(s.id());
    ctx.cgroups().removePod(uid);
    ctx.probes().forgetPod(uid);
    ctx.images().forget(uid);
    ctx.crashBackoff().forgetPrefix(uid + "/");
    deleteTree(logDir());
    try {
      ctx.inputs().tearDownPod(uid);
    } catch (RuntimeException e) {
      log.warn("pod {}: cannot tear down its volumes ({}); housekeeping tries again", name(), e.getMessage());
      return; // never delete through a mount
    }
    deleteTree(ctx.podStateRoot().resolve(uid));
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort; housekeeping tries again
    }
  }

  /** Writes the status computed from {@code obs} unless it equals the last one written. */
  private ObjectNode writeStatus(Pod p, ObservedPod obs, Map<String, PodStatusBuilder.Waiting> waiting, boolean terminating) {
    return writeStatus(p, obs, waiting, terminating, false);
  }

  /**
   * Writes the status the pod shows now unless it was the last one written; with {@code background} the write runs on
   * its own thread and a failure only means the next write (at the latest at the end of the sync) carries it.
   */
  private ObjectNode writeStatus(Pod p, ObservedPod obs, Map<String, PodStatusBuilder.Waiting> waiting, boolean terminating, boolean background) {
    Map<String, PodStatusBuilder.Waiting> w = new HashMap<>(waiting);
    ObjectNode status = PodStatusBuilder.build(p, withMessages(p, obs), w, ctx.hostIp(), ctx.probes(), terminating, ctx.clock().instant());
    String text = status.toString();
    awaitStatusInFlight();
    if (text.equals(lastStatus)) return status;
    ObjectNode patch = Json.object();
    patch.putObject("metadata").put("uid", uid); // a pod re-created under the same name is not ours to write
    patch.set("status", status);
    if (!background) {
      ctx.rest().patchDiscardingResponse(apiPath() + "/status", RawApi.MERGE_PATCH, patch);
      lastStatus = text;
      return status;
    }
    String path = apiPath() + "/status";
    statusInFlight = Thread.ofVirtual().name("kava-pod-status-" + uid).start(() -> {
      try {
        ctx.rest().patchDiscardingResponse(path, RawApi.MERGE_PATCH, patch);
        lastStatus = text; // read by the worker only after joining this thread
      } catch (RuntimeException e) {
        log.debug("pod {}: status write failed; the next one carries it: {}", name(), e.getMessage());
      }
    });
    return status;
  }

  /** Waits for the background status write, if one runs; its result is then visible to this thread. */
  private void awaitStatusInFlight() {
    Thread t = statusInFlight;
    if (t == null) return;
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a status write of pod " + name(), e);
    }
    statusInFlight = null;
  }

  /** Exited instances with the message their container wrote to its termination log (or, if asked, the tail of its log). */
  private ObservedPod withMessages(Pod p, ObservedPod obs) {
    Map<String, Container> specs = new HashMap<>();
    for (Container c : p.getSpec().getContainers()) specs.put(c.getName(), c);
    if (p.getSpec().getInitContainers() != null) for (Container c : p.getSpec().getInitContainers()) specs.put(c.getName(), c);
    Map<String, List<ObservedPod.Instance>> out = new HashMap<>();
    for (var e : obs.containers().entrySet()) {
      List<ObservedPod.Instance> l = new ArrayList<>();
      for (ObservedPod.Instance i : e.getValue()) {
        if (i.exited() && (i.message() == null || i.message().isEmpty())) {
          String msg = terminationMessage(specs.get(i.name()), i);
          if (msg != null && !msg.isEmpty()) {
            i = new ObservedPod.Instance(i.id(), i.name(), i.attempt(), i.state(), i.createdAt(), i.startedAt(), i.finishedAt(), i.exitCode(),
                i.reason(), msg, i.image(), i.imageRef(), i.sandboxId(), i.logPath());
          }
        }
        l.add(i);
      }
      out.put(e.getKey(), l);
    }
    return new ObservedPod(obs.sandboxes(), out);
  }

  private String terminationMessage(Container c, ObservedPod.Instance i) {
    try {
      Path f = ctx.podStateRoot().resolve(uid).resolve("termination").resolve(i.name() + "-" + i.attempt());
      if (Files.exists(f) && Files.size(f) > 0) {
        byte[] b = Files.readAllBytes(f);
        return new String(b, 0, Math.min(b.length, TERMINATION_MESSAGE_LIMIT), java.nio.charset.StandardCharsets.UTF_8);
      }
      if (c != null && "FallbackToLogsOnError".equals(c.getTerminationMessagePolicy()) && i.exitCode() != 0 && !i.logPath().isEmpty()) {
        return CriLogs.tail(Path.of(i.logPath()), 80, 2048);
      }
    } catch (IOException e) {
      // no message
    }
    return null;
  }
}
