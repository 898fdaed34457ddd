package io.kava.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kava.node.cri.v1.ContainerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PodStatusBuilderTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:10Z");
  static final long T0 = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

  static Pod pod(String restartPolicy, String... initNames) {
    Pod p = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u1").endMetadata()
        .withNewSpec().withRestartPolicy(restartPolicy).addNewContainer().withName("main").withImage("img:1").endContainer().endSpec().build();
    List<io.fabric8.kubernetes.api.model.Container> inits = new ArrayList<>();
    for (String n : initNames) inits.add(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName(n).withImage("img:1").build());
    if (!inits.isEmpty()) p.getSpec().setInitContainers(inits);
    return p;
  }

  static ObservedPod.Instance instance(String name, int attempt, ContainerState state, int exit, String reason) {
    return new ObservedPod.Instance("id-" + name + "-" + attempt, name, attempt, state, T0, T0 + 1_000_000_000L,
        state == ContainerState.CONTAINER_EXITED ? T0 + 2_000_000_000L : 0, exit, reason, "", "img:1", "sha256:abc", "sb", "");
  }

  static ObservedPod observed(ObservedPod.Instance... is) {
    Map<String, List<ObservedPod.Instance>> m = new java.util.HashMap<>();
    for (ObservedPod.Instance i : is) m.computeIfAbsent(i.name(), k -> new ArrayList<>()).add(i);
    return new ObservedPod(List.of(new ObservedPod.Sandbox("sb", true, "10.244.0.5", 0, T0)), m);
  }

  static JsonNode build(Pod p, ObservedPod o, Map<String, PodStatusBuilder.Waiting> w) {
    return PodStatusBuilder.build(p, o, w, "127.0.0.1", PodStatusBuilder.Probes.NONE, false, NOW);
  }

  static String condition(JsonNode s, String type) {
    for (JsonNode c : s.path("conditions")) if (c.path("type").asString().equals(type)) return c.path("status").asString();
    return null;
  }

  @Test
  void aRunningContainerMakesARunningReadyPodWithItsIp() {
    JsonNode s = build(pod("Always"), observed(instance("main", 0, ContainerState.CONTAINER_RUNNING, 0, "")), Map.of());
    assertThat(s.path("phase").asString()).isEqualTo("Running");
    assertThat(s.path("podIP").asString()).isEqualTo("10.244.0.5");
    assertThat(s.path("hostIP").asString()).isEqualTo("127.0.0.1");
    JsonNode cs = s.path("containerStatuses").get(0);
    assertThat(cs.path("ready").asBoolean()).isTrue();
    assertThat(cs.path("started").asBoolean()).isTrue();
    assertThat(cs.path("containerID").asString()).isEqualTo("containerd://id-main-0");
    assertThat(cs.path("state").path("running").path("startedAt").asString()).isEqualTo("2026-01-01T00:00:01Z");
    assertThat(condition(s, "Ready")).isEqualTo("True");
    assertThat(condition(s, "PodReadyToStartContainers")).isEqualTo("True");
    assertThat(s.path("qosClass").asString()).isEqualTo("BestEffort");
  }

  @Test
  void noContainerYetIsPendingAndContainerCreating() {
    JsonNode s = build(pod("Always"), observed(), Map.of());
    assertThat(s.path("phase").asString()).isEqualTo("Pending");
    assertThat(s.path("containerStatuses").get(0).path("state").path("waiting").path("reason").asString()).isEqualTo("ContainerCreating");
    assertThat(condition(s, "Ready")).isEqualTo("False");
  }

  @Test
  void aCrashLoopKeepsThePodRunningWithTheLastTermination() {
    ObservedPod o = observed(instance("main", 3, ContainerState.CONTAINER_EXITED, 1, "Error"), instance("main", 2, ContainerState.CONTAINER_EXITED, 1, "Error"));
    JsonNode s = build(pod("Always"), o, Map.of("main", new PodStatusBuilder.Waiting("CrashLoopBackOff", "back-off 20s")));
    assertThat(s.path("phase").asString()).isEqualTo("Running");
    JsonNode cs = s.path("containerStatuses").get(0);
    assertThat(cs.path("restartCount").asInt()).isEqualTo(3);
    assertThat(cs.path("state").path("waiting").path("reason").asString()).isEqualTo("CrashLoopBackOff");
    assertThat(cs.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(1);
    assertThat(cs.path("lastState").path("terminated").path("containerID").asString()).isEqualTo("containerd://id-main-3");
  }

  @Test
  void exitZeroUnderNeverSucceedsAndNonZeroFails() {
    JsonNode ok = build(pod("Never"), observed(instance("main", 0, ContainerState.CONTAINER_EXITED, 0, "Completed")), Map.of());
    assertThat(ok.path("phase").asString()).isEqualTo("Succeeded");
    assertThat(ok.path("containerStatuses").get(0).path("state").path("terminated").path("reason").asString()).isEqualTo("Completed");
    assertThat(ok.path("conditions").toString()).contains("PodCompleted");
    JsonNode oom = build(pod("Never"), observed(instance("main", 0, ContainerState.CONTAINER_EXITED, 137, "OOMKilled")), Map.of());
    assertThat(oom.path("phase").asString()).isEqualTo("Failed");
    assertThat(oom.path("containerStatuses").get(0).path("state").path("terminated").path("reason").asString()).isEqualTo("OOMKilled");
    JsonNode onFailure = build(pod("OnFailure"), observed(instance("main", 0, ContainerState.CONTAINER_EXITED, 2, "Error")), Map.of());
    assertThat(onFailure.path("phase").asString()).isEqualTo("Running");
  }

  @Test
  void initContainersGateInitializedAndTheMainContainerWaitsInPodInitializing() {
    Pod p = pod("Always", "first", "second");
    JsonNode s = build(p, observed(instance("first", 0, ContainerState.CONTAINER_EXITED, 0, "Completed"),
        instance("second", 0, ContainerState.CONTAINER_RUNNING, 0, "")), Map.of());
    assertThat(s.path("phase").asString()).isEqualTo("Pending");
    assertThat(condition(s, "Initialized")).isEqualTo("False");
    assertThat(s.path("conditions").toString()).contains("containers with incomplete status: [second]");
    assertThat(s.path("containerStatuses").get(0).path("state").path("waiting").path("reason").asString()).isEqualTo("PodInitializing");
    assertThat(s.path("initContainerStatuses").get(0).path("state").path("terminated").path("reason").asString()).isEqualTo("Completed");
    assertThat(s.path("initContainerStatuses").get(1).has("started")).isFalse();
    JsonNode failed = build(pod("Never", "first"), observed(instance("first", 0, ContainerState.CONTAINER_EXITED, 1, "Error")), Map.of());
    assertThat(failed.path("phase").asString()).isEqualTo("Failed");
  }

  @Test
  void aPullFailureIsPendingWithTheRegistrysMessage() {
    JsonNode s = build(pod("Always"), observed(), Map.of("main", new PodStatusBuilder.Waiting("ErrImagePull", "Failed to pull image \"x\": not found")));
    assertThat(s.path("phase").asString()).isEqualTo("Pending");
    assertThat(s.path("containerStatuses").get(0).path("state").path("waiting").path("message").asString()).contains("not found");
  }

  @Test
  void terminationMakesTheLastPhaseTerminal() {
    Pod p = pod("Always");
    JsonNode killed = PodStatusBuilder.build(p, observed(instance("main", 0, ContainerState.CONTAINER_EXITED, 143, "Error")), Map.of(), "127.0.0.1",
        PodStatusBuilder.Probes.NONE, true, NOW);
    assertThat(killed.path("phase").asString()).isEqualTo("Failed");
    JsonNode clean = PodStatusBuilder.build(p, observed(instance("main", 0, ContainerState.CONTAINER_EXITED, 0, "Completed")), Map.of(), "127.0.0.1",
        PodStatusBuilder.Probes.NONE, true, NOW);
    assertThat(clean.path("phase").asString()).isEqualTo("Succeeded");
    assertThat(condition(clean, "PodReadyToStartContainers")).isEqualTo("False");
  }

  @Test
  void aTerminalPhaseStaysWhateverTheStoppedContainersShow() {
    Pod p = pod("Always");
    p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Failed").build());
    JsonNode s = build(p, observed(instance("main", 0, ContainerState.CONTAINER_EXITED, 137, "Error")), Map.of());
    assertThat(s.path("phase").asString()).isEqualTo("Failed");
  }
}
