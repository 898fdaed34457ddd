package io.kava.node.sim;

import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The Node, node status and node Lease a kubelet writes, for a simulated node. Pure functions. */
public final class NodeObjects {
  private NodeObjects() {}

  public static final String SIM_LABEL = "kava.io/sim-node";
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  /** Upstream's node lease duration; the kubelet renews every quarter of it. */
  public static final int LEASE_DURATION_SECONDS = 40;

  /** Capacity, allocatable and identity of the simulated nodes. */
  public record Shape(String cpu, String memory, String pods, String ephemeralStorage, String kubeletVersion) {
    public static Shape defaults() { return new Shape("32", "256Gi", "110", "100Gi", "v1.33.0"); }
  }

  public static ObjectNode node(SimNode n) {
    ObjectNode o = Json.object();
    o.put("apiVersion", "v1");
    o.put("kind", "Node");
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", n.name());
    ObjectNode labels = meta.putObject("labels");
    labels.put("beta.kubernetes.io/arch", "amd64");
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("kubernetes.io/hostname", n.name());
    labels.put("kubernetes.io/os", "linux");
    labels.put(SIM_LABEL, "true");
    meta.putObject("annotations").put("node.alpha.kubernetes.io/ttl", "0").put(SIM_LABEL, "true");
    ObjectNode spec = o.putObject("spec");
    spec.put("podCIDR", n.podCidr().toString());
    spec.putArray("podCIDRs").add(n.podCidr().toString());
    return o;
  }

  public static ObjectNode status(SimNode n, Shape shape, Instant heartbeat, Instant transition) {
    ObjectNode s = Json.object();
    ObjectNode cap = s.putObject("capacity");
    cap.put("cpu", shape.cpu());
    cap.put("memory", shape.memory());
    cap.put("pods", shape.pods());
    cap.put("ephemeral-storage", shape.ephemeralStorage());
    s.set("allocatable", cap.deepCopy());
    ArrayNode conds = s.putArray("conditions");
    String hb = Timestamps.formatTime(heartbeat);
    String tt = Timestamps.formatTime(transition);
    condition(conds, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", hb, tt);
    condition(conds, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", hb, tt);
    condition(conds, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", hb, tt);
    condition(conds, "Ready", "True", "KubeletReady", "kubelet is posting ready status", hb, tt);
    ArrayNode addr = s.putArray("addresses");
    addr.addObject().put("type", "InternalIP").put("address", n.hostIp());
    addr.addObject().put("type", "Hostname").put("address", n.name());
    s.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
    ObjectNode info = s.putObject("nodeInfo");
    String id = UUID.nameUUIDFromBytes(n.name().getBytes(StandardCharsets.UTF_8)).toString();
    info.put("machineID", id.replace("-", ""));
    info.put("systemUUID", id);
    info.put("bootID", id);
    info.put("kernelVersion", System.getProperty("os.version", "unknown"));
    info.put("osImage", "kava simulated node");
    info.put("containerRuntimeVersion", "kava-sim://0.1.0");
    info.put("kubeletVersion", shape.kubeletVersion());
    info.put("kubeProxyVersion", shape.kubeletVersion());
    info.put("operatingSystem", "linux");
    info.put("architecture", "amd64");
    return s;
  }

  private static void condition(ArrayNode conds, String type, String status, String reason, String message, String hb, String tt) {
    conds.addObject().put("type", type).put("status", status).put("lastHeartbeatTime", hb).put("lastTransitionTime", tt)
        .put("reason", reason).put("message", message);
  }

  /** The node's Lease in kube-node-lease, held by the node and owned by it (deleted with the Node). */
  public static ObjectNode lease(SimNode n, String nodeUid, Instant renew, int durationSeconds) {
    ObjectNode o = Json.object();
    o.put("apiVersion", "coordination.k8s.io/v1");
    o.put("kind", "Lease");
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", n.name());
    meta.put("namespace", LEASE_NAMESPACE);
    if (nodeUid != null) {
      meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node").put("name", n.name()).put("uid", nodeUid);
    }
    ObjectNode spec = o.putObject("spec");
    spec.put("holderIdentity", n.name());
    spec.put("leaseDurationSeconds", durationSeconds);
    spec.put("renewTime", Timestamps.formatMicroTime(renew));
    return o;
  }
}
