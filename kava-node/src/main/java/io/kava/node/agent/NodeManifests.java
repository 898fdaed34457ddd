package io.kava.node.agent;

import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import java.time.Instant;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The Node, its status and its Lease, as the kubelet writes them for a real node. Pure functions. */
public final class NodeManifests {
  private NodeManifests() {}

  public static final String LEASE_NAMESPACE = "kube-node-lease";
  public static final int LEASE_DURATION_SECONDS = 40;
  public static final String KUBELET_VERSION = "v1.33.0+kava";
  /** Capacity a node keeps for pods, as the kubelet's default --max-pods. */
  public static final int MAX_PODS = 110;

  /** Identity and addresses of this node. */
  /** What names the node; {@code streamingPort} is where its logs/exec/attach server listens (daemonEndpoints). */
  public record Identity(String name, String internalIp, String hostname, String podCidr, int streamingPort) {}

  public static ObjectNode node(Identity id, HostInfo host) {
    ObjectNode o = Json.object();
    o.put("apiVersion", "v1");
    o.put("kind", "Node");
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", id.name());
    ObjectNode labels = meta.putObject("labels");
    labels.put("beta.kubernetes.io/arch", host.architecture());
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", host.architecture());
    labels.put("kubernetes.io/hostname", id.name());
    labels.put("kubernetes.io/os", "linux");
    meta.putObject("annotations").put("node.alpha.kubernetes.io/ttl", "0");
    ObjectNode spec = o.putObject("spec");
    if (id.podCidr() != null) {
      spec.put("podCIDR", id.podCidr());
      spec.putArray("podCIDRs").add(id.podCidr());
    }
    return o;
  }

  /**
   * The whole node status. {@code since} is when each condition last changed (one instant for all: they are
   * re-evaluated together and the caller keeps the old instant while nothing changes).
   */
  public static ObjectNode status(Identity id, HostInfo host, String runtimeVersion, NodeConditions c, Instant heartbeat, Instant since) {
    ObjectNode s = Json.object();
    ObjectNode cap = s.putObject("capacity");
    cap.put("cpu", Integer.toString(host.cpus()));
    cap.put("memory", (host.memoryBytes() / 1024) + "Ki");
    cap.put("pods", Integer.toString(MAX_PODS));
    cap.put("ephemeral-storage", (host.ephemeralStorageBytes() / 1024) + "Ki");
    cap.put("hugepages-2Mi", "0");
    s.set("allocatable", cap.deepCopy());
    ArrayNode conds = s.putArray("conditions");
    String hb = Timestamps.formatTime(heartbeat);
    String tt = Timestamps.formatTime(since);
    condition(conds, "MemoryPressure", c.memoryPressure(), c.memoryPressure() ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
        c.memoryPressure() ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available", hb, tt);
    condition(conds, "DiskPressure", c.diskPressure(), c.diskPressure() ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
        c.diskPressure() ? "kubelet has disk pressure" : "kubelet has no disk pressure", hb, tt);
    condition(conds, "PIDPressure", c.pidPressure(), c.pidPressure() ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
        c.pidPressure() ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available", hb, tt);
    condition(conds, "Ready", c.ready(), c.ready() ? "KubeletReady" : "KubeletNotReady",
        c.ready() ? "kubelet is posting ready status" : c.runtimeProblem(), hb, tt);
    ArrayNode addr = s.putArray("addresses");
    addr.addObject().put("type", "InternalIP").put("address", id.internalIp());
    addr.addObject().put("type", "Hostname").put("address", id.hostname());
    s.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", id.streamingPort());
    ObjectNode info = s.putObject("nodeInfo");
    info.put("machineID", host.machineId());
    info.put("systemUUID", host.machineId());
    info.put("bootID", host.bootId());
    info.put("kernelVersion", host.kernelVersion());
    info.put("osImage", host.osImage());
    info.put("containerRuntimeVersion", runtimeVersion);
    info.put("kubeletVersion", KUBELET_VERSION);
    info.put("kubeProxyVersion", KUBELET_VERSION);
    info.put("operatingSystem", "linux");
    info.put("architecture", host.architecture());
    return s;
  }

  private static void condition(ArrayNode conds, String type, boolean status, String reason, String message, String hb, String tt) {
    conds.addObject().put("type", type).put("status", status ? "True" : "False").put("lastHeartbeatTime", hb).put("lastTransitionTime", tt)
        .put("reason", reason).put("message", message);
  }

  public static ObjectNode lease(String nodeName, String nodeUid, Instant renew) {
    ObjectNode o = Json.object();
    o.put("apiVersion", "coordination.k8s.io/v1");
    o.put("kind", "Lease");
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", nodeName);
    meta.put("namespace", LEASE_NAMESPACE);
    if (nodeUid != null) {
      meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node").put("name", nodeName).put("uid", nodeUid);
    }
    ObjectNode spec = o.putObject("spec");
    spec.put("holderIdentity", nodeName);
    spec.put("leaseDurationSeconds", LEASE_DURATION_SECONDS);
    spec.put("renewTime", Timestamps.formatMicroTime(renew));
    return o;
  }
}
