package io.kava.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kava.controllers.workload.Pods;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a pod and a Service meet in Endpoints and EndpointSlices (upstream's endpointslice util and podutil.FindPort),
 * shared by the Endpoints and EndpointSlice controllers.
 */
public final class EndpointPods {
  public static final String IPV4 = "IPv4";
  public static final String IPV6 = "IPv6";
  public static final String CLUSTER_IP_NONE = "None";
  /** Label on Endpoints and EndpointSlices of headless Services (value ""). */
  public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
  /** Annotation with the time of the pod or Service change that caused the last write. */
  public static final String LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

  private EndpointPods() {}

  /**
   * Whether the pod belongs in a Service's endpoints at all (upstream's ShouldPodBeInEndpoints): not terminal, has an
   * IP, and, unless {@code includeTerminating}, is not being deleted.
   */
  public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
    String phase = Pods.phase(pod);
    if (Pods.PHASE_SUCCEEDED.equals(phase) || Pods.PHASE_FAILED.equals(phase)) return false;
    if (ips(pod).isEmpty()) return false;
    return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
  }

  /** status.podIPs, or status.podIP alone when a writer set only that (the API server usually fills both). */
  public static List<String> ips(Pod pod) {
    if (pod.getStatus() == null) return List.of();
    List<String> out = new ArrayList<>();
    if (pod.getStatus().getPodIPs() != null) {
      for (PodIP ip : pod.getStatus().getPodIPs()) {
        if (ip != null && ip.getIp() != null && !ip.getIp().isEmpty()) out.add(ip.getIp());
      }
    }
    String single = pod.getStatus().getPodIP();
    if (out.isEmpty() && single != null && !single.isEmpty()) out.add(single);
    return out;
  }

  public static boolean isIpv6(String ip) { return ip.indexOf(':') >= 0; }

  public static String family(String ip) { return isIpv6(ip) ? IPV6 : IPV4; }

  /** The pod's IP of {@code family}, or null. */
  public static String ipOfFamily(Pod pod, String family) {
    for (String ip : ips(pod)) {
      if (family(ip).equals(family)) return ip;
    }
    return null;
  }

  /**
   * The address family of a Service's Endpoints (upstream's podToEndpointAddressForService): the first of
   * spec.ipFamilies; without them, the family of the cluster IP, or for a headless Service that of the pod's IP.
   */
  public static String endpointsFamily(Service svc, Pod pod) {
    List<String> families = svc.getSpec().getIpFamilies();
    if (families != null && !families.isEmpty()) return families.getFirst();
    String clusterIp = svc.getSpec().getClusterIP();
    if (clusterIp != null && !clusterIp.isEmpty() && !clusterIp.equals(CLUSTER_IP_NONE)) return family(clusterIp);
    String podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    return podIp != null && isIpv6(podIp) ? IPV6 : IPV4;
  }

  /** The address types of a Service's EndpointSlices: its ipFamilies, IPv4 when it names none. */
  public static List<String> sliceFamilies(Service svc) {
    List<String> families = svc.getSpec().getIpFamilies();
    if (families == null || families.isEmpty()) {
      String clusterIp = svc.getSpec().getClusterIP();
      if (clusterIp != null && !clusterIp.isEmpty() && !clusterIp.equals(CLUSTER_IP_NONE)) return List.of(family(clusterIp));
      return List.of(IPV4);
    }
    return List.copyOf(families);
  }

  /** A cluster IP is set (not "" and not "None"); Services without one are headless. */
  public static boolean isServiceIpSet(Service svc) {
    String ip = svc.getSpec().getClusterIP();
    return ip != null && !ip.isEmpty() && !ip.equals(CLUSTER_IP_NONE);
  }

  /** The pod's hostname goes into the endpoints when its subdomain names this Service (in the same namespace). */
  public static boolean shouldSetHostname(Pod pod, Service svc) {
    String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
    return hostname != null && !hostname.isEmpty()
        && Objects.equals(pod.getSpec().getSubdomain(), svc.getMetadata().getName())
        && Objects.equals(pod.getMetadata().getNamespace(), svc.getMetadata().getNamespace());
  }

  /** The selector of a Service, or null when it has none (fabric8 reads an absent map as empty: same meaning here). */
  public static Map<String, String> selector(Service svc) {
    Map<String, String> s = svc.getSpec() == null ? null : svc.getSpec().getSelector();
    return s == null || s.isEmpty() ? null : s;
  }

  /** The selector matches the labels: every pair of the selector is among them. */
  public static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null) return false;
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) return false;
    }
    return true;
  }

  public static String protocol(ServicePort p) { return p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol(); }

  /**
   * The pod port a Service port sends to (upstream's FindPort): a number as given; a name looked up among the ports
   * of the pod's containers (and of its sidecars, init containers with restartPolicy Always) with the same protocol.
   * Empty when a named port is not there.
   */
  public static OptionalInt findPort(Pod pod, ServicePort sp) {
    IntOrString target = sp.getTargetPort();
    if (target == null || (target.getIntVal() == null && (target.getStrVal() == null || target.getStrVal().isEmpty()))) {
      return sp.getPort() == null ? OptionalInt.empty() : OptionalInt.of(sp.getPort()); // defaulting makes it the port
    }
    if (target.getIntVal() != null) return OptionalInt.of(target.getIntVal());
    String name = target.getStrVal();
    String protocol = protocol(sp);
    if (pod.getSpec() == null) return OptionalInt.empty();
    OptionalInt found = findNamed(pod.getSpec().getContainers(), name, protocol, false);
    if (found.isPresent()) return found;
    return findNamed(pod.getSpec().getInitContainers(), name, protocol, true);
  }

  private static OptionalInt findNamed(List<Container> containers, String name, String protocol, boolean sidecarsOnly) {
    if (containers == null) return OptionalInt.empty();
    for (Container c : containers) {
      if (sidecarsOnly && !"Always".equals(c.getRestartPolicy())) continue;
      if (c.getPorts() == null) continue;
      for (ContainerPort p : c.getPorts()) {
        String pp = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
        if (name.equals(p.getName()) && protocol.equals(pp) && p.getContainerPort() != null) return OptionalInt.of(p.getContainerPort());
      }
    }
    return OptionalInt.empty();
  }
}
