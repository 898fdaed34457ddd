package io.kava.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCorrelatorTest {
  final EventCorrelator c = new EventCorrelator();
  final ObjectReference pv = new ObjectReferenceBuilder().withApiVersion("v1").withKind("PersistentVolume").withName("pv1").withUid("u1").build();
  Instant now = Instant.parse("2025-01-01T00:00:00Z");

  EventCorrelator.Write report(String message) {
    return c.correlate(pv, "Warning", "Reason", message, "test-controller", "host", now);
  }

  @Test
  void firstReportCreatesAnEventInDefaultForClusterScopedObjects() {
    EventCorrelator.Write w = report("boom");
    assertThat(w.patch()).isFalse();
    assertThat(w.event().getMetadata().getNamespace()).isEqualTo("default");
    assertThat(w.event().getMetadata().getName()).startsWith("pv1.");
    assertThat(w.event().getCount()).isEqualTo(1);
    assertThat(w.event().getFirstTimestamp()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(w.event().getSource().getComponent()).isEqualTo("test-controller");
    assertThat(w.event().getInvolvedObject().getKind()).isEqualTo("PersistentVolume");
  }

  @Test
  void repeatsPatchTheSameEventWithACount() {
    String name = report("boom").event().getMetadata().getName();
    now = now.plusSeconds(30);
    EventCorrelator.Write again = report("boom");
    assertThat(again.patch()).isTrue();
    assertThat(again.event().getMetadata().getName()).isEqualTo(name);
    assertThat(again.event().getCount()).isEqualTo(2);
    assertThat(again.event().getLastTimestamp()).isEqualTo("2025-01-01T00:00:30Z");
  }

  @Test
  void manyDifferentMessagesAreCombined() {
    for (int i = 0; i < 9; i++) assertThat(report("message " + i).event().getMessage()).isEqualTo("message " + i);
    EventCorrelator.Write tenth = report("message 9");
    assertThat(tenth.event().getMessage()).isEqualTo("(combined from similar events): message 9");
    EventCorrelator.Write eleventh = report("message 10");
    assertThat(eleventh.patch()).isTrue();
    assertThat(eleventh.event().getMessage()).isEqualTo("(combined from similar events): message 10");
  }

  @Test
  void theSpamFilterDropsFloodsAndRefills() {
    int written = 0;
    for (int i = 0; i < 100; i++) if (report("same") != null) written++;
    assertThat(written).isEqualTo(EventCorrelator.SPAM_BURST);
    now = now.plus(Duration.ofMinutes(5));
    assertThat(report("same")).isNotNull();
  }

  @Test
  void aForgottenEventIsCreatedAgain() {
    EventCorrelator.Write first = report("boom");
    c.forgetEvent(first.event().getMetadata().getNamespace(), first.event().getMetadata().getName());
    now = now.plusSeconds(1);
    assertThat(report("boom").patch()).isFalse();
  }

  @Test
  void theSameMessageAboutTwoContainersOfAPodIsTwoEvents() {
    ObjectReference a = new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace("ns").withName("p").withUid("u")
        .withFieldPath("spec.containers{a}").build();
    ObjectReference b = new ObjectReferenceBuilder(a).withFieldPath("spec.containers{b}").build();
    assertThat(c.correlate(a, "Warning", "Failed", "Error: ErrImagePull", "kubelet", "n1", now).patch()).isFalse();
    assertThat(c.correlate(b, "Warning", "Failed", "Error: ErrImagePull", "kubelet", "n1", now).patch()).isFalse();
    assertThat(c.correlate(b, "Warning", "Failed", "Error: ErrImagePull", "kubelet", "n1", now).patch()).isTrue();
  }
}
