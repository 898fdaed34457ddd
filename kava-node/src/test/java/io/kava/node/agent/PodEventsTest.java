package io.kava.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kava.api.time.GoDurations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodEventsTest {
  record Recorded(ObjectReference involved, String type, String reason, String message) {}

  final List<Recorded> recorded = new ArrayList<>();
  final PodEvents events = new PodEvents((o, t, r, m) -> recorded.add(new Recorded(o, t, r, m)));

  static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("u1").withResourceVersion("7").endMetadata()
        .withNewSpec().addNewInitContainer().withName("setup").withImage("busybox:1").endInitContainer()
        .addNewContainer().withName("app").withImage("reg/app:1").endContainer().endSpec().build();
  }

  static Container app(Pod p) { return p.getSpec().getContainers().get(0); }

  @Test
  void containerEventsReferToThePodWithTheContainersFieldPath() {
    Pod p = pod();
    events.created(p, app(p));
    events.started(p, p.getSpec().getInitContainers().get(0));
    ObjectReference r = recorded.get(0).involved();
    assertThat(r.getKind()).isEqualTo("Pod");
    assertThat(r.getApiVersion()).isEqualTo("v1");
    assertThat(r.getNamespace()).isEqualTo("ns");
    assertThat(r.getName()).isEqualTo("web");
    assertThat(r.getUid()).isEqualTo("u1");
    assertThat(r.getFieldPath()).isEqualTo("spec.containers{app}");
    assertThat(recorded.get(1).involved().getFieldPath()).isEqualTo("spec.initContainers{setup}");
  }

  @Test
  void messagesUseTheKubeletsWording() {
    Pod p = pod();
    Container c = app(p);
    events.pulling(p, c);
    events.pulled(p, c, Duration.ofMillis(1234), Duration.ofMillis(1500), 2048);
    events.alreadyPresent(p, c);
    events.pullFailed(p, c, "not found");
    events.failed(p, c, "ErrImagePull");
    events.pullBackOff(p, c);
    events.created(p, c);
    events.started(p, c);
    events.killing(p, c, null);
    events.crashLoopBackOff(p, c);
    events.unhealthy(PodEvents.containerReference(p, c), "Liveness", "HTTP probe failed with statuscode: 500");
    assertThat(recorded).extracting(Recorded::reason, Recorded::type, Recorded::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Pulling", "Normal", "Pulling image \"reg/app:1\""),
        org.assertj.core.groups.Tuple.tuple("Pulled", "Normal", "Successfully pulled image \"reg/app:1\" in 1.234s (1.5s including waiting). Image size: 2048 bytes."),
        org.assertj.core.groups.Tuple.tuple("Pulled", "Normal", "Container image \"reg/app:1\" already present on machine"),
        org.assertj.core.groups.Tuple.tuple("Failed", "Warning", "Failed to pull image \"reg/app:1\": not found"),
        org.assertj.core.groups.Tuple.tuple("Failed", "Warning", "Error: ErrImagePull"),
        org.assertj.core.groups.Tuple.tuple("BackOff", "Normal", "Back-off pulling image \"reg/app:1\""),
        org.assertj.core.groups.Tuple.tuple("Created", "Normal", "Created container: app"),
        org.assertj.core.groups.Tuple.tuple("Started", "Normal", "Started container app"),
        org.assertj.core.groups.Tuple.tuple("Killing", "Normal", "Stopping container app"),
        org.assertj.core.groups.Tuple.tuple("BackOff", "Warning", "Back-off restarting failed container app in pod web_ns(u1)"),
        org.assertj.core.groups.Tuple.tuple("Unhealthy", "Warning", "Liveness probe failed: HTTP probe failed with statuscode: 500"));
  }

  @Test
  void podLevelEventsHaveNoFieldPath() {
    Pod p = pod();
    events.failedMount(p, "MountVolume.SetUp failed for volume \"cfg\" : configmap \"x\" not found");
    assertThat(recorded.get(0).involved().getFieldPath()).isNull();
    assertThat(recorded.get(0).reason()).isEqualTo("FailedMount");
    assertThat(recorded.get(0).type()).isEqualTo("Warning");
  }

  @Test
  void goDurationsAsTheKubeletPrintsThem() {
    assertThat(GoDurations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDurations.format(Duration.ofMillis(523))).isEqualTo("523ms");
    assertThat(GoDurations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDurations.format(Duration.ofMillis(2000))).isEqualTo("2s");
    assertThat(GoDurations.format(Duration.ofMillis(123_004))).isEqualTo("2m3.004s");
    assertThat(GoDurations.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(GoDurations.format(Duration.ofNanos(1_999_999))).isEqualTo("1ms");
  }
}
