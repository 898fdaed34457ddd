package io.kava.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
  long now = 0;
  final Expectations e = new Expectations(() -> now);

  @Test
  void aReplicaSetWithNoRecordMaySync() {
    assertThat(e.satisfied("ns/rs")).isTrue();
  }

  @Test
  void creationsHoldTheNextSyncUntilAllAreSeen() {
    e.expectCreations("ns/rs", 2);
    assertThat(e.satisfied("ns/rs")).isFalse();
    e.creationObserved("ns/rs");
    assertThat(e.satisfied("ns/rs")).isFalse();
    e.creationObserved("ns/rs");
    assertThat(e.satisfied("ns/rs")).isTrue();
  }

  @Test
  void onlyTheDeletionOfAChosenPodCountsAndOnlyOnce() {
    e.expectDeletions("ns/rs", Set.of("ns/a", "ns/b"));
    e.deletionObserved("ns/rs", "ns/other");
    e.deletionObserved("ns/rs", "ns/a");
    e.deletionObserved("ns/rs", "ns/a"); // a delete event and an update with deletionTimestamp
    assertThat(e.satisfied("ns/rs")).isFalse();
    assertThat(e.pending("ns/rs")).containsExactly(0, 1);
    e.deletionObserved("ns/rs", "ns/b");
    assertThat(e.satisfied("ns/rs")).isTrue();
  }

  @Test
  void aRecordOlderThanTheTtlNoLongerBlocks() {
    e.expectCreations("ns/rs", 3);
    now += Expectations.TTL.toNanos();
    assertThat(e.satisfied("ns/rs")).isFalse();
    now += Duration.ofSeconds(1).toNanos();
    assertThat(e.satisfied("ns/rs")).isTrue();
  }

  @Test
  void deletingTheRecordLetsTheNextSyncRun() {
    e.expectCreations("ns/rs", 3);
    e.delete("ns/rs");
    assertThat(e.satisfied("ns/rs")).isTrue();
  }
}
