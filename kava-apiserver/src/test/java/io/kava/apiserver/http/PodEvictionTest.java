package io.kava.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PodEvictionTest {
  final PodEviction eviction = new PodEviction(null, Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC));

  static ObjectNode pdb(int allowed, long generation, long observed) {
    return (ObjectNode) Json.parse(("{\"metadata\":{\"name\":\"web\",\"generation\":" + generation + "},"
        + "\"status\":{\"disruptionsAllowed\":" + allowed + ",\"observedGeneration\":" + observed + ",\"desiredHealthy\":2,\"currentHealthy\":2}}").getBytes());
  }

  @Test
  void anAffordableEvictionTakesOneDisruptionAndRecordsThePod() {
    ObjectNode b = pdb(1, 1, 1);
    eviction.checkAndDecrement(b, "p1");
    assertThat(b.path("status").path("disruptionsAllowed").asInt()).isZero();
    assertThat(b.path("status").path("disruptedPods").path("p1").asString()).isEqualTo("2025-06-01T12:00:00Z");
  }

  @Test
  void noDisruptionsLeftIs429WithTheBudgetAsCause() {
    assertThatThrownBy(() -> eviction.checkAndDecrement(pdb(0, 1, 1), "p1")).isInstanceOfSatisfying(StatusException.class, e -> {
      assertThat(e.code()).isEqualTo(429);
      assertThat(e.getMessage()).isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
      assertThat(e.causes()).singleElement().satisfies(c -> {
        assertThat(c.reason()).isEqualTo("DisruptionBudget");
        assertThat(c.message()).isEqualTo("The disruption budget web needs 2 healthy pods and has 2 currently");
      });
    });
  }

  @Test
  void aBudgetNotYetProcessedRefuses() {
    assertThatThrownBy(() -> eviction.checkAndDecrement(pdb(3, 2, 1), "p1")).isInstanceOfSatisfying(StatusException.class, e ->
        assertThat(e.causes().getFirst().message()).isEqualTo("The disruption budget web is still being processed by the server."));
  }

  @Test
  void finishedPendingAndTerminatingPodsIgnoreBudgets() {
    assertThat(PodEviction.canIgnoreBudget(Json.parse(("{\"status\":{\"phase\":\"Succeeded\"}}").getBytes()))).isTrue();
    assertThat(PodEviction.canIgnoreBudget(Json.parse(("{\"status\":{\"phase\":\"Pending\"}}").getBytes()))).isTrue();
    assertThat(PodEviction.canIgnoreBudget(Json.parse(("{\"metadata\":{\"deletionTimestamp\":\"x\"},\"status\":{\"phase\":\"Running\"}}").getBytes()))).isTrue();
    assertThat(PodEviction.canIgnoreBudget(Json.parse(("{\"status\":{\"phase\":\"Running\"}}").getBytes()))).isFalse();
  }
}
