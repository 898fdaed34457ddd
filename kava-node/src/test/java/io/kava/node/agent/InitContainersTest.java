package io.kava.node.agent;

import static io.kava.node.agent.PodStatusBuilderTest.condition;
import static io.kava.node.agent.PodStatusBuilderTest.instance;
import static io.kava.node.agent.PodStatusBuilderTest.observed;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.kava.node.cri.v1.ContainerState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class InitContainersTest {
  static final InitContainers.Started ALWAYS_STARTED = (c, i) -> true;
  static final InitContainers.Started NEVER_STARTED = (c, i) -> false;

  /** Init containers "proxy" (a sidecar) then "setup" (regular), main container "main". */
  static Pod pod(String restartPolicy) {
    Pod p = PodStatusBuilderTest.pod(restartPolicy);
    p.getSpec().setInitContainers(List.of(new ContainerBuilder().withName("proxy").withImage("img:1").withRestartPolicy("Always").build(),
        new ContainerBuilder().withName("setup").withImage("img:1").build()));
    return p;
  }

  static List<String> names(InitContainers.Plan plan) { return plan.drive().stream().map(Container::getName).toList(); }

  @Test
  void theSidecarStartsFirstAndTheNextInitContainerOnlyOnceItIsStarted() {
    Pod p = pod("Always");
    InitContainers.Plan first = InitContainers.plan(p, observed(), ALWAYS_STARTED);
    assertThat(names(first)).containsExactly("proxy");
    assertThat(first.initialized()).isFalse();
    ObservedPod proxyRunning = observed(instance("proxy", 0, ContainerState.CONTAINER_RUNNING, 0, ""));
    assertThat(names(InitContainers.plan(p, proxyRunning, NEVER_STARTED))).as("startupProbe not passed yet").isEmpty();
    assertThat(names(InitContainers.plan(p, proxyRunning, ALWAYS_STARTED))).containsExactly("setup");
  }

  @Test
  void aRunningSidecarDoesNotBlockInitialization() {
    ObservedPod o = observed(instance("proxy", 0, ContainerState.CONTAINER_RUNNING, 0, ""), instance("setup", 0, ContainerState.CONTAINER_EXITED, 0, "Completed"));
    InitContainers.Plan plan = InitContainers.plan(pod("Always"), o, ALWAYS_STARTED);
    assertThat(plan.initialized()).isTrue();
    assertThat(plan.drive()).isEmpty();
  }

  @Test
  void aRegularInitContainerStillRunningIsWaitedFor() {
    ObservedPod o = observed(instance("proxy", 0, ContainerState.CONTAINER_RUNNING, 0, ""), instance("setup", 0, ContainerState.CONTAINER_RUNNING, 0, ""));
    InitContainers.Plan plan = InitContainers.plan(pod("Always"), o, ALWAYS_STARTED);
    assertThat(plan.initialized()).isFalse();
    assertThat(plan.drive()).isEmpty();
  }

  @Test
  void afterInitializationOnlySidecarsThatStoppedAreDrivenAndRegularInitContainersNeverRerun() {
    ObservedPod o = observed(instance("proxy", 1, ContainerState.CONTAINER_EXITED, 0, "Completed"),
        instance("main", 0, ContainerState.CONTAINER_RUNNING, 0, ""));
    InitContainers.Plan plan = InitContainers.plan(pod("Never"), o, ALWAYS_STARTED);
    assertThat(plan.initialized()).isTrue();
    assertThat(names(plan)).containsExactly("proxy");
  }

  @Test
  void statusReportsTheSidecarRunningStartedAndReadyAndCountsItForReadiness() {
    Pod p = pod("Always");
    ObservedPod o = observed(instance("proxy", 0, ContainerState.CONTAINER_RUNNING, 0, ""), instance("setup", 0, ContainerState.CONTAINER_EXITED, 0, "Completed"),
        instance("main", 0, ContainerState.CONTAINER_RUNNING, 0, ""));
    JsonNode s = PodStatusBuilderTest.build(p, o, Map.of());
    assertThat(s.path("phase").asString()).isEqualTo("Running");
    assertThat(condition(s, "Initialized")).isEqualTo("True");
    assertThat(condition(s, "Ready")).isEqualTo("True");
    JsonNode proxy = s.path("initContainerStatuses").get(0);
    assertThat(proxy.path("state").has("running")).isTrue();
    assertThat(proxy.path("started").asBoolean()).isTrue();
    assertThat(proxy.path("ready").asBoolean()).isTrue();
    assertThat(s.path("initContainerStatuses").get(1).has("started")).isFalse();

    JsonNode crashed = PodStatusBuilderTest.build(p, observed(instance("proxy", 1, ContainerState.CONTAINER_EXITED, 1, "Error"),
        instance("setup", 0, ContainerState.CONTAINER_EXITED, 0, "Completed"), instance("main", 0, ContainerState.CONTAINER_RUNNING, 0, "")),
        Map.of("proxy", new PodStatusBuilder.Waiting("CrashLoopBackOff", "back-off")));
    assertThat(condition(crashed, "Initialized")).as("stays initialized").isEqualTo("True");
    assertThat(condition(crashed, "Ready")).isEqualTo("False");
    assertThat(crashed.path("conditions").toString()).contains("containers with unready status: [proxy]");
  }

  @Test
  void aSidecarWaitingForItsStartupProbeKeepsThePodInitializing() {
    JsonNode s = PodStatusBuilder.build(pod("Always"), observed(instance("proxy", 0, ContainerState.CONTAINER_RUNNING, 0, "")), Map.of(), "127.0.0.1",
        new PodStatusBuilder.Probes() {
          @Override public boolean ready(String podUid, Container c, String id) { return false; }

          @Override public boolean started(String podUid, Container c, String id) { return false; }
        }, false, PodStatusBuilderTest.NOW);
    assertThat(s.path("phase").asString()).isEqualTo("Pending");
    assertThat(s.path("conditions").toString()).contains("containers with incomplete status: [proxy setup]");
    assertThat(s.path("initContainerStatuses").get(0).path("started").asBoolean()).isFalse();
  }

  @Test
  void underNeverThePodSucceedsWhenItsMainContainerDoesWhileTheSidecarStillRuns() {
    ObservedPod o = observed(instance("proxy", 0, ContainerState.CONTAINER_RUNNING, 0, ""), instance("setup", 0, ContainerState.CONTAINER_EXITED, 0, "Completed"),
        instance("main", 0, ContainerState.CONTAINER_EXITED, 0, "Completed"));
    assertThat(PodStatusBuilderTest.build(pod("Never"), o, Map.of()).path("phase").asString()).isEqualTo("Succeeded");
  }
}
