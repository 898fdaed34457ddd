package io.kava.apiserver.registry.kinds;

import io.kava.apiserver.registry.ObjectHook;
import io.kava.apiserver.registry.ResourceStrategy;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Pod rules the server applies beyond defaulting and validation: status seeding, QoS, deletion grace, selectable fields. */
public final class PodRules {
  private PodRules() {}

  public static final Set<String> FIELDS = Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
      "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName");

  public static Map<String, String> fields(JsonNode pod) {
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    Map<String, String> f = new HashMap<>();
    f.put("spec.nodeName", spec.path("nodeName").asString(""));
    f.put("spec.restartPolicy", spec.path("restartPolicy").asString(""));
    f.put("spec.schedulerName", spec.path("schedulerName").asString(""));
    f.put("spec.serviceAccountName", spec.path("serviceAccountName").asString(""));
    f.put("spec.hostNetwork", Boolean.toString(spec.path("hostNetwork").asBoolean(false)));
    f.put("status.phase", status.path("phase").asString(""));
    f.put("status.podIP", status.path("podIP").asString(""));
    f.put("status.nominatedNodeName", status.path("nominatedNodeName").asString(""));
    return f;
  }

  /** The ServiceAccount admission plugin and the Priority plugin (priority from the PriorityClass), in upstream's order. */
  public static final ObjectHook ADMISSION_ON_CREATE = (ctx, pod, old) -> {
    ServiceAccountAdmission.UPSTREAM.admit(ctx.services(), pod);
    priority(ctx, pod);
  };

  /** Upstream's Priority admission: the named class (403 when missing) or the global default, else 0. */
  static void priority(io.kava.apiserver.registry.WriteContext ctx, ObjectNode pod) {
    ObjectNode spec = pod.withObject("spec");
    String name = spec.path("priorityClassName").asString("");
    JsonNode pc = null;
    if (!name.isEmpty()) {
      pc = ctx.services().lookup("scheduling.k8s.io", "priorityclasses", null, name);
      if (pc == null) throw forbidden(pod, "no PriorityClass with name " + name + " was found");
    } else {
      for (JsonNode c : ctx.services().all("scheduling.k8s.io", "priorityclasses")) {
        if (c.path("globalDefault").asBoolean(false) && (pc == null || c.path("value").asInt() < pc.path("value").asInt())) pc = c;
      }
      if (pc != null) spec.put("priorityClassName", pc.path("metadata").path("name").asString());
    }
    int value = pc == null ? 0 : pc.path("value").asInt();
    String policy = pc == null ? "PreemptLowerPriority" : pc.path("preemptionPolicy").asString("PreemptLowerPriority");
    if (spec.has("priority") && !spec.get("priority").isNull() && spec.get("priority").asInt() != value) {
      throw forbidden(pod, "the integer value of priority (" + spec.get("priority").asInt()
          + ") must not be provided in pod spec; priority admission controller computed " + value + " from the given PriorityClass name");
    }
    String given = spec.path("preemptionPolicy").asString("");
    if (!given.isEmpty() && pc != null && !given.equals(policy)) {
      throw forbidden(pod, "the string value of PreemptionPolicy (" + given
          + ") must not be provided in pod spec; priority admission controller computed " + policy + " from the given PriorityClass name");
    }
    io.kava.apiserver.registry.defaults.PodAdmissionDefaults.priority(pod, value, policy);
  }

  static io.kava.apiserver.errors.StatusException forbidden(JsonNode pod, String why) {
    String podName = pod.path("metadata").path("name").asString("");
    return new io.kava.apiserver.errors.StatusException(403, "Forbidden", "pods \"" + podName + "\" is forbidden: " + why,
        podName, "", "pods", java.util.List.of(), null);
  }

  /**
   * Upstream's CheckGracefulDelete: the requested period or spec.terminationGracePeriodSeconds (30), but at once
   * for pods that never reached a node or already finished.
   */
  public static final ResourceStrategy.GracePeriodPolicy GRACE = (pod, requested) -> {
    long period = requested != null ? requested : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    if (pod.path("spec").path("nodeName").asString("").isEmpty()) return 0;
    String phase = pod.path("status").path("phase").asString("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) return 0;
    return Math.max(0, period);
  };
}
