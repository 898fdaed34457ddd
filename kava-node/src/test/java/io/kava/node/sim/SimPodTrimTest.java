package io.kava.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimPodTrimTest {
  final Instant t0 = Instant.parse("2025-01-02T03:04:05Z");

  /** A pod with much a simulated kubelet never reads, and everything it does. */
  static Pod richPod(String restartPolicy, Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata().withName("p").withNamespace("default").withUid("u1").addToLabels("app", "web").withAnnotations(annotations)
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Update").build())
        .addNewOwnerReference().withName("rs").withKind("ReplicaSet").withApiVersion("apps/v1").withUid("o1").endOwnerReference()
        .endMetadata()
        .withNewSpec().withNodeName("kava-sim-0").withRestartPolicy(restartPolicy)
        .addNewReadinessGate().withConditionType("example.com/ready").endReadinessGate()
        .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists").withEffect("NoExecute").endToleration()
        .addToInitContainers(new ContainerBuilder().withName("init").withImage("busybox").withCommand("true").build())
        .addToInitContainers(new ContainerBuilder().withName("side").withImage("envoy").withRestartPolicy("Always").build())
        .addToContainers(new ContainerBuilder().withName("c").withImage("nginx").withCommand("sh", "-c").withArgs("sleep 2; exit 3")
            .addNewEnv().withName("A").withValue("1").endEnv()
            .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
            .withNewResources().addToRequests("cpu", new Quantity("10m")).endResources().build())
        .endSpec()
        .withNewStatus().withPhase("Running").withQosClass("Burstable").withPodIP("10.0.0.5").withStartTime("2025-01-02T03:04:00Z")
        .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("True").withLastTransitionTime("2025-01-02T03:04:00Z").build(),
            new PodConditionBuilder().withType("example.com/ready").withStatus("True").build())
        .endStatus().build();
  }

  static Pod trimmed(Pod p) {
    Pod copy = Serialization.clone(p);
    SimPodTrim.trim(copy);
    return copy;
  }

  @Test
  void theTrimmedPodGivesTheSameStatusesAndPlan() {
    for (Pod full : new Pod[] {richPod("Never", Map.of()), richPod("Always", Map.of()),
        richPod("OnFailure", Map.of(ContainerScript.EXIT_CODE_ANNOTATION, "4", ContainerScript.DURATION_ANNOTATION, "3s"))}) {
      Pod slim = trimmed(full);
      assertThat(ContainerScript.plan(slim)).isEqualTo(ContainerScript.plan(full));
      assertThat(PodStatuses.running(slim, "172.16.0.1", "10.0.0.5", t0, t0)).isEqualTo(PodStatuses.running(full, "172.16.0.1", "10.0.0.5", t0, t0));
      Map<String, ContainerScript.Exit> exits = Map.of("c", new ContainerScript.Exit(3, 2000));
      assertThat(PodStatuses.finished(slim, "172.16.0.1", "10.0.0.5", t0, exits, t0))
          .isEqualTo(PodStatuses.finished(full, "172.16.0.1", "10.0.0.5", t0, exits, t0));
      assertThat(PodStatuses.killed(slim, "172.16.0.1", "10.0.0.5", t0, t0)).isEqualTo(PodStatuses.killed(full, "172.16.0.1", "10.0.0.5", t0, t0));
      assertThat(PodDriver.key(slim)).isEqualTo(PodDriver.key(full));
      assertThat(PodDriver.nodeName(slim)).isEqualTo("kava-sim-0");
    }
  }

  @Test
  void dropsWhatASimulatedKubeletNeverReads() {
    Pod slim = trimmed(richPod("Never", Map.of()));
    assertThat(slim.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(slim.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(slim.getSpec().getVolumes()).isNullOrEmpty();
    assertThat(slim.getSpec().getTolerations()).isNullOrEmpty();
    assertThat(slim.getSpec().getContainers().get(0).getEnv()).isNullOrEmpty();
    assertThat(slim.getSpec().getContainers().get(0).getVolumeMounts()).isNullOrEmpty();
    assertThat(slim.getSpec().getContainers().get(0).getResources()).isNull();
    assertThat(slim.getStatus().getPodIP()).isEqualTo("10.0.0.5");
    assertThat(slim.getMetadata().getUid()).isEqualTo("u1");
    Pod twice = trimmed(slim);
    assertThat(twice).as("idempotent").isEqualTo(slim);
  }
}
