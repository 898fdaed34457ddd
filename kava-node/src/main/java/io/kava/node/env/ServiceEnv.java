package io.kava.node.env;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Docker-link style variables the kubelet injects for Services (upstream's {@code envvars.FromServices}):
 * {@code NAME_SERVICE_HOST}, {@code NAME_SERVICE_PORT}, {@code NAME_SERVICE_PORT_<PORTNAME>}, {@code NAME_PORT}
 * and {@code NAME_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]}. Services without a cluster IP (headless,
 * ExternalName) give none.
 */
public final class ServiceEnv {
  private ServiceEnv() {}

  /**
   * The variables for a pod: the {@code kubernetes} service of {@code default} always, and every service of
   * the pod's namespace when service links are enabled (a same-named service of the pod's namespace wins).
   */
  public static List<EnvVar> forPod(String namespace, boolean enableServiceLinks, EnvSources sources) {
    Map<String, Service> byName = new TreeMap<>();
    if (enableServiceLinks) {
      for (Service s : sources.services(namespace)) byName.put(s.getMetadata().getName(), s);
    }
    for (Service s : sources.services("default")) {
      if (s.getMetadata().getName().equals("kubernetes")) byName.putIfAbsent("kubernetes", s);
    }
    List<EnvVar> out = new ArrayList<>();
    for (Service s : byName.values()) out.addAll(fromService(s));
    return out;
  }

  /** The variables of one service (none without a cluster IP). */
  public static List<EnvVar> fromService(Service service) {
    List<EnvVar> out = new ArrayList<>();
    String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
    List<ServicePort> ports = service.getSpec() == null ? null : service.getSpec().getPorts();
    if (ip == null || ip.isEmpty() || ip.equals("None") || ports == null || ports.isEmpty()) return out;
    String prefix = envName(service.getMetadata().getName());
    out.add(new EnvVar(prefix + "_SERVICE_HOST", ip));
    out.add(new EnvVar(prefix + "_SERVICE_PORT", Integer.toString(ports.getFirst().getPort())));
    for (ServicePort p : ports) {
      if (p.getName() != null && !p.getName().isEmpty()) {
        out.add(new EnvVar(prefix + "_SERVICE_PORT_" + envName(p.getName()), Integer.toString(p.getPort())));
      }
    }
    String hostPort0 = null;
    for (int i = 0; i < ports.size(); i++) {
      ServicePort p = ports.get(i);
      String protocol = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
      String proto = protocol.toLowerCase(Locale.ROOT);
      String hostPort = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + p.getPort();
      if (i == 0) {
        hostPort0 = hostPort;
        out.add(new EnvVar(prefix + "_PORT", proto + "://" + hostPort0));
      }
      String portPrefix = prefix + "_PORT_" + p.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
      out.add(new EnvVar(portPrefix, proto + "://" + hostPort));
      out.add(new EnvVar(portPrefix + "_PROTO", proto));
      out.add(new EnvVar(portPrefix + "_PORT", Integer.toString(p.getPort())));
      out.add(new EnvVar(portPrefix + "_ADDR", ip));
    }
    return out;
  }

  static String envName(String s) {
    return s.replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
