package io.kava.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kava.controllers.endpoints.EndpointPods;
import io.kava.controllers.endpointslice.SliceModel.Ep;
import io.kava.controllers.endpointslice.SliceModel.Group;
import io.kava.controllers.endpointslice.SliceModel.SlicePort;
import io.kava.controllers.endpointslice.SliceModel.TargetRef;
import io.kava.controllers.workload.Pods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The endpoints a selector Service's EndpointSlices should hold (upstream's podToEndpoint and getEndpointPorts):
 * every selected pod with an IP of the address type, terminating pods included, grouped by the set of ports the
 * pod resolves (a named targetPort may resolve differently per pod, or not at all).
 */
final class DesiredSlices {
  /** The label with a topology zone on Nodes, copied to endpoints of pods on them. */
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  private DesiredSlices() {}

  /** For one address type: group (ports) to endpoints keyed by {@link Ep#key()}, in pod order. */
  static Map<Group, Map<String, Ep>> compute(Service svc, List<Pod> pods, String addressType, Function<String, Node> nodes) {
    Map<Group, Map<String, Ep>> out = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (!EndpointPods.shouldBeInEndpoints(pod, true)) continue;
      String ip = EndpointPods.ipOfFamily(pod, addressType);
      if (ip == null) continue;
      Ep ep = endpoint(svc, pod, ip, nodes);
      Group g = new Group(addressType, ports(svc, pod));
      out.computeIfAbsent(g, k -> new LinkedHashMap<>()).put(ep.key(), ep);
    }
    return out;
  }

  static Ep endpoint(Service svc, Pod pod, String ip, Function<String, Node> nodes) {
    boolean serving = Pods.isReady(pod);
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    // Ready is never true for a terminating pod, unless the Service publishes not-ready addresses (upstream's rule).
    boolean ready = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses()) || (serving && !terminating);
    String nodeName = pod.getSpec() == null ? null : SliceModel.emptyToNull(pod.getSpec().getNodeName());
    String zone = null;
    if (nodeName != null) {
      Node node = nodes.apply(nodeName);
      if (node != null && node.getMetadata().getLabels() != null) zone = SliceModel.emptyToNull(node.getMetadata().getLabels().get(ZONE_LABEL));
    }
    String hostname = EndpointPods.shouldSetHostname(pod, svc) ? pod.getSpec().getHostname() : null;
    return new Ep(List.of(ip), ready, serving, terminating, hostname, nodeName, zone,
        new TargetRef("Pod", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid()));
  }

  /** The Service ports this pod serves; a port whose named targetPort the pod lacks is left out. */
  static List<SlicePort> ports(Service svc, Pod pod) {
    List<SlicePort> out = new ArrayList<>();
    if (svc.getSpec().getPorts() == null) return out;
    for (ServicePort sp : svc.getSpec().getPorts()) {
      OptionalInt target = EndpointPods.findPort(pod, sp);
      if (target.isEmpty()) continue;
      out.add(new SlicePort(SliceModel.emptyToNull(sp.getName()), target.getAsInt(), EndpointPods.protocol(sp),
          SliceModel.emptyToNull(sp.getAppProtocol())));
    }
    return out;
  }
}
