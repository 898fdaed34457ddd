package io.kava.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaintsTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final Taint UNREACHABLE = new TaintBuilder().withKey(Taints.UNREACHABLE).withEffect("NoExecute").withTimeAdded("2025-06-01T11:59:00Z").build();

  static Toleration tol(String key, String op, String effect, Long seconds) {
    return new TolerationBuilder().withKey(key).withOperator(op).withEffect(effect).withTolerationSeconds(seconds).build();
  }

  @Test
  void tolerationMatching() {
    assertThat(Taints.tolerates(tol(Taints.UNREACHABLE, "Exists", "NoExecute", null), UNREACHABLE)).isTrue();
    assertThat(Taints.tolerates(tol("", "Exists", null, null), UNREACHABLE)).isTrue();
    assertThat(Taints.tolerates(tol(Taints.UNREACHABLE, "Exists", "NoSchedule", null), UNREACHABLE)).isFalse();
    assertThat(Taints.tolerates(tol(Taints.NOT_READY, "Exists", null, null), UNREACHABLE)).isFalse();
    Taint valued = new TaintBuilder().withKey("dedicated").withValue("gpu").withEffect("NoExecute").build();
    assertThat(Taints.tolerates(tol("dedicated", "Equal", null, null).edit().withValue("gpu").build(), valued)).isTrue();
    assertThat(Taints.tolerates(tol("dedicated", "Equal", null, null).edit().withValue("cpu").build(), valued)).isFalse();
  }

  @Test
  void evictionTimeIsTaintTimePlusTheShortestTolerationOrNowWhenUntolerated() {
    assertThat(Taints.evictionTime(List.of(UNREACHABLE), List.of(), NOW)).isEqualTo(NOW);
    assertThat(Taints.evictionTime(List.of(UNREACHABLE), List.of(tol(Taints.UNREACHABLE, "Exists", "NoExecute", 300L),
        tol("", "Exists", null, 120L)), NOW)).isEqualTo(Instant.parse("2025-06-01T12:01:00Z"));
    assertThat(Taints.evictionTime(List.of(UNREACHABLE), List.of(tol(Taints.UNREACHABLE, "Exists", "NoExecute", null)), NOW)).isNull();
    Taint fresh = new TaintBuilder().withKey(Taints.NOT_READY).withEffect("NoExecute").build();
    assertThat(Taints.evictionTime(List.of(fresh), List.of(tol(Taints.NOT_READY, "Exists", "NoExecute", 0L)), NOW)).isEqualTo(NOW);
  }
}
