package io.kava.node.agent;

import io.kava.node.cri.CriClient;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.Container;
import io.kava.node.cri.v1.ContainerFilter;
import io.kava.node.cri.v1.ContainerState;
import io.kava.node.cri.v1.ContainerStatus;
import io.kava.node.cri.v1.PodSandbox;
import io.kava.node.cri.v1.PodSandboxState;
import io.kava.node.cri.v1.PodSandboxStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runtime has for one pod: its sandboxes (newest first) and, per container name, its container instances
 * (newest attempt first). Read from the CRI at every sync, so the runtime stays the only record of what runs.
 */
public record ObservedPod(List<Sandbox> sandboxes, Map<String, List<Instance>> containers) {
  public record Sandbox(String id, boolean ready, String ip, int attempt, long createdAt) {}

  /** One container instance; times in nanoseconds since the epoch (0 = not yet). */
  public record Instance(String id, String name, int attempt, ContainerState state, long createdAt, long startedAt, long finishedAt,
                         int exitCode, String reason, String message, String image, String imageRef, String sandboxId, String logPath) {
    public boolean running() { return state == ContainerState.CONTAINER_RUNNING; }

    public boolean exited() { return state == ContainerState.CONTAINER_EXITED; }
  }

  public static final ObservedPod EMPTY = new ObservedPod(List.of(), Map.of());

  /** The newest ready sandbox, or null. */
  public Sandbox readySandbox() {
    for (Sandbox s : sandboxes) if (s.ready()) return s;
    return null;
  }

  public Instance latest(String name) {
    List<Instance> l = containers.get(name);
    return l == null || l.isEmpty() ? null : l.get(0);
  }

  public Instance previous(String name) {
    List<Instance> l = containers.get(name);
    return l == null || l.size() < 2 ? null : l.get(1);
  }

  public boolean anyRunning() {
    for (List<Instance> l : containers.values()) for (Instance i : l) if (i.running() || i.state() == ContainerState.CONTAINER_CREATED) return true;
    return false;
  }

  static ObservedPod read(CriClient cri, Map<String, String> selector) {
    List<Sandbox> sandboxes = new ArrayList<>();
    for (PodSandbox s : cri.listPodSandbox(selector)) {
      String ip = "";
      if (s.getState() == PodSandboxState.SANDBOX_READY) {
        try {
          PodSandboxStatus st = cri.podSandboxStatus(s.getId());
          ip = st.hasNetwork() ? st.getNetwork().getIp() : "";
        } catch (CriException e) {
          if (!e.isNotFound()) throw e;
          continue;
        }
      }
      sandboxes.add(new Sandbox(s.getId(), s.getState() == PodSandboxState.SANDBOX_READY, ip, s.getMetadata().getAttempt(), s.getCreatedAt()));
    }
    sandboxes.sort(Comparator.comparingLong(Sandbox::createdAt).reversed());
    Map<String, List<Instance>> byName = new HashMap<>();
    for (Container c : cri.listContainers(ContainerFilter.newBuilder().putAllLabelSelector(selector).build())) {
      ContainerStatus st;
      try {
        st = cri.containerStatus(c.getId());
      } catch (CriException e) {
        if (e.isNotFound()) continue;
        throw e;
      }
      Instance i = new Instance(c.getId(), c.getMetadata().getName(), (int) c.getMetadata().getAttempt(), st.getState(), st.getCreatedAt(),
          st.getStartedAt(), st.getFinishedAt(), st.getExitCode(), st.getReason(), st.getMessage(), st.getImage().getImage(), st.getImageRef(),
          c.getPodSandboxId(), st.getLogPath());
      byName.computeIfAbsent(i.name(), k -> new ArrayList<>()).add(i);
    }
    for (List<Instance> l : byName.values()) {
      l.sort(Comparator.comparingInt(Instance::attempt).thenComparingLong(Instance::createdAt).reversed());
    }
    return new ObservedPod(sandboxes, byName);
  }
}
