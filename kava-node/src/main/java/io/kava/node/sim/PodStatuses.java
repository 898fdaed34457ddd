package io.kava.node.sim;

import static io.kava.node.status.PodConditions.condition;
import static io.kava.node.status.PodConditions.merged;
import static io.kava.node.status.PodConditions.readinessGatesTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod statuses a kubelet reports, built for simulated pods: running (containers started and ready), finished
 * (containers terminated with their exit codes) and killed (after deletion). Each result is a whole status object
 * for a merge patch of pods/status; conditions the kubelet does not own (PodScheduled, DisruptionTarget, readiness
 * gates) are carried over. Pure functions.
 */
public final class PodStatuses {
  private PodStatuses() {}

  /** Containers killed because the pod was deleted: they stop cleanly (exit 0) when asked, as well-behaved processes do. */
  public static final int KILLED_EXIT_CODE = 0;

  public static ObjectNode running(Pod pod, String hostIp, String podIp, Instant start, Instant now) {
    ObjectNode s = base(pod, "Running", hostIp, podIp, start);
    boolean gatesOk = readinessGatesTrue(pod);
    ArrayNode conds = merged(pod, now,
        condition("PodReadyToStartContainers", true, null, null),
        condition("Initialized", true, null, null),
        gatesOk ? condition("Ready", true, null, null) : condition("Ready", false, "ReadinessGatesNotReady", "corresponding condition of pod readiness gate is not true"),
        condition("ContainersReady", true, null, null));
    s.set("conditions", conds);
    if (!initStatuses(pod, start).isEmpty()) s.set("initContainerStatuses", initStatuses(pod, start));
    ArrayNode cs = s.putArray("containerStatuses");
    for (Container c : containers(pod)) {
      ObjectNode st = containerStatus(pod, c, true, true);
      st.putObject("state").putObject("running").put("startedAt", Timestamps.formatTime(start));
      cs.add(st);
    }
    return s;
  }

  /** All containers ended as {@code exits} says (by name; missing ones exit 0). Phase Succeeded when all exit 0. */
  public static ObjectNode finished(Pod pod, String hostIp, String podIp, Instant start, Map<String, ContainerScript.Exit> exits, Instant now) {
    boolean allZero = true;
    for (Container c : containers(pod)) {
      ContainerScript.Exit e = exits.get(c.getName());
      if (e != null && e.code() != 0) allZero = false;
    }
    ObjectNode s = base(pod, allZero ? "Succeeded" : "Failed", hostIp, podIp, start);
    ObjectNode notReady = allZero ? condition("ContainersReady", false, "PodCompleted", null)
        : condition("ContainersReady", false, "ContainersNotReady", "containers with unready status: " + names(pod));
    ObjectNode ready = notReady.deepCopy().put("type", "Ready");
    s.set("conditions", merged(pod, now, condition("PodReadyToStartContainers", false, null, null), condition("Initialized", true, null, null),
        ready, notReady));
    if (!initStatuses(pod, start).isEmpty()) s.set("initContainerStatuses", initStatuses(pod, start));
    ArrayNode cs = s.putArray("containerStatuses");
    for (Container c : containers(pod)) {
      ContainerScript.Exit e = exits.getOrDefault(c.getName(), new ContainerScript.Exit(0, 0));
      ObjectNode st = containerStatus(pod, c, false, false);
      ObjectNode t = st.putObject("state").putObject("terminated");
      t.put("exitCode", e.code());
      t.put("reason", e.code() == 0 ? "Completed" : "Error");
      t.put("startedAt", Timestamps.formatTime(start));
      t.put("finishedAt", Timestamps.formatTime(start.plusMillis(e.runMillis())));
      t.put("containerID", containerId(pod, c));
      cs.add(st);
    }
    return s;
  }

  /** The pod was deleted: every container still running is stopped now; terminated ones keep their state. */
  public static ObjectNode killed(Pod pod, String hostIp, String podIp, Instant start, Instant now) {
    Map<String, ContainerScript.Exit> exits = new java.util.HashMap<>();
    var current = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.<ContainerStatus>of() : pod.getStatus().getContainerStatuses();
    for (Container c : containers(pod)) {
      long ran = Math.max(0, now.toEpochMilli() - start.toEpochMilli());
      exits.put(c.getName(), new ContainerScript.Exit(KILLED_EXIT_CODE, ran));
      for (ContainerStatus st : current) {
        if (c.getName().equals(st.getName()) && st.getState() != null && st.getState().getTerminated() != null
            && st.getState().getTerminated().getExitCode() != null) {
          exits.put(c.getName(), new ContainerScript.Exit(st.getState().getTerminated().getExitCode(), ran));
        }
      }
    }
    return finished(pod, hostIp, podIp, start, exits, now);
  }

  private static ObjectNode base(Pod pod, String phase, String hostIp, String podIp, Instant start) {
    ObjectNode s = Json.object();
    s.put("phase", phase);
    s.put("hostIP", hostIp);
    s.putArray("hostIPs").addObject().put("ip", hostIp);
    if (podIp != null) {
      s.put("podIP", podIp);
      s.putArray("podIPs").addObject().put("ip", podIp);
    }
    s.put("startTime", Timestamps.formatTime(start));
    if (pod.getStatus() != null && pod.getStatus().getQosClass() != null) s.put("qosClass", pod.getStatus().getQosClass());
    return s;
  }

  /**
   * True for a running pod whose Ready condition someone else set to False (the node lifecycle controller does when it
   * thinks the node went silent) although its containers run and its readiness gates pass: the kubelet owns that
   * condition and reports it again.
   */
  static boolean readyTakenAway(Pod pod) {
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase()) || pod.getStatus().getConditions() == null) return false;
    if (!readinessGatesTrue(pod)) return false;
    return pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus()));
  }

  private static ArrayNode initStatuses(Pod pod, Instant start) {
    ArrayNode out = Json.NODES.arrayNode();
    List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    for (Container c : inits) {
      boolean sidecar = "Always".equals(c.getRestartPolicy());
      ObjectNode st = containerStatus(pod, c, sidecar, sidecar);
      if (sidecar) {
        st.putObject("state").putObject("running").put("startedAt", Timestamps.formatTime(start));
      } else {
        ObjectNode t = st.putObject("state").putObject("terminated");
        t.put("exitCode", 0);
        t.put("reason", "Completed");
        t.put("startedAt", Timestamps.formatTime(start));
        t.put("finishedAt", Timestamps.formatTime(start));
        t.put("containerID", containerId(pod, c));
      }
      out.add(st);
    }
    return out;
  }

  private static ObjectNode containerStatus(Pod pod, Container c, boolean ready, boolean started) {
    ObjectNode st = Json.object();
    st.put("name", c.getName());
    String image = normalizeImage(c.getImage() == null ? "" : c.getImage());
    st.put("image", image);
    st.put("imageID", imageId(image));
    st.put("containerID", containerId(pod, c));
    st.put("ready", ready);
    st.put("started", started);
    st.put("restartCount", 0);
    st.putObject("lastState");
    return st;
  }

  private static List<Container> containers(Pod pod) {
    return pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
  }

  private static String names(Pod pod) {
    return "[" + String.join(" ", containers(pod).stream().map(Container::getName).toList()) + "]";
  }

  /** Docker Hub's short names made whole, as the CRI reports them: "nginx" → "docker.io/library/nginx:latest". */
  static String normalizeImage(String image) {
    if (image.isEmpty()) return image;
    String name = image;
    String suffix = "";
    int at = name.indexOf('@');
    if (at >= 0) {
      suffix = name.substring(at);
      name = name.substring(0, at);
    } else {
      int slash = name.lastIndexOf('/');
      int colon = name.lastIndexOf(':');
      if (colon > slash) {
        suffix = name.substring(colon);
        name = name.substring(0, colon);
      } else {
        suffix = ":latest";
      }
    }
    int slash = name.indexOf('/');
    String first = slash < 0 ? "" : name.substring(0, slash);
    boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (!hasRegistry) name = (slash < 0 ? "docker.io/library/" : "docker.io/") + name;
    return name + suffix;
  }

  /** Image IDs by image: a cluster runs few images, and each pod's status names one per container. */
  private static final java.util.concurrent.ConcurrentHashMap<String, String> IMAGE_IDS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_IMAGE_IDS = 4096;

  static String imageId(String image) {
    String known = IMAGE_IDS.get(image);
    if (known != null) return known;
    String id = computeImageId(image);
    if (IMAGE_IDS.size() >= MAX_IMAGE_IDS) IMAGE_IDS.clear();
    IMAGE_IDS.put(image, id);
    return id;
  }

  private static String computeImageId(String image) {
    int at = image.indexOf('@');
    if (at >= 0) return image;
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    String repo = colon > slash ? image.substring(0, colon) : image;
    return repo + "@sha256:" + sha256(image);
  }

  static String containerId(Pod pod, Container c) {
    return "kava-sim://" + sha256(pod.getMetadata().getUid() + "/" + c.getName());
  }

  /** Cloned per digest: getInstance looks the algorithm up among the security providers on every call. */
  private static final MessageDigest SHA256 = sha256Digest();

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(String s) {
    MessageDigest md;
    try {
      md = (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      md = sha256Digest();
    }
    return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
