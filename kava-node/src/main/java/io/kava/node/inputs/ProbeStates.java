package io.kava.node.inputs;

import io.kava.node.agent.PodStatusBuilder;
import io.kava.node.probe.ProbeKind;
import io.kava.node.probe.ProbeManager;
import io.kava.node.probe.ProbeResult;

/**
 * The node agent's {@link PodStatusBuilder.Probes} from a {@link ProbeManager}: a container is started when it
 * has no startup probe or it succeeded, and ready when started and its readiness probe (if any) succeeds. The
 * pod worker must {@link ProbeManager#addContainer add} a running container before asking, else it reads as
 * having no probes.
 */
public final class ProbeStates implements PodStatusBuilder.Probes {
  private final ProbeManager probes;

  public ProbeStates(ProbeManager probes) {
    this.probes = probes;
  }

  @Override
  public boolean started(String podUid, String containerName, String containerId) {
    return probes.result(containerId, ProbeKind.STARTUP).map(r -> r == ProbeResult.SUCCESS).orElse(true);
  }

  @Override
  public boolean ready(String podUid, String containerName, String containerId) {
    return started(podUid, containerName, containerId)
        && probes.result(containerId, ProbeKind.READINESS).map(r -> r == ProbeResult.SUCCESS).orElse(true);
  }
}
