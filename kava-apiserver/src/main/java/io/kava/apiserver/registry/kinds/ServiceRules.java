package io.kava.apiserver.registry.kinds;

import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ObjectHook;
import io.kava.api.validation.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Service allocation: ClusterIPs from the service CIDR and NodePorts from the node-port range, kept on update, released on delete. */
public final class ServiceRules {
  private ServiceRules() {}

  public static final Set<String> FIELDS = Set.of("spec.clusterIP", "spec.type");

  public static Map<String, String> fields(JsonNode svc) {
    return Map.of("spec.clusterIP", svc.path("spec").path("clusterIP").asString(""), "spec.type", svc.path("spec").path("type").asString("ClusterIP"));
  }

  private static boolean needsClusterIp(JsonNode spec) {
    return !spec.path("type").asString("ClusterIP").equals("ExternalName");
  }

  private static boolean needsNodePorts(JsonNode spec) {
    String type = spec.path("type").asString("ClusterIP");
    if (type.equals("NodePort")) return true;
    return type.equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true);
  }

  public static final ObjectHook PREPARE_FOR_CREATE = (ctx, svc, old) -> {
    ObjectNode spec = svc.withObject("spec");
    List<Runnable> undo = new ArrayList<>();
    try {
      if (needsClusterIp(spec)) {
        String requested = spec.path("clusterIP").asString("");
        if (!requested.equals("None")) {
          String ip = ctx.services().allocateClusterIp(requested.isEmpty() ? null : requested, ctx.dryRun());
          if (!ctx.dryRun()) undo.add(() -> ctx.services().releaseClusterIp(ip));
          spec.put("clusterIP", ip);
        }
        ArrayNode ips = spec.putArray("clusterIPs");
        ips.add(spec.path("clusterIP").asString());
      }
      if (needsNodePorts(spec)) allocateNodePorts(ctx, spec, Set.of(), undo);
    } catch (RuntimeException e) {
      undo.forEach(Runnable::run);
      throw e;
    }
    ObjectNode status = svc.putObject("status");
    status.putObject("loadBalancer");
  };

  private static void allocateNodePorts(io.kava.apiserver.registry.WriteContext ctx, ObjectNode spec, Set<Integer> keep, List<Runnable> undo) {
    Set<Integer> seen = new HashSet<>();
    int i = 0;
    for (JsonNode p : spec.path("ports")) {
      ObjectNode port = (ObjectNode) p;
      int requested = port.path("nodePort").asInt(0);
      if (requested != 0 && keep.contains(requested)) {
        seen.add(requested);
        i++;
        continue;
      }
      if (requested != 0 && !seen.add(requested)) {
        throw StatusException.invalid("", "Service", "", List.of(FieldError.duplicate("spec.ports[" + i + "].nodePort", requested)));
      }
      int allocated = ctx.services().allocateNodePort(requested, ctx.dryRun());
      if (!ctx.dryRun()) undo.add(() -> ctx.services().releaseNodePort(allocated));
      seen.add(allocated);
      port.put("nodePort", allocated);
      i++;
    }
  }

  /** Keeps allocated values a client left out (upstream's patchAllocatedValues); allocates for new NodePorts. */
  public static final ObjectHook PREPARE_FOR_UPDATE = (ctx, svc, old) -> {
    if (!ctx.subresource().isEmpty()) return;
    ObjectNode spec = svc.withObject("spec");
    JsonNode oldSpec = old.path("spec");
    if (needsClusterIp(spec) && needsClusterIp(oldSpec)) {
      if (spec.path("clusterIP").asString("").isEmpty() && oldSpec.has("clusterIP")) spec.set("clusterIP", oldSpec.get("clusterIP"));
      if (!spec.has("clusterIPs") && oldSpec.has("clusterIPs")) spec.set("clusterIPs", oldSpec.get("clusterIPs"));
    } else if (needsClusterIp(spec) && !needsClusterIp(oldSpec)) {
      String requested = spec.path("clusterIP").asString("");
      if (!requested.equals("None")) {
        String ip = ctx.services().allocateClusterIp(requested.isEmpty() ? null : requested, ctx.dryRun());
        spec.put("clusterIP", ip);
      }
      spec.putArray("clusterIPs").add(spec.path("clusterIP").asString());
    }
    if (needsNodePorts(spec)) {
      Set<Integer> oldPorts = new HashSet<>();
      for (JsonNode p : oldSpec.path("ports")) if (p.path("nodePort").asInt(0) != 0) oldPorts.add(p.path("nodePort").asInt());
      // A port the client sent without nodePort keeps the one it had (matched by port and protocol).
      for (JsonNode p : spec.path("ports")) {
        if (p.path("nodePort").asInt(0) != 0) continue;
        for (JsonNode op : oldSpec.path("ports")) {
          if (op.path("port").asInt() == p.path("port").asInt() && op.path("protocol").asString("TCP").equals(p.path("protocol").asString("TCP"))
              && op.path("nodePort").asInt(0) != 0) {
            ((ObjectNode) p).put("nodePort", op.path("nodePort").asInt());
          }
        }
      }
      allocateNodePorts(ctx, spec, oldPorts, new ArrayList<>());
    }
  };

  /** Releases what the service held (on delete, and what an update dropped). */
  public static final ObjectHook AFTER_DELETE = (ctx, svc, old) -> {
    JsonNode spec = svc.path("spec");
    String ip = spec.path("clusterIP").asString("");
    if (!ip.isEmpty() && !ip.equals("None")) ctx.services().releaseClusterIp(ip);
    for (JsonNode p : spec.path("ports")) if (p.path("nodePort").asInt(0) != 0) ctx.services().releaseNodePort(p.path("nodePort").asInt());
  };
}
