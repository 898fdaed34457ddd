package io.kava.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PodStatusesTest {
  final Instant t0 = Instant.parse("2025-01-02T03:04:05Z");

  Pod pod() {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u1").endMetadata()
        .withNewSpec().withNodeName("kava-sim-0").withRestartPolicy("Never").addNewContainer().withName("c").withImage("nginx")
        .endContainer().endSpec()
        .withNewStatus().withPhase("Pending").withQosClass("BestEffort")
        .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("True").withLastTransitionTime("2025-01-02T03:04:00Z").build())
        .endStatus().build();
  }

  static String conditionStatus(JsonNode s, String type) {
    for (JsonNode c : s.get("conditions")) if (c.get("type").asString().equals(type)) return c.get("status").asString();
    return null;
  }

  @Test
  void runningLooksLikeAKubeletsReport() {
    JsonNode s = PodStatuses.running(pod(), "172.16.0.1", "10.244.0.2", t0, t0);
    assertThat(s.get("phase").asString()).isEqualTo("Running");
    assertThat(s.get("podIP").asString()).isEqualTo("10.244.0.2");
    assertThat(s.get("podIPs").get(0).get("ip").asString()).isEqualTo("10.244.0.2");
    assertThat(s.get("hostIP").asString()).isEqualTo("172.16.0.1");
    assertThat(s.get("startTime").asString()).isEqualTo("2025-01-02T03:04:05Z");
    assertThat(s.get("qosClass").asString()).isEqualTo("BestEffort");
    for (String t : new String[] {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
      assertThat(conditionStatus(s, t)).as(t).isEqualTo("True");
    }
    JsonNode c = s.get("containerStatuses").get(0);
    assertThat(c.get("ready").asBoolean()).isTrue();
    assertThat(c.get("started").asBoolean()).isTrue();
    assertThat(c.get("image").asString()).isEqualTo("docker.io/library/nginx:latest");
    assertThat(c.get("state").get("running").get("startedAt").asString()).isEqualTo("2025-01-02T03:04:05Z");
    assertThat(s.has("initContainerStatuses")).isFalse();
  }

  @Test
  void finishedWithAFailure() {
    JsonNode s = PodStatuses.finished(pod(), "172.16.0.1", "10.244.0.2", t0, Map.of("c", new ContainerScript.Exit(3, 2000)), t0.plusSeconds(2));
    assertThat(s.get("phase").asString()).isEqualTo("Failed");
    JsonNode t = s.get("containerStatuses").get(0).get("state").get("terminated");
    assertThat(t.get("exitCode").asInt()).isEqualTo(3);
    assertThat(t.get("reason").asString()).isEqualTo("Error");
    assertThat(t.get("finishedAt").asString()).isEqualTo("2025-01-02T03:04:07Z");
    assertThat(conditionStatus(s, "Ready")).isEqualTo("False");
    JsonNode ok = PodStatuses.finished(pod(), "172.16.0.1", "10.244.0.2", t0, Map.of("c", new ContainerScript.Exit(0, 0)), t0);
    assertThat(ok.get("phase").asString()).isEqualTo("Succeeded");
    assertThat(ok.get("containerStatuses").get(0).get("state").get("terminated").get("reason").asString()).isEqualTo("Completed");
  }

  @Test
  void imagesAreNormalisedAsTheRuntimeReportsThem() {
    assertThat(PodStatuses.normalizeImage("busybox")).isEqualTo("docker.io/library/busybox:latest");
    assertThat(PodStatuses.normalizeImage("bitnami/redis:7")).isEqualTo("docker.io/bitnami/redis:7");
    assertThat(PodStatuses.normalizeImage("localhost:5000/app")).isEqualTo("localhost:5000/app:latest");
    assertThat(PodStatuses.normalizeImage("registry.k8s.io/pause:3.9")).isEqualTo("registry.k8s.io/pause:3.9");
  }

  @Test
  void imageAndContainerIdsAreStableDigests() {
    String id = PodStatuses.imageId("docker.io/library/busybox:latest");
    assertThat(id).matches("docker\\.io/library/busybox@sha256:[0-9a-f]{64}");
    assertThat(PodStatuses.imageId("docker.io/library/busybox:latest")).isEqualTo(id);
    assertThat(PodStatuses.imageId("docker.io/library/busybox:1.36")).isNotEqualTo(id).startsWith("docker.io/library/busybox@sha256:");
    assertThat(PodStatuses.imageId("busybox@sha256:abc")).isEqualTo("busybox@sha256:abc");
    // sha256("") as every SHA-256 implementation gives it: the digest is not reused across calls
    assertThat(PodStatuses.imageId("")).isEqualTo("@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void readyTakenAwayOnlyWhenSomeoneElseSetItFalseOnARunningPod() {
    Pod running = pod();
    running.getStatus().setPhase("Running");
    running.getStatus().getConditions().add(new PodConditionBuilder().withType("Ready").withStatus("True").build());
    assertThat(PodStatuses.readyTakenAway(running)).isFalse();
    running.getStatus().getConditions().get(1).setStatus("False"); // the node lifecycle controller's MarkPodsNotReady
    assertThat(PodStatuses.readyTakenAway(running)).isTrue();
    Pod pending = pod();
    pending.getStatus().getConditions().add(new PodConditionBuilder().withType("Ready").withStatus("False").build());
    assertThat(PodStatuses.readyTakenAway(pending)).as("not running yet").isFalse();
    Pod gated = pod();
    gated.getStatus().setPhase("Running");
    gated.getSpec().setReadinessGates(java.util.List.of(new io.fabric8.kubernetes.api.model.PodReadinessGate("example.com/lb")));
    gated.getStatus().getConditions().add(new PodConditionBuilder().withType("Ready").withStatus("False").build());
    assertThat(PodStatuses.readyTakenAway(gated)).as("a readiness gate holds it back: false is right").isFalse();
  }
}
