package io.kava.apiserver.registry.defaults;

import io.kava.apiserver.registry.ObjectHook;
import io.kava.api.quantity.Quantity;
import io.kava.apiserver.registry.validation.JsonQuantity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parts of upstream's registry strategies (PrepareForCreate / PrepareForUpdate) that fill in or carry over
 * fields, for the lead to plug into {@code ResourceStrategy.prepareForCreate/prepareForUpdate}. They run after
 * defaulting and before validation. Server allocations (cluster IPs, node ports) stay with the server.
 *
 * <p>Create hooks also write the status a freshly created object has upstream (the zero values its Go status
 * struct serializes, e.g. {@code replicas: 0} for a ReplicaSet), since kava stores what it returns.
 */
public final class KindHooks {
  private KindHooks() {}

  /** The create hook of a kind ({@link ObjectHook#NONE} when it needs none). */
  public static ObjectHook prepareForCreate(String group, String kind) {
    String key = (group == null ? "" : group) + "/" + kind;
    return switch (key) {
      case "/Pod" -> (ctx, pod, old) -> podStatus(pod);
      case "/Namespace" -> (ctx, ns, old) -> namespaceCreate(ns);
      case "/Service" -> (ctx, svc, old) -> initialStatus(svc, "loadBalancer");
      case "/PersistentVolumeClaim", "/PersistentVolume" -> (ctx, o, old) -> D.stringIfEmpty(D.objOrCreate(o, "status"), "phase", "Pending");
      case "/ReplicationController", "apps/ReplicaSet" -> (ctx, o, old) -> zeroStatus(o, "replicas");
      case "apps/StatefulSet" -> (ctx, o, old) -> zeroStatus(o, "replicas", "availableReplicas");
      case "apps/DaemonSet" -> (ctx, o, old) ->
          zeroStatus(o, "currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady");
      case "apps/Deployment", "batch/CronJob" -> (ctx, o, old) -> D.objectIfNil(o, "status");
      case "batch/Job" -> JobSelectorGeneration.ON_CREATE.andThen((ctx, o, old) -> D.objectIfNil(o, "status"));
      case "networking.k8s.io/Ingress" -> (ctx, o, old) -> initialStatus(o, "loadBalancer");
      case "policy/PodDisruptionBudget" -> (ctx, o, old) ->
          zeroStatus(o, "disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods");
      default -> ObjectHook.NONE;
    };
  }

  /** The update hook of a kind ({@link ObjectHook#NONE} when it needs none). */
  public static ObjectHook prepareForUpdate(String group, String kind) {
    String key = (group == null ? "" : group) + "/" + kind;
    return switch (key) {
      case "/Namespace" -> (ctx, ns, old) -> {
        // spec.finalizers changes only through the finalize subresource
        String sub = ctx == null ? "" : Objects.requireNonNullElse(ctx.subresource(), "");
        if (sub.isEmpty()) {
          ObjectNode spec = D.objOrCreate(ns, "spec");
          JsonNode oldFinalizers = old == null ? null : old.path("spec").get("finalizers");
          if (oldFinalizers == null || oldFinalizers.isNull()) spec.remove("finalizers");
          else spec.set("finalizers", oldFinalizers.deepCopy());
        }
      };
      case "/Service" -> (ctx, svc, old) -> {
        if (ctx == null || ctx.subresource() == null || ctx.subresource().isEmpty()) serviceUpdate(svc, old);
      };
      default -> ObjectHook.NONE;
    };
  }

  // ---- Namespace -----------------------------------------------------------------------------------------------------

  /** The namespace strategy's PrepareForCreate: status Active, and the "kubernetes" finalizer. */
  static void namespaceCreate(ObjectNode ns) {
    ns.putObject("status").put("phase", "Active");
    CoreDefaults.addUnique(D.objOrCreate(ns, "spec"), "finalizers", "kubernetes");
  }

  // ---- Pod -----------------------------------------------------------------------------------------------------------

  /** The pod strategy's PrepareForCreate: status Pending with the computed QoS class. */
  static void podStatus(ObjectNode pod) {
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Pending");
    status.put("qosClass", qosClass(pod));
  }

  /** ComputePodQOS from container requests and limits (cpu and memory only). */
  public static String qosClass(JsonNode pod) {
    JsonNode spec = pod.path("spec");
    Map<String, Quantity> requests = new HashMap<>();
    Map<String, Quantity> limits = new HashMap<>();
    boolean guaranteed = true;
    List<JsonNode> containers = new ArrayList<>();
    for (String kind : List.of("containers", "initContainers")) {
      JsonNode arr = spec.get(kind);
      if (arr != null && arr.isArray()) for (JsonNode c : arr) containers.add(c);
    }
    for (JsonNode c : containers) {
      JsonNode res = c.path("resources");
      sum(res.get("requests"), requests, null);
      Set<String> found = new java.util.HashSet<>();
      sum(res.get("limits"), limits, found);
      if (!found.contains("cpu") || !found.contains("memory")) guaranteed = false;
    }
    if (requests.isEmpty() && limits.isEmpty()) return "BestEffort";
    if (guaranteed) {
      for (Map.Entry<String, Quantity> e : requests.entrySet()) {
        Quantity l = limits.get(e.getKey());
        if (l == null || l.compareTo(e.getValue()) != 0) {
          guaranteed = false;
          break;
        }
      }
    }
    return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
  }

  private static void sum(JsonNode list, Map<String, Quantity> into, Set<String> found) {
    if (list == null || !list.isObject()) return;
    for (String name : list.propertyNames()) {
      if (!name.equals("cpu") && !name.equals("memory")) continue;
      Quantity q = JsonQuantity.parseOrNull(list.get(name));
      if (q == null || q.signum() <= 0) continue;
      if (found != null) found.add(name);
      into.merge(name, q, Quantity::add);
    }
  }

  // ---- Service -------------------------------------------------------------------------------------------------------

  /**
   * The service storage's update preparation: keep values the server allocated when the client did not resend
   * them (patchAllocatedValues), pair clusterIP with clusterIPs (NormalizeClusterIPs), and drop fields the new type
   * no longer uses when the client left them unchanged (dropTypeDependentFields).
   */
  static void serviceUpdate(ObjectNode svc, JsonNode old) {
    if (old == null) return;
    ObjectNode spec = D.objOrCreate(svc, "spec");
    JsonNode oldSpec = old.path("spec");
    patchAllocatedValues(spec, oldSpec);
    normalizeClusterIPs(spec, oldSpec);
    dropTypeDependentFields(spec, oldSpec);
  }

  private static boolean needsClusterIP(JsonNode spec) {
    String type = D.str(spec, "type");
    return type.equals("ClusterIP") || type.equals("NodePort") || type.equals("LoadBalancer");
  }

  private static boolean needsNodePort(JsonNode spec) {
    String type = D.str(spec, "type");
    return type.equals("NodePort") || (type.equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true));
  }

  private static boolean needsHCNodePort(JsonNode spec) {
    return D.str(spec, "type").equals("LoadBalancer") && D.str(spec, "externalTrafficPolicy").equals("Local");
  }

  private static void patchAllocatedValues(ObjectNode spec, JsonNode oldSpec) {
    if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
      if (D.str(spec, "clusterIP").isEmpty() && !D.str(oldSpec, "clusterIP").isEmpty()) spec.put("clusterIP", D.str(oldSpec, "clusterIP"));
      JsonNode ips = spec.get("clusterIPs");
      JsonNode oldIps = oldSpec.get("clusterIPs");
      if ((ips == null || ips.isNull() || ips.isEmpty()) && oldIps != null && oldIps.isArray() && !oldIps.isEmpty()) {
        spec.set("clusterIPs", oldIps.deepCopy());
      }
    }
    if (needsNodePort(oldSpec) && needsNodePort(spec)) {
      Set<Long> oldUsed = nodePorts(oldSpec);
      Set<Long> used = new java.util.HashSet<>(nodePorts(spec));
      used.retainAll(oldUsed);
      Map<String, Long> byName = new HashMap<>();
      for (ObjectNode p : D.objs(oldSpec, "ports")) byName.put(D.str(p, "name"), p.path("nodePort").asLong(0));
      for (ObjectNode p : D.objs(spec, "ports")) {
        if (p.path("nodePort").asLong(0) != 0) continue;
        Long oldVal = byName.get(D.str(p, "name"));
        if (oldVal != null && oldVal != 0 && !used.contains(oldVal)) D.putNumber(p, "nodePort", oldVal);
      }
    }
    if (needsHCNodePort(oldSpec) && needsHCNodePort(spec) && spec.path("healthCheckNodePort").asLong(0) == 0
        && oldSpec.path("healthCheckNodePort").asLong(0) != 0) {
      D.putNumber(spec, "healthCheckNodePort", oldSpec.path("healthCheckNodePort").asLong());
    }
  }

  private static Set<Long> nodePorts(JsonNode spec) {
    Set<Long> out = new java.util.HashSet<>();
    for (ObjectNode p : D.objs(spec, "ports")) if (p.path("nodePort").asLong(0) != 0) out.add(p.path("nodePort").asLong());
    return out;
  }

  private static boolean sameIPs(JsonNode a, JsonNode b) { return norm(a.get("clusterIPs")).equals(norm(b.get("clusterIPs"))); }

  private static JsonNode norm(JsonNode v) { return v == null || v.isNull() ? D.F.arrayNode() : v; }

  private static void normalizeClusterIPs(ObjectNode spec, JsonNode oldSpec) {
    String ip = D.str(spec, "clusterIP");
    String oldIp = D.str(oldSpec, "clusterIP");
    JsonNode ips = norm(spec.get("clusterIPs"));
    JsonNode oldIps = norm(oldSpec.get("clusterIPs"));
    if (!oldIps.isEmpty() && ips.isEmpty() && oldIp.equals(ip)) {
      spec.set("clusterIPs", oldIps.deepCopy());
      ips = spec.get("clusterIPs");
    }
    if (!oldIp.equals(ip)) {
      if (!oldIp.isEmpty() && ip.isEmpty()) {
        if (sameIPs(oldSpec, spec)) spec.remove("clusterIPs");
        return;
      }
      if (!oldIp.isEmpty() && !ip.isEmpty() && sameIPs(oldSpec, spec) && ips instanceof ArrayNode a && !a.isEmpty()) {
        a.set(0, D.F.stringNode(ip));
        return;
      }
      if (oldIp.isEmpty() && !ip.isEmpty() && ips.isEmpty()) spec.putArray("clusterIPs").add(ip);
    }
  }

  /**
   * The service strategy's dropTypeDependentFields on its own, for callers that allocate and patch values
   * themselves: when an update changes the type so that a field no longer applies (cluster IPs and IP families
   * for ExternalName, node ports, the health-check node port, allocateLoadBalancerNodePorts, loadBalancerClass,
   * externalTrafficPolicy) and the client left the field as it was, the field is cleared.
   */
  public static final ObjectHook SERVICE_DROP_TYPE_DEPENDENT_FIELDS = (ctx, svc, old) -> {
    if (old == null || (ctx != null && ctx.subresource() != null && !ctx.subresource().isEmpty())) return;
    dropTypeDependentFields(D.objOrCreate(svc, "spec"), old.path("spec"));
  };

  private static void dropTypeDependentFields(ObjectNode spec, JsonNode oldSpec) {
    if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
      if (sameIPs(oldSpec, spec)) {
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
      }
      if (norm(spec.get("ipFamilies")).equals(norm(oldSpec.get("ipFamilies")))) spec.remove("ipFamilies");
      if (D.str(spec, "ipFamilyPolicy").equals(D.str(oldSpec, "ipFamilyPolicy"))) spec.remove("ipFamilyPolicy");
    }
    if (needsNodePort(oldSpec) && !needsNodePort(spec) && nodePorts(spec).equals(nodePorts(oldSpec))) {
      for (ObjectNode p : D.objs(spec, "ports")) p.remove("nodePort");
    }
    if (needsHCNodePort(oldSpec) && !needsHCNodePort(spec)
        && spec.path("healthCheckNodePort").asLong(0) == oldSpec.path("healthCheckNodePort").asLong(0)) {
      spec.remove("healthCheckNodePort");
    }
    boolean wasLB = D.str(oldSpec, "type").equals("LoadBalancer");
    boolean isLB = D.str(spec, "type").equals("LoadBalancer");
    if (wasLB && !isLB) {
      JsonNode now = spec.get("allocateLoadBalancerNodePorts");
      JsonNode before = oldSpec.get("allocateLoadBalancerNodePorts");
      if (now != null && before != null && now.equals(before)) spec.remove("allocateLoadBalancerNodePorts");
      JsonNode cls = spec.get("loadBalancerClass");
      if (cls != null && cls.equals(oldSpec.get("loadBalancerClass"))) spec.remove("loadBalancerClass");
    }
    if (CoreDefaults.externallyAccessible(oldSpec) && !CoreDefaults.externallyAccessible(spec)
        && D.str(spec, "externalTrafficPolicy").equals(D.str(oldSpec, "externalTrafficPolicy"))) {
      spec.remove("externalTrafficPolicy");
    }
  }

  // ---- initial statuses ------------------------------------------------------------------------------------------

  private static void initialStatus(ObjectNode o, String emptyObjectField) {
    D.objectIfNil(D.objOrCreate(o, "status"), emptyObjectField);
  }

  private static void zeroStatus(ObjectNode o, String... fields) {
    ObjectNode status = D.objOrCreate(o, "status");
    for (String f : fields) D.numberIfNil(status, f, 0);
  }
}
