package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.kava.api.quantity.Quantity;
import io.kava.node.cgroups.QosClass;
import io.kava.node.cri.v1.Capability;
import io.kava.node.cri.v1.ContainerConfig;
import io.kava.node.cri.v1.ContainerMetadata;
import io.kava.node.cri.v1.ImageSpec;
import io.kava.node.cri.v1.Int64Value;
import io.kava.node.cri.v1.LinuxContainerConfig;
import io.kava.node.cri.v1.LinuxContainerResources;
import io.kava.node.cri.v1.LinuxContainerSecurityContext;
import java.util.List;

/** A container's CRI configuration, as the kubelet builds it from the pod spec. Pure functions. */
public final class ContainerConfigs {
  private ContainerConfigs() {}

  public static final long CPU_PERIOD = 100_000;
  public static final long MIN_SHARES = 2;
  public static final long MIN_QUOTA = 1000;

  /**
   * @param imageRef the image as pulled (the CRI's image id or reference)
   * @param inputs the container's resolved environment, mounts (with the termination log), command and args
   * @param nodeMemoryBytes node memory capacity, for a Burstable container's oom_score_adj
   */
  public static ContainerConfig build(Pod pod, Container c, boolean init, int attempt, String nodeName, String imageRef,
                                      ContainerInputs.Prepared inputs, long nodeMemoryBytes) {
    var meta = pod.getMetadata();
    ContainerConfig.Builder b = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(c.getName()).setAttempt(attempt))
        .setImage(ImageSpec.newBuilder().setImage(imageRef).setUserSpecifiedImage(c.getImage()))
        .setLogPath(c.getName() + "/" + attempt + ".log")
        .setStdin(Boolean.TRUE.equals(c.getStdin()))
        .setStdinOnce(Boolean.TRUE.equals(c.getStdinOnce()))
        .setTty(Boolean.TRUE.equals(c.getTty()))
        .addAllEnvs(inputs.env())
        .addAllMounts(inputs.mounts())
        .putLabels(CriLabels.POD_NAME, meta.getName())
        .putLabels(CriLabels.POD_NAMESPACE, meta.getNamespace())
        .putLabels(CriLabels.POD_UID, meta.getUid())
        .putLabels(CriLabels.CONTAINER_NAME, c.getName())
        .putLabels(CriLabels.NODE, nodeName)
        .putAnnotations(CriLabels.RESTART_COUNT, Integer.toString(attempt))
        .putAnnotations(CriLabels.CONTAINER_TYPE, init ? "init" : "regular");
    // Empty command: the image's entrypoint; empty command and args: its cmd too (the runtime applies both).
    b.addAllCommand(inputs.command());
    b.addAllArgs(inputs.args());
    if (c.getWorkingDir() != null) b.setWorkingDir(c.getWorkingDir());
    if (c.getTerminationMessagePath() != null) b.putAnnotations(CriLabels.TERMINATION_MESSAGE_PATH, c.getTerminationMessagePath());
    b.setLinux(LinuxContainerConfig.newBuilder()
        .setResources(resources(c.getResources(), QosClass.of(pod), nodeMemoryBytes))
        .setSecurityContext(securityContext(pod, c)));
    return b.build();
  }

  /** cpu request → shares (1 cpu = 1024), cpu limit → CFS quota per 100 ms, memory limit → bytes; oom_score_adj by QoS class. */
  static LinuxContainerResources resources(ResourceRequirements r, QosClass qos, long nodeMemoryBytes) {
    LinuxContainerResources.Builder b = LinuxContainerResources.newBuilder();
    long cpuRequest = milli(r, true, "cpu");
    long cpuLimit = milli(r, false, "cpu");
    if (cpuRequest < 0 && cpuLimit >= 0) cpuRequest = cpuLimit;
    b.setCpuShares(cpuRequest <= 0 ? MIN_SHARES : Math.max(MIN_SHARES, cpuRequest * 1024 / 1000));
    if (cpuLimit > 0) {
      b.setCpuPeriod(CPU_PERIOD);
      b.setCpuQuota(Math.max(MIN_QUOTA, cpuLimit * CPU_PERIOD / 1000));
    }
    long memLimit = value(r, false, "memory");
    if (memLimit > 0) b.setMemoryLimitInBytes(memLimit);
    long memRequest = value(r, true, "memory");
    b.setOomScoreAdj(oomScoreAdj(qos, memRequest < 0 ? memLimit : memRequest, nodeMemoryBytes));
    return b.build();
  }

  /** The kubelet's policy: Guaranteed -997, BestEffort 1000, Burstable 1000 - 1000 * request / capacity within [2, 999]. */
  static long oomScoreAdj(QosClass qos, long memRequest, long nodeMemoryBytes) {
    return switch (qos) {
      case GUARANTEED -> -997;
      case BEST_EFFORT -> 1000;
      case BURSTABLE -> {
        long adj = nodeMemoryBytes <= 0 || memRequest <= 0 ? 999 : 1000 - (1000 * memRequest) / nodeMemoryBytes;
        yield Math.max(2, Math.min(999, adj));
      }
    };
  }

  static long milli(ResourceRequirements r, boolean request, String name) {
    Quantity q = quantity(r, request, name);
    return q == null ? -1 : q.milliValue();
  }

  static long value(ResourceRequirements r, boolean request, String name) {
    Quantity q = quantity(r, request, name);
    return q == null ? -1 : q.value();
  }

  private static Quantity quantity(ResourceRequirements r, boolean request, String name) {
    if (r == null) return null;
    var m = request ? r.getRequests() : r.getLimits();
    if (m == null || m.get(name) == null) return null;
    return Quantity.tryParse(m.get(name).toString()).orElse(null);
  }

  /** The container's security context, with the pod's runAsUser/runAsGroup/supplementalGroups where the container sets none. */
  static LinuxContainerSecurityContext securityContext(Pod pod, Container c) {
    LinuxContainerSecurityContext.Builder b = LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(SandboxConfigs.namespaces(pod));
    PodSecurityContext psc = pod.getSpec().getSecurityContext();
    SecurityContext sc = c.getSecurityContext();
    Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : psc != null ? psc.getRunAsUser() : null;
    Long group = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup() : psc != null ? psc.getRunAsGroup() : null;
    if (user != null) b.setRunAsUser(Int64Value.newBuilder().setValue(user));
    if (group != null) b.setRunAsGroup(Int64Value.newBuilder().setValue(group));
    if (psc != null && psc.getSupplementalGroups() != null) b.addAllSupplementalGroups(psc.getSupplementalGroups());
    if (psc != null && psc.getFsGroup() != null) b.addSupplementalGroups(psc.getFsGroup());
    if (sc != null) {
      b.setPrivileged(Boolean.TRUE.equals(sc.getPrivileged()));
      b.setReadonlyRootfs(Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()));
      if (sc.getAllowPrivilegeEscalation() != null) b.setNoNewPrivs(!sc.getAllowPrivilegeEscalation());
      if (sc.getCapabilities() != null) {
        Capability.Builder cap = Capability.newBuilder();
        if (sc.getCapabilities().getAdd() != null) cap.addAllAddCapabilities(sc.getCapabilities().getAdd());
        if (sc.getCapabilities().getDrop() != null) cap.addAllDropCapabilities(sc.getCapabilities().getDrop());
        b.setCapabilities(cap);
      }
    }
    return b.build();
  }
}
