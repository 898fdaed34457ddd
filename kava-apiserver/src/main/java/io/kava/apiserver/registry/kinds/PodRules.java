package io.kava.apiserver.registry.kinds;

import io.kava.api.json.Json;
import io.kava.api.quantity.Quantity;
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

  /** Upstream's PrepareForCreate: status starts as Pending with the pod's QoS class. */
  public static final ObjectHook PREPARE_FOR_CREATE = (ctx, pod, old) -> {
    ObjectNode status = Json.object();
    status.put("phase", "Pending");
    status.put("qosClass", qosClass(pod.path("spec")));
    pod.set("status", status);
    ObjectNode spec = pod.withObject("spec");
    if (!spec.has("serviceAccountName") || spec.path("serviceAccountName").asString("").isEmpty()) {
      // The ServiceAccount admission plugin's default.
      spec.put("serviceAccountName", spec.path("serviceAccount").asString("default").isEmpty() ? "default" : spec.path("serviceAccount").asString("default"));
    }
    spec.put("serviceAccount", spec.path("serviceAccountName").asString());
    if (!spec.has("priority")) spec.put("priority", 0);
  };

  /** Pods keep their QoS class: it is computed once at creation. */
  public static final ObjectHook PREPARE_FOR_UPDATE = (ctx, pod, old) -> {
    JsonNode qos = old.path("status").path("qosClass");
    if (!qos.isMissingNode() && ctx.subresource().isEmpty()) pod.withObject("status").set("qosClass", qos);
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

  /** Guaranteed when every container has equal cpu and memory requests and limits; BestEffort when none has any. */
  public static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        JsonNode req = c.path("resources").path("requests");
        JsonNode lim = c.path("resources").path("limits");
        for (String r : new String[] {"cpu", "memory"}) {
          JsonNode rq = req.get(r);
          JsonNode lm = lim.get(r);
          if ((rq != null && !isZero(rq)) || (lm != null && !isZero(lm))) any = true;
          if (lm == null) {
            guaranteed = false;
          } else if (rq != null && Quantity.parse(rq.asString()).compareTo(Quantity.parse(lm.asString())) != 0) {
            guaranteed = false;
          }
        }
      }
    }
    if (!any) return "BestEffort";
    return guaranteed ? "Guaranteed" : "Burstable";
  }

  private static boolean isZero(JsonNode q) {
    try {
      return Quantity.parse(q.asString()).isZero();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
