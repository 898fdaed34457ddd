package io.kava.scheduler.cache;

import static io.kava.scheduler.Fixtures.node;
import static io.kava.scheduler.Fixtures.on;
import static io.kava.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Snapshot;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  final SchedulerCache cache = new SchedulerCache();
  final Snapshot snap = new Snapshot();

  @Test
  void theSnapshotCopiesOnlyChangedNodes() {
    cache.addNode(node("a", "4", "4Gi"));
    cache.addNode(node("b", "4", "4Gi"));
    cache.updateSnapshot(snap);
    NodeInfo a1 = snap.get("a");
    NodeInfo b1 = snap.get("b");
    cache.addPod(on("b", pod("p", "1", null)));
    cache.updateSnapshot(snap);
    assertThat(snap.get("a")).isSameAs(a1);
    assertThat(snap.get("b")).isNotSameAs(b1);
    assertThat(snap.get("b").requested().milliCpu).isEqualTo(1000);
    assertThat(b1.requested().milliCpu).isZero(); // the old copy a past cycle used is untouched
    assertThat(snap.list()).extracting(NodeInfo::name).containsExactly("a", "b");
  }

  @Test
  void assumedPodsCountUntilForgottenOrConfirmed() {
    cache.addNode(node("a", "4", "4Gi"));
    PodInfo p = on("a", pod("p", "1", null));
    cache.assumePod(p);
    cache.updateSnapshot(snap);
    assertThat(snap.get("a").pods()).hasSize(1);
    assertThat(cache.isAssumed(p.uid())).isTrue();
    cache.forgetPod(p);
    cache.updateSnapshot(snap);
    assertThat(snap.get("a").pods()).isEmpty();

    cache.assumePod(p);
    cache.addPod(p); // the informer confirms the binding
    assertThat(cache.isAssumed(p.uid())).isFalse();
    cache.forgetPod(p); // too late: it is bound
    cache.updateSnapshot(snap);
    assertThat(snap.get("a").pods()).hasSize(1);
  }

  @Test
  void podsOfAnUnknownNodeWaitForIt() {
    cache.addPod(on("late", pod("p", "1", null)));
    cache.updateSnapshot(snap);
    assertThat(snap.list()).isEmpty();
    cache.addNode(node("late", "4", "4Gi"));
    cache.updateSnapshot(snap);
    assertThat(snap.get("late").requested().milliCpu).isEqualTo(1000);
    cache.removeNode(node("late", "4", "4Gi"));
    cache.updateSnapshot(snap);
    assertThat(snap.list()).isEmpty();
    assertThat(cache.nodeCount()).isZero();
  }
}
