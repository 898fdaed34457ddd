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
  /** The kubelet's floor for a container's stop timeout after its preStop hook. */
  static final long MIN_GRACE_SECONDS = 2;
  static final int TERMINATION_MESSAGE_LIMIT = 4096;

  private final NodeContext ctx;
  private final String uid;
  private final Semaphore wake = new Semaphore(0);
  private final Runnable onFinished;
  private volatile Pod pod;
  private volatile boolean removed;
  private volatile boolean stopped;
  private String lastStatus;
  private boolean deleteSent;
  private Thread thread;

  PodWorker(NodeContext ctx, Pod pod, Runnable onFinished) {
    this.ctx = ctx;
    this.uid = pod.getMetadata().getUid();
    this.pod = pod;
    this.onFinished = onFinished;
  }

  void start() { thread = Thread.ofVirtual().name("kava-pod-" + pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName()).start(this::run); }

  void update(Pod p) {
    pod = p;
    wake();
  }

  /** The pod is gone from the API: stop whatever still runs and clean up. */
  void removed() {
    removed = true;
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
    ObservedPod obs = observe();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      stopAll(p, obs, 0);
      return null;
    }
    Map<String, PodStatusBuilder.Waiting> waiting = new HashMap<>();
    Instant wakeAt = null;
    ObservedPod.Sandbox sandbox = obs.readySandbox();
    String restartPolicy = p.getSpec().getRestartPolicy() == null ? "Always" : p.getSpec().getRestartPolicy();
    if (sandbox == null && completed(p, obs, restartPolicy)) {
      writeStatus(p, obs, waiting, false);
      return null;
    }
    try {
      ctx.inputs().setUpPod(p);
    } catch (ContainerInputs.ConfigError e) {
      for (Container c : p.getSpec().getContainers()) waiting.put(c.getName(), new PodStatusBuilder.Waiting("CreateContainerConfigError", e.getMessage()));
      writeStatus(p, obs, waiting, false);
      return ctx.clock().instant().plusSeconds(10);
    }
    if (sandbox == null) {
      int attempt = obs.sandboxes().isEmpty() ? 0 : obs.sandboxes().get(0).attempt() + 1;
      for (ObservedPod.Sandbox old : obs.sandboxes()) removeSandbox(old.id());
      try {
        Files.createDirectories(logDir());
        ctx.cri().runPodSandbox(sandboxConfig(p, attempt), "");
      } catch (IOException | CriException e) {
        log.warn("pod {}: cannot create its sandbox: {}", name(), e.getMessage());
        for (Container c : p.getSpec().getContainers()) waiting.put(c.getName(), new PodStatusBuilder.Waiting("ContainerCreating", e.getMessage()));
        writeStatus(p, ObservedPod.EMPTY, waiting, false);
        return ctx.clock().instant().plusSeconds(5);
      }
      obs = observe();
      sandbox = obs.readySandbox();
      if (sandbox == null) return ctx.clock().instant().plusSeconds(1);
      writeStatus(p, obs, waiting, false); // the pod IP as soon as it is known
    }
    PodSandboxConfig sbc = sandboxConfig(p, sandbox.attempt());
    boolean acted = false;
    boolean initialized = true;
    for (Container c : p.getSpec().getInitContainers() == null ? List.<Container>of() : p.getSpec().getInitContainers()) {
      ObservedPod.Instance latest = obs.latest(c.getName());
      if (latest != null && latest.exited() && latest.exitCode() == 0) continue;
      initialized = false;
      if (latest == null) {
        acted |= startContainer(p, c, true, 0, sandbox, sbc, waiting);
      } else if (latest.state() == ContainerState.CONTAINER_CREATED) {
        removeContainer(latest.id());
        acted |= startContainer(p, c, true, latest.attempt() + 1, sandbox, sbc, waiting);
      } else if (latest.exited() && !restartPolicy.equals("Never")) {
        Instant at = restartOrBackoff(p, c, true, latest, sandbox, sbc, waiting);
        if (at == null) acted = true;
        else wakeAt = earliest(wakeAt, at);
      }
      break; // one init container at a time, in order
    }
    if (initialized) {
      for (Container c : p.getSpec().getContainers()) {
        ObservedPod.Instance latest = obs.latest(c.getName());
        if (latest == null) {
          acted |= startContainer(p, c, false, 0, sandbox, sbc, waiting);
        } else if (latest.state() == ContainerState.CONTAINER_CREATED) {
          removeContainer(latest.id());
          acted |= startContainer(p, c, false, latest.attempt() + 1, sandbox, sbc, waiting);
        } else if (latest.exited() && (restartPolicy.equals("Always") || restartPolicy.equals("OnFailure") && latest.exitCode() != 0)) {
          Instant at = restartOrBackoff(p, c, false, latest, sandbox, sbc, waiting);
          if (at == null) acted = true;
          else wakeAt = earliest(wakeAt, at);
        }
      }
    }
    for (PodStatusBuilder.Waiting w : waiting.values()) {
      if (w.reason().equals("ErrImagePull") || w.reason().equals("CreateContainerError") || w.reason().equals("CreateContainerConfigError")
          || w.reason().equals("RunContainerError")) {
        wakeAt = earliest(wakeAt, ctx.clock().instant().plusSeconds(10));
      }
    }
    if (acted) obs = observe();
    ObjectNode status = writeStatus(p, obs, waiting, false);
    String newPhase = status.path("phase").asString();
    if (newPhase.equals("Succeeded") || newPhase.equals("Failed")) stopAll(p, obs, 0); // a finished pod gives back its network
    removeOldContainers(obs);
    return wakeAt;
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

  private static Instant earliest(Instant a, Instant b) { return a == null || b.isBefore(a) ? b : a; }

  private PodSandboxConfig sandboxConfig(Pod p, int attempt) {
    return SandboxConfigs.build(p, attempt, ctx.nodeName(), logDir(), ctx.host().podCgroup(uid), ctx.dns());
  }

  /** Restarts an exited container unless it is in its crash back-off; returns when the back-off ends (null: restarted or tried). */
  private Instant restartOrBackoff(Pod p, Container c, boolean init, ObservedPod.Instance latest, ObservedPod.Sandbox sandbox,
                                   PodSandboxConfig sbc, Map<String, PodStatusBuilder.Waiting> waiting) {
    String key = uid + "/" + c.getName();
    Instant finished = Instant.ofEpochSecond(0, latest.finishedAt());
    Instant now = ctx.clock().instant();
    if (ctx.crashBackoff().inBackoffSince(key, finished, now)) {
      waiting.put(c.getName(), new PodStatusBuilder.Waiting("CrashLoopBackOff", "back-off " + ctx.crashBackoff().delay(key).toSeconds()
          + "s restarting failed container=" + c.getName() + " pod=" + p.getMetadata().getName() + "_" + p.getMetadata().getNamespace() + "(" + uid + ")"));
      return ctx.crashBackoff().until(key, finished);
    }
    ctx.crashBackoff().next(key, now);
    startContainer(p, c, init, latest.attempt() + 1, sandbox, sbc, waiting);
    return null;
  }

  /** Pulls, creates and starts one container, then runs its postStart hook; false (with a waiting reason) when it could not. */
  private boolean startContainer(Pod p, Container c, boolean init, int attempt, ObservedPod.Sandbox sandbox, PodSandboxConfig sbc,
                                 Map<String, PodStatusBuilder.Waiting> waiting) {
    String imageRef;
    try {
      imageRef = ctx.images().ensure(p, c);
    } catch (ImageManager.PullFailure e) {
      waiting.put(c.getName(), new PodStatusBuilder.Waiting(e.reason, e.getMessage()));
      return false;
    }
    ContainerConfig config;
    try {
      Files.createDirectories(logDir().resolve(c.getName()));
      List<Mount> mounts = new ArrayList<>(ctx.inputs().mounts(p, c));
      Path termLog = terminationLog(c.getName(), attempt);
      String termPath = c.getTerminationMessagePath() == null || c.getTerminationMessagePath().isEmpty() ? "/dev/termination-log"
          : c.getTerminationMessagePath();
      mounts.add(Mount.newBuilder().setContainerPath(termPath).setHostPath(termLog.toString()).build());
      config = ContainerConfigs.build(p, c, init, attempt, ctx.nodeName(), imageRef, ctx.inputs().env(p, c), mounts, ctx.nodeMemoryBytes());
    } catch (ContainerInputs.ConfigError e) {
      waiting.put(c.getName(), new PodStatusBuilder.Waiting("CreateContainerConfigError", e.getMessage()));
      return false;
    } catch (IOException e) {
      waiting.put(c.getName(), new PodStatusBuilder.Waiting("CreateContainerConfigError", e.toString()));
      return false;
    }
    String id;
    try {
      id = ctx.cri().createContainer(sandbox.id(), config, sbc);
    } catch (CriException e) {
      waiting.put(c.getName(), new PodStatusBuilder.Waiting("CreateContainerError", e.runtimeMessage()));
      return false;
    }
    try {
      ctx.cri().startContainer(id);
    } catch (CriException e) {
      waiting.put(c.getName(), new PodStatusBuilder.Waiting("RunContainerError", e.runtimeMessage()));
      return true;
    }
    if (c.getLifecycle() != null && c.getLifecycle().getPostStart() != null) {
      String err = ctx.hooks().run(c.getLifecycle().getPostStart(), c, id, sandbox.ip(), Duration.ofSeconds(30));
      if (err != null) {
        log.info("pod {}: postStart hook of {} failed ({}); killing the container", name(), c.getName(), err);
        stopContainer(id, 0);
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
    Instant deadline = Timestamps.parseTime(p.getMetadata().getDeletionTimestamp());
    long graceSeconds = Math.max(0, Duration.between(ctx.clock().instant(), deadline).toSeconds());
    if (p.getMetadata().getDeletionGracePeriodSeconds() != null && p.getMetadata().getDeletionGracePeriodSeconds() == 0) graceSeconds = 0;
    stopAll(p, obs, graceSeconds);
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

  /** Stops running containers (preStop, then SIGTERM and SIGKILL after the grace period, in parallel) and then the sandboxes. */
  private void stopAll(Pod p, ObservedPod obs, long graceSeconds) {
    List<Thread> stoppers = new ArrayList<>();
    Map<String, Container> specs = new HashMap<>();
    for (Container c : p.getSpec().getContainers()) specs.put(c.getName(), c);
    if (p.getSpec().getInitContainers() != null) for (Container c : p.getSpec().getInitContainers()) specs.put(c.getName(), c);
    ObservedPod.Sandbox sandbox = obs.readySandbox();
    for (List<ObservedPod.Instance> instances : obs.containers().values()) {
      for (ObservedPod.Instance i : instances) {
        if (!i.running() && i.state() != ContainerState.CONTAINER_CREATED) continue;
        Container spec = specs.get(i.name());
        stoppers.add(Thread.ofVirtual().start(() -> {
          long started = System.nanoTime();
          long grace = graceSeconds;
          if (spec != null && grace > 0 && spec.getLifecycle() != null && spec.getLifecycle().getPreStop() != null && i.running()) {
            String err = ctx.hooks().run(spec.getLifecycle().getPreStop(), spec, i.id(), sandbox == null ? "" : sandbox.ip(), Duration.ofSeconds(grace));
            if (err != null) log.info("pod {}: preStop hook of {} failed: {}", name(), i.name(), err);
            long spent = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            grace = Math.max(MIN_GRACE_SECONDS, grace - spent);
          }
          stopContainer(i.id(), grace);
        }));
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

  private void stopContainer(String id, long graceSeconds) {
    try {
      ctx.cri().stopContainer(id, graceSeconds);
    } catch (CriException e) {
      if (!e.isNotFound()) log.warn("pod {}: stopping container {}: {}", name(), id, e.getMessage());
    }
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
    for (List<ObservedPod.Instance> l : obs.containers().values()) for (ObservedPod.Instance i : l) if (i.running()) stopContainer(i.id(), 0);
    for (ObservedPod.Sandbox s : obs.sandboxes()) removeSandbox(s.id());
    ctx.host().removePodCgroup(uid);
    ctx.inputs().tearDownPod(uid);
    ctx.images().forget(uid);
    ctx.crashBackoff().forgetPrefix(uid + "/");
    deleteTree(logDir());
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
    Map<String, PodStatusBuilder.Waiting> w = new HashMap<>(waiting);
    ObjectNode status = PodStatusBuilder.build(p, withMessages(p, obs), w, ctx.hostIp(), ctx.probes(), terminating, ctx.clock().instant());
    String text = status.toString();
    if (text.equals(lastStatus)) return status;
    ObjectNode patch = Json.object();
    patch.putObject("metadata").put("uid", uid); // a pod re-created under the same name is not ours to write
    patch.set("status", status);
    ctx.rest().patch(apiPath() + "/status", RawApi.MERGE_PATCH, patch);
    lastStatus = text;
    return status;
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
