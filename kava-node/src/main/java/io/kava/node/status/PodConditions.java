package io.kava.node.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod conditions a kubelet owns, as the node agent and the simulated nodes both write them into a pods/status
 * merge patch: the owned ones rebuilt each time (keeping their transition time while their status holds), the others
 * (PodScheduled, DisruptionTarget, readiness gates) carried over. Pure functions.
 */
public final class PodConditions {
  /** The conditions the kubelet owns. */
  public static final Set<String> OWNED = Set.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady");

  private PodConditions() {}

  /** One condition as JSON; {@code reason} and {@code message} are left out when null. */
  public static ObjectNode condition(String type, boolean status, String reason, String message) {
    ObjectNode c = Json.object();
    c.put("type", type);
    c.put("status", status ? "True" : "False");
    if (reason != null) c.put("reason", reason);
    if (message != null) c.put("message", message);
    return c;
  }

  /** Ours, with transition times kept where the status did not change, then the conditions we do not own. */
  public static ArrayNode merged(Pod pod, Instant now, ObjectNode... ours) {
    List<PodCondition> existing = existing(pod);
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

  /** Whether every readiness gate of the pod names a condition that is True (no gates: true). */
  public static boolean readinessGatesTrue(Pod pod) {
    List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
    if (gates == null || gates.isEmpty()) return true;
    List<PodCondition> cs = existing(pod);
    for (PodReadinessGate g : gates) {
      if (cs.stream().noneMatch(c -> g.getConditionType().equals(c.getType()) && "True".equals(c.getStatus()))) return false;
    }
    return true;
  }

  private static List<PodCondition> existing(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions();
  }
}
