package io.kava.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kava.scheduler.framework.PodInfo;
import org.junit.jupiter.api.Test;

class PodTrimTest {
  static Pod runningPod() {
    return new PodBuilder()
        .withNewMetadata().withName("p").withNamespace("ns").withUid("u").addToLabels("app", "web")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Update").build()).endMetadata()
        .withNewSpec().withNodeName("n1").withSchedulerName("default-scheduler").withPriority(5)
        .addNewContainer().withName("c").withImage("nginx").withNewResources().addToRequests("cpu", new Quantity("100m")).endResources()
        .addNewPort().withContainerPort(80).withHostPort(8080).endPort().endContainer()
        .addNewToleration().withKey("k").withOperator("Exists").endToleration().endSpec()
        .withNewStatus().withPhase("Running").withNominatedNodeName("n2").withStartTime("2025-01-02T03:04:05Z")
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .addNewContainerStatus().withName("c").withImage("nginx").withReady(true).withRestartCount(0).endContainerStatus()
        .endStatus().build();
  }

  @Test
  void keepsWhatTheSchedulerReadsAndDropsContainerStatusesAndManagedFields() {
    Pod full = runningPod();
    Pod slim = runningPod();
    EventHandlers.trim(slim);
    assertThat(slim.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(slim.getStatus().getContainerStatuses()).isNullOrEmpty();
    assertThat(slim.getSpec()).isEqualTo(full.getSpec());
    assertThat(slim.getMetadata().getLabels()).isEqualTo(full.getMetadata().getLabels());
    assertThat(slim.getStatus().getPhase()).isEqualTo("Running");
    assertThat(slim.getStatus().getNominatedNodeName()).isEqualTo("n2");
    assertThat(slim.getStatus().getConditions()).isEqualTo(full.getStatus().getConditions());
    assertThat(slim.getStatus().getStartTime()).isEqualTo(full.getStatus().getStartTime());
    assertThat(EventHandlers.assigned(slim)).isTrue();
    assertThat(EventHandlers.terminal(slim)).isFalse();
    PodInfo a = PodInfo.of(full, 5);
    PodInfo b = PodInfo.of(slim, 5);
    assertThat(b.requests().milliCpu).isEqualTo(a.requests().milliCpu).isEqualTo(100);
    assertThat(b.nominatedNodeName()).isEqualTo(a.nominatedNodeName());
  }
}
