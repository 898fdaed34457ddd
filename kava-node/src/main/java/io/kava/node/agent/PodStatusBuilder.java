package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import io.kava.node.cgroups.QosClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod status the kubelet reports, computed from what the runtime has ({@link ObservedPod}) and what the worker
 * knows about containers it could not start yet ({@link Waiting}). Phase and conditions follow upstream's
 * getPhase and status manager. Pure functions.
 */
public final class PodStatusBuilder {
  private PodStatusBuilder() {}

  /** The conditions the kubelet owns; others (PodScheduled, DisruptionTarget, readiness gates) are carried over. */
  static final Set<String> OWNED = Set.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady");

  /** Why a container is not running: ContainerCreating, PodInitializing, ErrImagePull, ImagePullBackOff, CrashLoopBackOff, … */
  public record Waiting(String reason, String message) {}

  /** Readiness and started-ness of running containers (the probe manager's answers; without probes, running means both). */
  public interface Probes {
    boolean ready(String podUid, Container c, String containerId);

    boolean started(String podUid, Container c, String containerId);

    Probes NONE = new Probes() {
      @Override public boolean ready(String podUid, Container c, String id) { return true; }

      @Override public boolean started(String podUid, Container c, String id) { return true; }
    };
  }

  /**
   * @param terminating the pod is being deleted and its containers are stopped: the phase becomes terminal, as the
   *     kubelet reports since 1.27
   */
  public static ObjectNode build(Pod pod, ObservedPod observed, Map<String, Waiting> waiting, String hostIp, Probes probes, boolean terminating,
                                 Instant now) {
    String uid = pod.getMetadata().getUid();
    ObservedPod.Sandbox sandbox = observed.readySandbox();
    ObjectNode s = Json.object();
    List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    List<Container> containers = pod.getSpec().getContainers();
    String restartPolicy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();

    // Init containers: done when each has exited 0 (a sidecar: is running and started), in order; once a regular
    // container ran, the pod stays initialized whatever its sidecars do.
    ArrayNode initStatuses = Json.NODES.arrayNode();
    boolean wasInitialized = InitContainers.wasInitialized(pod, observed);
    boolean initialized = true;
    boolean initFailed = false;
    List<String> incomplete = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    for (Container c : inits) {
      ObservedPod.Instance latest = observed.latest(c.getName());
      Waiting w = waiting.get(c.getName());
      boolean sidecar = InitContainers.isSidecar(c);
      boolean running = w == null && latest != null && latest.running();
      boolean done = sidecar ? running && probes.started(uid, c, latest.id()) : latest != null && latest.exited() && latest.exitCode() == 0;
      boolean ready = sidecar ? running && probes.ready(uid, c, latest.id()) : done;
      if (!done && !wasInitialized) {
        initialized = false;
        incomplete.add(c.getName());
        if (!sidecar && latest != null && latest.exited() && restartPolicy.equals("Never")) initFailed = true;
      }
      if (sidecar && !ready) unready.add(c.getName());
      if (w == null && latest == null) w = new Waiting("PodInitializing", null);
      initStatuses.add(containerStatus(c, latest, observed.previous(c.getName()), w, ready, done, sidecar));
    }

    // Regular containers.
    ArrayNode statuses = Json.NODES.arrayNode();
    int running = 0, waitingCount = 0, stopped = 0, succeeded = 0;
    for (Container c : containers) {
      ObservedPod.Instance latest = observed.latest(c.getName());
      Waiting w = waiting.get(c.getName());
      if (w == null && (latest == null || latest.state() == io.kava.node.cri.v1.ContainerState.CONTAINER_CREATED)) {
        w = new Waiting(initialized ? "ContainerCreating" : "PodInitializing", null);
      }
      boolean isRunning = w == null && latest != null && latest.running();
      boolean ready = isRunning && probes.ready(uid, c, latest.id());
      boolean started = isRunning && probes.started(uid, c, latest.id());
      if (!ready) unready.add(c.getName());
      statuses.add(containerStatus(c, latest, observed.previous(c.getName()), w, ready, started, true));
      if (isRunning) {
        running++;
      } else if (latest != null && latest.exited()) { // also when waiting to restart: upstream counts its last state
        stopped++;
        if (latest.exitCode() == 0) succeeded++;
      } else {
        waitingCount++;
      }
    }

    String phase;
    if (initFailed) {
      phase = "Failed";
    } else if (terminating) {
      phase = stopped + waitingCount + running > 0 && succeeded == containers.size() ? "Succeeded" : "Failed";
    } else if (!initialized) {
      phase = "Pending";
    } else if (waitingCount > 0) {
      phase = "Pending";
    } else if (running > 0) {
      phase = "Running";
    } else if (stopped > 0) {
      if (restartPolicy.equals("Always")) phase = "Running";
      else if (stopped == succeeded) phase = "Succeeded";
      else if (restartPolicy.equals("Never")) phase = "Failed";
      else phase = "Running";
    } else {
      phase = "Pending";
    }
    // A terminal phase is final (upstream's status manager refuses to leave it), whatever the stopped containers show.
    String reported = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(reported) || "Failed".equals(reported)) phase = reported;
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");

    s.put("phase", phase);
    s.put("hostIP", hostIp);
    s.putArray("hostIPs").addObject().put("ip", hostIp);
    String podIp = Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? hostIp : sandbox != null && !sandbox.ip().isEmpty() ? sandbox.ip()
        : pod.getStatus() != null ? pod.getStatus().getPodIP() : null;
    if (podIp != null && !podIp.isEmpty()) {
      s.put("podIP", podIp);
      s.putArray("podIPs").addObject().put("ip", podIp);
    }
    s.put("startTime", pod.getStatus() != null && pod.getStatus().getStartTime() != null ? pod.getStatus().getStartTime() : Timestamps.formatTime(now));
    s.put("qosClass", pod.getStatus() != null && pod.getStatus().getQosClass() != null ? pod.getStatus().getQosClass() : QosClass.of(pod).apiName);

    boolean containersReady = unready.isEmpty() && !terminal;
    ObjectNode cr = containersReady ? cond("ContainersReady", true, null, null)
        : phase.equals("Succeeded") ? cond("ContainersReady", false, "PodCompleted", null)
        : cond("ContainersReady", false, "ContainersNotReady", "containers with unready status: [" + String.join(" ", unready) + "]");
    ObjectNode ready;
    if (!containersReady) {
      ready = cr.deepCopy().put("type", "Ready");
    } else if (!readinessGatesTrue(pod)) {
      ready = cond("Ready", false, "ReadinessGatesNotReady", "corresponding condition of pod readiness gate is not true");
    } else {
      ready = cond("Ready", true, null, null);
    }
    ObjectNode init = initialized || terminal && !initFailed ? cond("Initialized", true, null, null)
        : cond("Initialized", false, "ContainersNotInitialized", "containers with incomplete status: [" + String.join(" ", incomplete) + "]");
    ObjectNode sandboxReady = cond("PodReadyToStartContainers", sandbox != null && !terminal && !terminating, null, null);
    s.set("conditions", conditions(pod, now, sandboxReady, init, ready, cr));
    if (!inits.isEmpty()) s.set("initContainerStatuses", initStatuses);
    s.set("containerStatuses", statuses);
    return s;
  }

  private static ObjectNode containerStatus(Container c, ObservedPod.Instance latest, ObservedPod.Instance previous, Waiting w, boolean ready,
                                            boolean started, boolean withStarted) {
    ObjectNode st = Json.object();
    st.put("name", c.getName());
    st.put("image", latest != null && !latest.image().isEmpty() ? latest.image() : c.getImage());
    st.put("imageID", latest != null ? latest.imageRef() : "");
    if (latest != null) st.put("containerID", "containerd://" + latest.id());
    st.put("ready", ready);
    st.put("restartCount", latest == null ? 0 : latest.attempt());
    if (withStarted) st.put("started", started);
    ObjectNode state = st.putObject("state");
    ObjectNode last = st.putObject("lastState");
    if (w != null) {
      ObjectNode wt = state.putObject("waiting").put("reason", w.reason());
      if (w.message() != null) wt.put("message", w.message());
      if (latest != null && latest.exited()) last.set("terminated", terminated(latest));
      else if (previous != null && previous.exited()) last.set("terminated", terminated(previous));
    } else if (latest == null) {
      state.putObject("waiting").put("reason", "ContainerCreating");
    } else {
      switch (latest.state()) {
        case CONTAINER_RUNNING -> state.putObject("running").put("startedAt", time(latest.startedAt()));
        case CONTAINER_EXITED -> state.set("terminated", terminated(latest));
        default -> state.putObject("waiting").put("reason", "ContainerCreating");
      }
      if (previous != null && previous.exited()) last.set("terminated", terminated(previous));
    }
    return st;
  }

  static ObjectNode terminated(ObservedPod.Instance i) {
    ObjectNode t = Json.object();
    t.put("exitCode", i.exitCode());
    String reason = i.reason() == null || i.reason().isEmpty() ? (i.exitCode() == 0 ? "Completed" : "Error") : i.reason();
    t.put("reason", reason);
    if (i.message() != null && !i.message().isEmpty()) t.put("message", i.message());
    if (i.startedAt() > 0) t.put("startedAt", time(i.startedAt()));
    if (i.finishedAt() > 0) t.put("finishedAt", time(i.finishedAt()));
    t.put("containerID", "containerd://" + i.id());
    return t;
  }

  static String time(long nanos) { return Timestamps.formatTime(Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L)); }

  private static ObjectNode cond(String type, boolean status, String reason, String message) {
    ObjectNode c = Json.object();
    c.put("type", type);
    c.put("status", status ? "True" : "False");
    if (reason != null) c.put("reason", reason);
    if (message != null) c.put("message", message);
    return c;
  }

  /** Ours, with transition times kept where the status did not change, then the conditions we do not own. */
  private static ArrayNode conditions(Pod pod, Instant now, ObjectNode... ours) {
    List<PodCondition> existing = pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions();
    ArrayNode out = Json.NODES.arrayNode();
    String ts = Timestamps.formatTime(now);
    for (ObjectNode c : ours) {
      String type = c.get("type").asString();
      PodCondition old = existing.stream().filter(x -> type.equals(x.getType())).findFirst().orElse(null);
      c.putNull("lastProbeTime");
      c.put("lastTransitionTime", old != null && c.get("status").asString().equals(old.getStatus()) && old.getLastTransitionTime() != null
          ? old.getLastTransitionTime() : ts);
      out.add(c);
    }
    for (PodCondition old : existing) {
      if (!OWNED.contains(old.getType())) out.add(Json.MAPPER.valueToTree(old));
    }
    return out;
  }

  private static boolean readinessGatesTrue(Pod pod) {
    List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
    if (gates == null || gates.isEmpty()) return true;
    List<PodCondition> cs = pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions();
    for (PodReadinessGate g : gates) {
      if (cs.stream().noneMatch(c -> g.getConditionType().equals(c.getType()) && "True".equals(c.getStatus()))) return false;
    }
    return true;
  }
}
