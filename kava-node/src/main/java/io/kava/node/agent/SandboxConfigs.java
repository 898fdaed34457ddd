package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.kava.node.cri.v1.DNSConfig;
import io.kava.node.cri.v1.Int64Value;
import io.kava.node.cri.v1.LinuxPodSandboxConfig;
import io.kava.node.cri.v1.LinuxSandboxSecurityContext;
import io.kava.node.cri.v1.NamespaceMode;
import io.kava.node.cri.v1.NamespaceOption;
import io.kava.node.cri.v1.PodSandboxConfig;
import io.kava.node.cri.v1.PodSandboxMetadata;
import io.kava.node.cri.v1.PortMapping;
import io.kava.node.cri.v1.Protocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A pod's CRI sandbox configuration, as the kubelet builds it. Pure functions. */
public final class SandboxConfigs {
  private SandboxConfigs() {}

  /** Cluster DNS settings handed to every ClusterFirst pod. */
  public record Dns(String server, String clusterDomain, List<String> hostServers, List<String> hostSearches) {
    public static Dns defaults() { return new Dns("10.96.0.10", "cluster.local", List.of(), List.of()); }
  }

  /** Pod log directory, kubelet's layout: {@code NAMESPACE_NAME_UID}. */
  public static Path logDirectory(Path podLogsRoot, Pod pod) {
    return podLogsRoot.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid());
  }

  public static PodSandboxConfig build(Pod pod, int attempt, String nodeName, Path logDirectory, String cgroupParent, Dns dns) {
    var meta = pod.getMetadata();
    var spec = pod.getSpec();
    PodSandboxConfig.Builder b = PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(meta.getName()).setNamespace(meta.getNamespace()).setUid(meta.getUid()).setAttempt(attempt))
        .setHostname(hostname(pod))
        .setLogDirectory(logDirectory.toString())
        .setDnsConfig(dnsConfig(pod, dns))
        .addAllPortMappings(portMappings(pod))
        .putLabels(CriLabels.POD_NAME, meta.getName())
        .putLabels(CriLabels.POD_NAMESPACE, meta.getNamespace())
        .putLabels(CriLabels.POD_UID, meta.getUid())
        .putLabels(CriLabels.NODE, nodeName);
    if (meta.getLabels() != null) meta.getLabels().forEach((k, v) -> { if (!b.containsLabels(k)) b.putLabels(k, v); });
    if (meta.getAnnotations() != null) b.putAllAnnotations(meta.getAnnotations());
    LinuxSandboxSecurityContext.Builder sc = LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces(pod));
    // The runtime refuses a privileged container in a sandbox that is not privileged itself (the kubelet's determinePodSandboxPrivileged).
    if (anyPrivileged(pod)) sc.setPrivileged(true);
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null) {
      if (psc.getRunAsUser() != null) sc.setRunAsUser(Int64Value.newBuilder().setValue(psc.getRunAsUser()));
      if (psc.getRunAsGroup() != null) sc.setRunAsGroup(Int64Value.newBuilder().setValue(psc.getRunAsGroup()));
      if (psc.getSupplementalGroups() != null) sc.addAllSupplementalGroups(psc.getSupplementalGroups());
    }
    LinuxPodSandboxConfig.Builder linux = LinuxPodSandboxConfig.newBuilder().setCgroupParent(cgroupParent).setSecurityContext(sc);
    if (psc != null && psc.getSysctls() != null) for (Sysctl s : psc.getSysctls()) linux.putSysctls(s.getName(), s.getValue());
    return b.setLinux(linux).build();
  }

  /** Whether any container of the pod (init and ephemeral ones too) is privileged. */
  static boolean anyPrivileged(Pod pod) {
    var spec = pod.getSpec();
    List<io.fabric8.kubernetes.api.model.SecurityContext> contexts = new ArrayList<>();
    for (Container c : spec.getContainers()) contexts.add(c.getSecurityContext());
    if (spec.getInitContainers() != null) for (Container c : spec.getInitContainers()) contexts.add(c.getSecurityContext());
    if (spec.getEphemeralContainers() != null) for (var c : spec.getEphemeralContainers()) contexts.add(c.getSecurityContext());
    for (var sc : contexts) if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) return true;
    return false;
  }

  /** spec.hostname or the pod name, cut to a DNS label (63 characters, no trailing dot or dash). */
  static String hostname(Pod pod) {
    String h = pod.getSpec().getHostname() != null && !pod.getSpec().getHostname().isEmpty() ? pod.getSpec().getHostname() : pod.getMetadata().getName();
    if (h.length() > 63) h = h.substring(0, 63).replaceAll("[-.]+$", "");
    return h;
  }

  static NamespaceOption namespaces(Pod pod) {
    var spec = pod.getSpec();
    return NamespaceOption.newBuilder()
        .setNetwork(Boolean.TRUE.equals(spec.getHostNetwork()) ? NamespaceMode.NODE : NamespaceMode.POD)
        .setPid(Boolean.TRUE.equals(spec.getHostPID()) ? NamespaceMode.NODE : Boolean.TRUE.equals(spec.getShareProcessNamespace()) ? NamespaceMode.POD
            : NamespaceMode.CONTAINER)
        .setIpc(Boolean.TRUE.equals(spec.getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD)
        .build();
  }

  /** dnsPolicy and dnsConfig as upstream resolves them (ClusterFirstWithHostNet, Default, None; host network falls back to Default). */
  static DNSConfig dnsConfig(Pod pod, Dns dns) {
    String policy = pod.getSpec().getDnsPolicy() == null || pod.getSpec().getDnsPolicy().isEmpty() ? "ClusterFirst" : pod.getSpec().getDnsPolicy();
    boolean hostNet = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    if (policy.equals("ClusterFirst") && hostNet) policy = "Default";
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    switch (policy) {
      case "ClusterFirst", "ClusterFirstWithHostNet" -> {
        servers.add(dns.server());
        String ns = pod.getMetadata().getNamespace();
        searches.addAll(List.of(ns + ".svc." + dns.clusterDomain(), "svc." + dns.clusterDomain(), dns.clusterDomain()));
        options.add("ndots:5");
      }
      case "Default" -> {
        servers.addAll(dns.hostServers());
        searches.addAll(dns.hostSearches());
      }
      default -> { } // None: only dnsConfig
    }
    PodDNSConfig extra = pod.getSpec().getDnsConfig();
    if (extra != null) {
      if (extra.getNameservers() != null) for (String s : extra.getNameservers()) if (!servers.contains(s)) servers.add(s);
      if (extra.getSearches() != null) for (String s : extra.getSearches()) if (!searches.contains(s)) searches.add(s);
      if (extra.getOptions() != null) {
        for (PodDNSConfigOption o : extra.getOptions()) {
          String opt = o.getValue() == null ? o.getName() : o.getName() + ":" + o.getValue();
          options.removeIf(x -> x.equals(o.getName()) || x.startsWith(o.getName() + ":"));
          options.add(opt);
        }
      }
    }
    return DNSConfig.newBuilder().addAllServers(servers).addAllSearches(searches).addAllOptions(options).build();
  }

  static List<PortMapping> portMappings(Pod pod) {
    List<PortMapping> out = new ArrayList<>();
    List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) all.addAll(pod.getSpec().getInitContainers());
    for (Container c : all) {
      if (c.getPorts() == null) continue;
      for (ContainerPort p : c.getPorts()) {
        if (p.getHostPort() == null || p.getHostPort() <= 0) continue;
        out.add(PortMapping.newBuilder().setContainerPort(p.getContainerPort()).setHostPort(p.getHostPort())
            .setHostIp(p.getHostIP() == null ? "" : p.getHostIP()).setProtocol(protocol(p.getProtocol())).build());
      }
    }
    return out;
  }

  static Protocol protocol(String p) {
    if (p == null) return Protocol.TCP;
    return switch (p) {
      case "UDP" -> Protocol.UDP;
      case "SCTP" -> Protocol.SCTP;
      default -> Protocol.TCP;
    };
  }
}
