package io.kava.controllers.podgc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodGcPlanTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final Duration QUARANTINE = Duration.ofSeconds(40);

  static Pod pod(String name, String node, String phase, String created) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withCreationTimestamp(created).endMetadata()
        .withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase(phase).endStatus().build();
  }

  @Test
  void finishedPodsBeyondTheThresholdGoOldestFirst() {
    List<Pod> pods = List.of(pod("new", "n1", "Succeeded", "2025-06-01T11:00:03Z"), pod("old", "n1", "Failed", "2025-06-01T11:00:01Z"),
        pod("mid", "n1", "Succeeded", "2025-06-01T11:00:02Z"), pod("running", "n1", "Running", "2025-06-01T10:00:00Z"));
    PodGcPlan plan = PodGcPlan.compute(pods, Set.of("n1"), Map.of(), 1, QUARANTINE, NOW);
    assertThat(plan.terminated()).extracting(p -> p.getMetadata().getName()).containsExactly("old", "mid");
    assertThat(PodGcPlan.compute(pods, Set.of("n1"), Map.of(), 0, QUARANTINE, NOW).terminated()).isEmpty(); // 0 turns it off
  }

  @Test
  void podsOfAMissingNodeGoAfterTheQuarantine() {
    List<Pod> pods = List.of(pod("a", "gone", "Running", "2025-06-01T11:00:00Z"), pod("b", "n1", "Running", "2025-06-01T11:00:00Z"));
    PodGcPlan first = PodGcPlan.compute(pods, Set.of("n1"), Map.of(), 100, QUARANTINE, NOW);
    assertThat(first.orphaned()).isEmpty();
    assertThat(first.missingSince()).containsEntry("gone", NOW);
    assertThat(first.nextCheck()).isEqualTo(NOW.plus(QUARANTINE));
    PodGcPlan later = PodGcPlan.compute(pods, Set.of("n1"), first.missingSince(), 100, QUARANTINE, NOW.plus(QUARANTINE));
    assertThat(later.orphaned()).extracting(p -> p.getMetadata().getName()).containsExactly("a");
    // A node that comes back is forgotten.
    assertThat(PodGcPlan.compute(pods, Set.of("n1", "gone"), first.missingSince(), 100, QUARANTINE, NOW).missingSince()).isEmpty();
  }

  @Test
  void deletedPodsThatNeverGotANodeGo() {
    Pod p = new PodBuilder(pod("u", null, "Pending", "2025-06-01T11:00:00Z")).editMetadata().withDeletionTimestamp("2025-06-01T11:59:00Z").endMetadata().build();
    assertThat(PodGcPlan.compute(List.of(p), Set.of(), Map.of(), 100, QUARANTINE, NOW).unscheduled()).containsExactly(p);
  }
}
