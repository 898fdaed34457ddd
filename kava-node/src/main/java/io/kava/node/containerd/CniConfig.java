package io.kava.node.containerd;

import io.kava.api.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod network as a CNI conflist for containerd: a bridge with host-local IPAM over the node's pod CIDR (the
 * bridge is the gateway; traffic leaving the CIDR is masqueraded by one rule per node, see
 * {@link HostResources#ensureMasquerade}) and portmap for hostPorts. The pod's {@code lo}
 * comes from the loopback plugin, which containerd runs itself from the same bin dir (it does not belong in a chain
 * with the bridge: it would act on eth0). Bridge name and IPAM data dir are per
 * instance, so two kava nodes on one machine do not share them.
 */
public final class CniConfig {
  private CniConfig() {}

  public static final String CNI_VERSION = "0.4.0";

  public static ObjectNode conflist(ContainerdLayout l, String podCidr) {
    ObjectNode list = Json.object();
    list.put("cniVersion", CNI_VERSION);
    list.put("name", l.networkName());
    ArrayNode plugins = list.putArray("plugins");
    ObjectNode bridge = plugins.addObject();
    bridge.put("type", "bridge");
    bridge.put("bridge", l.bridgeName());
    bridge.put("isGateway", true);
    bridge.put("ipMasq", false); // one rule for the node instead: HostResources.ensureMasquerade
    bridge.put("hairpinMode", true);
    ObjectNode ipam = bridge.putObject("ipam");
    ipam.put("type", "host-local");
    ipam.put("dataDir", l.cniIpamDir().toString());
    ipam.putArray("ranges").addArray().addObject().put("subnet", podCidr);
    ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
    ObjectNode portmap = plugins.addObject();
    portmap.put("type", "portmap");
    portmap.putObject("capabilities").put("portMappings", true);
    portmap.put("snat", true);
    return list;
  }

  public static String fileName(ContainerdLayout l) { return "10-" + l.networkName() + ".conflist"; }
}
