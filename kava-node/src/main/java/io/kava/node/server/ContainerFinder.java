package io.kava.node.server;

import io.kava.node.cri.CriClient;
import io.kava.node.cri.v1.Container;
import io.kava.node.cri.v1.ContainerFilter;
import io.kava.node.cri.v1.ContainerState;
import io.kava.node.cri.v1.PodSandbox;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds a pod's containers through CRI alone, by the metadata every CRI runtime keeps for sandboxes (namespace, name)
 * and containers (name, attempt), so the streaming server needs nothing from the pod workers' internals.
 */
public final class ContainerFinder {
  /** One instance (attempt) of a container. */
  public record Instance(String id, String name, int attempt, long createdAt, ContainerState state) {
    public boolean running() { return state == ContainerState.CONTAINER_RUNNING; }
  }

  private final CriClient cri;

  public ContainerFinder(CriClient cri) { this.cri = cri; }

  /** Every instance of the container in every sandbox of the pod, newest first. */
  public List<Instance> instances(String namespace, String pod, String container) {
    List<Instance> out = new ArrayList<>();
    for (PodSandbox s : cri.listPodSandbox(Map.of())) {
      if (!s.getMetadata().getNamespace().equals(namespace) || !s.getMetadata().getName().equals(pod)) continue;
      for (Container c : cri.listContainers(ContainerFilter.newBuilder().setPodSandboxId(s.getId()).build())) {
        if (!c.getMetadata().getName().equals(container)) continue;
        out.add(new Instance(c.getId(), container, c.getMetadata().getAttempt(), c.getCreatedAt(), c.getState()));
      }
    }
    out.sort(Comparator.comparingLong(Instance::createdAt).thenComparingInt(Instance::attempt).reversed());
    return out;
  }

  /** The newest running instance, or null. */
  public Instance running(String namespace, String pod, String container) {
    for (Instance i : instances(namespace, pod, container)) if (i.running()) return i;
    return null;
  }

  /** The id of the pod's newest ready sandbox (where its network namespace is), or null. */
  public String readySandbox(String namespace, String pod) {
    PodSandbox newest = null;
    for (PodSandbox s : cri.listPodSandbox(Map.of())) {
      if (!s.getMetadata().getNamespace().equals(namespace) || !s.getMetadata().getName().equals(pod)) continue;
      if (s.getState() != io.kava.node.cri.v1.PodSandboxState.SANDBOX_READY) continue;
      if (newest == null || s.getCreatedAt() > newest.getCreatedAt()) newest = s;
    }
    return newest == null ? null : newest.getId();
  }

  /** The CRI log file of a container instance (containerd reports the absolute path). */
  public String logPath(String containerId) { return cri.containerStatus(containerId).getLogPath(); }

  public boolean isRunning(String containerId) {
    return cri.containerStatus(containerId).getState() == ContainerState.CONTAINER_RUNNING;
  }
}
