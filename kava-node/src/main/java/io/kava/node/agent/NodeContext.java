package io.kava.node.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.client.RawApi;
import io.kava.node.cgroups.PodCgroups;
import io.kava.node.cri.CriClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** What every pod worker of one node shares. */
record NodeContext(String nodeName, String hostIp, CriClient cri, KubernetesClient client, RawApi rest, Path podLogsRoot, Path podStateRoot,
                   PodCgroups cgroups, SandboxConfigs.Dns dns, long nodeMemoryBytes, ImageManager images, LifecycleHooks hooks,
                   Backoff crashBackoff, ContainerInputs inputs, ProbeTracker probes, PodEvents events, Clock clock) {

  /** The CRI label selector for one pod's sandboxes and containers on this node. */
  Map<String, String> selector(String podUid) { return Map.of(CriLabels.POD_UID, podUid, CriLabels.NODE, nodeName); }
}
