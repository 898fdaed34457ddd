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

  /** The ServiceAccount admission plugin's default, and priority 0 when no PriorityClass applies. */
  public static final ObjectHook ADMISSION_ON_CREATE = (ctx, pod, old) -> {
    ObjectNode spec = pod.withObject("spec");
    String sa = spec.path("serviceAccountName").asString("");
    if (sa.isEmpty()) sa = spec.path("serviceAccount").asString("");
    if (sa.isEmpty()) sa = "default";
    spec.put("serviceAccountName", sa);
    spec.put("serviceAccount", sa);
    if (!spec.has("priority")) spec.put("priority", 0);
  };

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
