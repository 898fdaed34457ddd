package io.kava.controllers.replicaset;

import static io.kava.controllers.replicaset.Fixtures.NOW;
import static io.kava.controllers.replicaset.Fixtures.pod;
import static io.kava.controllers.replicaset.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kava.api.time.Timestamps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodRankingTest {
  static List<String> names(List<Pod> pods) { return pods.stream().map(p -> p.getMetadata().getName()).toList(); }

  static List<String> order(Pod... pods) {
    List<Pod> l = new ArrayList<>(List.of(pods));
    Collections.reverse(l);
    l.sort(PodRanking.order(p -> 0, NOW));
    return names(l);
  }

  @Test
  void unscheduledBeforeScheduledBeforeRunningBeforeReady() {
    Pod unscheduled = pod("unscheduled").build();
    Pod scheduledPending = pod("pending").editSpec().withNodeName("n1").endSpec().build();
    Pod runningNotReady = pod("running").editSpec().withNodeName("n1").endSpec().editStatus().withPhase("Running").endStatus().build();
    Pod ready = running("ready", NOW.minusSeconds(600));
    assertThat(order(unscheduled, scheduledPending, runningNotReady, ready)).containsExactly("unscheduled", "pending", "running", "ready");
  }

  @Test
  void unknownPhaseSitsBetweenPendingAndRunning() {
    Pod pending = pod("pending").editSpec().withNodeName("n1").endSpec().build();
    Pod unknown = pod("unknown").editSpec().withNodeName("n1").endSpec().editStatus().withPhase("Unknown").endStatus().build();
    Pod runningPod = pod("running").editSpec().withNodeName("n1").endSpec().editStatus().withPhase("Running").endStatus().build();
    assertThat(order(runningPod, unknown, pending)).containsExactly("pending", "unknown", "running");
  }

  @Test
  void lowerDeletionCostGoesFirst() {
    Pod cheap = new PodBuilder(running("cheap", NOW.minusSeconds(600))).editMetadata().withAnnotations(Map.of(PodRanking.DELETION_COST, "-5")).endMetadata().build();
    Pod dear = new PodBuilder(running("dear", NOW.minusSeconds(600))).editMetadata().withAnnotations(Map.of(PodRanking.DELETION_COST, "100")).endMetadata().build();
    Pod plain = running("plain", NOW.minusSeconds(600));
    assertThat(order(dear, plain, cheap)).containsExactly("cheap", "plain", "dear");
  }

  @Test
  void recentlyReadyGoesFirstOnALogScale() {
    Pod young = running("young", NOW.minusSeconds(10));
    Pod old = running("old", NOW.minusSeconds(10_000));
    assertThat(order(old, young)).containsExactly("young", "old");
    // 100 s and 101 s are in the same power-of-two bucket: the next rules (restarts) decide.
    Pod a = Fixtures.withRestarts(running("a", NOW.minusSeconds(100)), 0);
    Pod b = Fixtures.withRestarts(running("b", NOW.minusSeconds(101)), 3);
    assertThat(order(a, b)).containsExactly("b", "a");
  }

  @Test
  void moreRestartsGoFirst() {
    Pod calm = Fixtures.withRestarts(running("calm", NOW.minusSeconds(600)), 0);
    Pod flappy = Fixtures.withRestarts(running("flappy", NOW.minusSeconds(600)), 7);
    assertThat(order(calm, flappy)).containsExactly("flappy", "calm");
  }

  @Test
  void newerPodsGoFirstAmongEquals() {
    Pod newer = pod("newer").editMetadata().withCreationTimestamp(Timestamps.formatTime(NOW.minusSeconds(5))).endMetadata().build();
    Pod older = pod("older").editMetadata().withCreationTimestamp(Timestamps.formatTime(NOW.minusSeconds(50_000))).endMetadata().build();
    assertThat(order(older, newer)).containsExactly("newer", "older");
  }

  @Test
  void podsDoubledUpOnANodeGoFirst() {
    Pod crowded = new PodBuilder(running("crowded", NOW.minusSeconds(600))).editSpec().withNodeName("busy").endSpec().build();
    Pod alone = new PodBuilder(running("alone", NOW.minusSeconds(600))).editSpec().withNodeName("quiet").endSpec().build();
    Pod sibling = new PodBuilder(running("sibling", NOW.minusSeconds(600))).editSpec().withNodeName("busy").endSpec().build();
    List<Pod> victims = PodRanking.podsToDelete(List.of(alone, crowded), List.of(alone, crowded, sibling), 1, NOW);
    assertThat(names(victims)).containsExactly("crowded");
  }

  @Test
  void deletingAtLeastAllPodsTakesThemAll() {
    List<Pod> pods = List.of(pod("a").build(), pod("b").build());
    assertThat(PodRanking.podsToDelete(pods, List.of(), 5, NOW)).hasSize(2);
  }

  @Test
  void theOrderIsTotalSoSortingNeverComplains() {
    List<Pod> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(Fixtures.withRestarts(running("p" + i, NOW.minusSeconds(60 + (i * 7919L) % 3000)), i % 3));
    }
    Collections.shuffle(many, new java.util.Random(1));
    many.sort(PodRanking.order(p -> p.getMetadata().getName().length(), NOW));
    assertThat(many).hasSize(200);
  }
}
