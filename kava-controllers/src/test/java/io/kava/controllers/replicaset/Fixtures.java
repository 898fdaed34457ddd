package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.kava.api.time.Timestamps;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Pods for tests. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private Fixtures() {}

  static PodBuilder pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(UUID.nameUUIDFromBytes(name.getBytes()).toString())
        .withLabels(Map.of("app", "web")).withCreationTimestamp(Timestamps.formatTime(NOW.minusSeconds(3600))).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().withPhase("Pending").endStatus();
  }

  static Pod running(String name, Instant readySince) {
    return pod(name).editSpec().withNodeName("n1").endSpec()
        .editStatus().withPhase("Running")
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").withLastTransitionTime(Timestamps.formatTime(readySince)).build())
        .endStatus().build();
  }

  static Pod withRestarts(Pod p, int restarts) {
    return new PodBuilder(p).editStatus().withContainerStatuses(new ContainerStatusBuilder().withName("c").withRestartCount(restarts).build()).endStatus().build();
  }
}
