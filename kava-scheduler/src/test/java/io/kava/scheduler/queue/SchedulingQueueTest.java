package io.kava.scheduler.queue;

import static io.kava.scheduler.Fixtures.info;
import static io.kava.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.PodInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  /** A clock the test moves by hand. */
  static final class FakeClock implements InstantSource {
    long millis = 1_000_000;

    @Override public Instant instant() { return Instant.ofEpochMilli(millis); }

    void advance(Duration d) { millis += d.toMillis(); }
  }

  final FakeClock clock = new FakeClock();
  // Fit registers pod deletes and node adds; TaintToleration node taint updates.
  final Map<String, List<ClusterEvent>> events = Map.of(
      "NodeResourcesFit", List.of(ClusterEvent.ASSIGNED_POD_DELETE, ClusterEvent.NODE_ADD),
      "TaintToleration", List.of(ClusterEvent.of(ClusterEvent.Kind.NODE, ClusterEvent.UPDATE_NODE_TAINT)));
  final SchedulingQueue q = new SchedulingQueue(clock, name -> events.getOrDefault(name, List.of()));

  QueuedPodInfo pop() throws InterruptedException { return q.pop(Duration.ZERO); }

  @Test
  void higherPriorityFirstThenFirstCome() throws Exception {
    q.add(info(pod("a", null, null), 0));
    clock.advance(Duration.ofMillis(1));
    q.add(info(pod("b", null, null), 100));
    clock.advance(Duration.ofMillis(1));
    q.add(info(pod("c", null, null), 0));
    assertThat(pop().pod().name()).isEqualTo("b");
    assertThat(pop().pod().name()).isEqualTo("a");
    assertThat(pop().pod().name()).isEqualTo("c");
    assertThat(pop()).isNull();
  }

  @Test
  void unschedulablePodsWaitForAnEventTheirPluginsCareAbout() throws Exception {
    q.add(info(pod("a", null, null)));
    QueuedPodInfo a = pop();
    q.addUnschedulable(a, Set.of("NodeResourcesFit"), false, q.schedulingCycle());
    assertThat(q.whereIs("default/a")).isEqualTo("unschedulable");

    q.moveAllToActiveOrBackoff(ClusterEvent.of(ClusterEvent.Kind.NODE, ClusterEvent.UPDATE_NODE_TAINT)); // not interesting
    assertThat(q.whereIs("default/a")).isEqualTo("unschedulable");

    clock.advance(Duration.ofSeconds(2)); // past its 1 s backoff
    q.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE);
    assertThat(q.whereIs("default/a")).isEqualTo("active");
    assertThat(pop().pod().name()).isEqualTo("a");
  }

  @Test
  void aMovedPodStillBackingOffWaitsInBackoffQ() throws Exception {
    q.add(info(pod("a", null, null)));
    QueuedPodInfo a = pop();
    q.addUnschedulable(a, Set.of("NodeResourcesFit"), false, q.schedulingCycle());
    q.moveAllToActiveOrBackoff(ClusterEvent.NODE_ADD);
    assertThat(q.whereIs("default/a")).isEqualTo("backoff");
    clock.advance(Duration.ofMillis(999));
    q.flushBackoffCompleted();
    assertThat(q.whereIs("default/a")).isEqualTo("backoff");
    clock.advance(Duration.ofMillis(1));
    q.flushBackoffCompleted();
    assertThat(q.whereIs("default/a")).isEqualTo("active");
  }

  @Test
  void backoffDoublesPerAttemptUpToTenSeconds() throws Exception {
    q.add(info(pod("a", null, null)));
    long[] expected = {1000, 2000, 4000, 8000, 10000, 10000};
    for (long want : expected) {
      QueuedPodInfo a = pop();
      q.addUnschedulable(a, Set.of(), true, q.schedulingCycle()); // errors always back off
      assertThat(q.backoffDuration(a)).isEqualTo(want);
      clock.advance(Duration.ofMillis(want - 1));
      q.flushBackoffCompleted();
      assertThat(q.whereIs("default/a")).isEqualTo("backoff");
      clock.advance(Duration.ofMillis(1));
      q.flushBackoffCompleted();
      assertThat(q.whereIs("default/a")).isEqualTo("active");
    }
  }

  @Test
  void anInterestingEventDuringTheCycleSendsTheFailedPodToBackoffNotToWait() throws Exception {
    q.add(info(pod("a", null, null)));
    QueuedPodInfo a = pop();
    q.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE); // happened while "a" was being scheduled
    q.addUnschedulable(a, Set.of("NodeResourcesFit"), false, q.schedulingCycle());
    assertThat(q.whereIs("default/a")).isEqualTo("backoff");

    clock.advance(Duration.ofSeconds(5));
    q.flushBackoffCompleted();
    q.done(pop()); // a, scheduled this time
    q.add(info(pod("b", null, null)));
    QueuedPodInfo b = pop();
    q.moveAllToActiveOrBackoff(ClusterEvent.of(ClusterEvent.Kind.NODE, ClusterEvent.UPDATE_NODE_TAINT)); // not for Fit
    q.addUnschedulable(b, Set.of("NodeResourcesFit"), false, q.schedulingCycle());
    assertThat(q.whereIs("default/b")).isEqualTo("unschedulable");
  }

  @Test
  void podsLeftUnschedulableForFiveMinutesAreRetried() throws Exception {
    q.add(info(pod("a", null, null)));
    q.addUnschedulable(pop(), Set.of("NodeResourcesFit"), false, q.schedulingCycle());
    clock.advance(Duration.ofMinutes(5));
    q.flushUnschedulableLeftover();
    assertThat(q.whereIs("default/a")).isEqualTo("unschedulable");
    clock.advance(Duration.ofMillis(1));
    q.flushUnschedulableLeftover();
    assertThat(q.whereIs("default/a")).isEqualTo("active");
  }

  @Test
  void aSpecChangeRetriesAnUnschedulablePodButAStatusWriteDoesNot() throws Exception {
    PodInfo a = info(pod("a", "1", null));
    q.add(a);
    q.addUnschedulable(pop(), Set.of("NodeResourcesFit"), false, q.schedulingCycle());
    PodInfo statusOnly = info(new PodBuilder(a.pod()).withNewStatus().withPhase("Pending").endStatus().build());
    q.update(a, statusOnly);
    assertThat(q.whereIs("default/a")).isEqualTo("unschedulable");
    clock.advance(Duration.ofSeconds(2));
    PodInfo relabelled = info(new PodBuilder(statusOnly.pod()).editMetadata().addToLabels("x", "y").endMetadata().build());
    q.update(statusOnly, relabelled);
    assertThat(q.whereIs("default/a")).isEqualTo("active");
    assertThat(pop().pod().labels()).containsEntry("x", "y");
  }

  @Test
  void aPodDeletedWhileBeingScheduledIsNotRequeued() throws Exception {
    PodInfo a = info(pod("a", null, null));
    q.add(a);
    QueuedPodInfo popped = pop();
    q.delete(a);
    q.addUnschedulable(popped, Set.of(), true, q.schedulingCycle());
    assertThat(q.whereIs("default/a")).isNull();
    assertThat(q.sizes()).isEqualTo(new SchedulingQueue.Sizes(0, 0, 0));
  }

  @Test
  void aBoundPodMovesOnlyPodsWhoseAffinitySelectsIt() throws Exception {
    var term = new io.fabric8.kubernetes.api.model.PodAffinityTermBuilder()
        .withLabelSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().withMatchLabels(Map.of("app", "db")).build())
        .withTopologyKey("zone").build();
    PodInfo wantsDb = info(pod("app", null, null, b -> b.editSpec().withNewAffinity().withNewPodAffinity()
        .withRequiredDuringSchedulingIgnoredDuringExecution(term).endPodAffinity().endAffinity().endSpec()));
    SchedulingQueue q2 = new SchedulingQueue(clock, name -> List.of(ClusterEvent.of(ClusterEvent.Kind.POD, ClusterEvent.ALL)));
    q2.add(wantsDb);
    q2.addUnschedulable(q2.pop(Duration.ZERO), Set.of("InterPodAffinity"), false, q2.schedulingCycle());
    clock.advance(Duration.ofSeconds(2));
    q2.assignedPodAdded(info(pod("web", null, null, b -> b.editMetadata().withLabels(Map.of("app", "web")).endMetadata())));
    assertThat(q2.whereIs("default/app")).isEqualTo("unschedulable");
    q2.assignedPodAdded(info(pod("db", null, null, b -> b.editMetadata().withLabels(Map.of("app", "db")).endMetadata())));
    assertThat(q2.whereIs("default/app")).isEqualTo("active");
  }

  @Test
  void nominatedPodsAreListedPerNode() {
    PodInfo a = info(pod("a", null, null));
    q.nominate(a, "n1");
    assertThat(q.nominatedPods("n1")).containsExactly(a);
    q.nominate(a, "n2");
    assertThat(q.nominatedPods("n1")).isEmpty();
    assertThat(q.nominatedPods("n2")).containsExactly(a);
    q.removeNominated(a);
    assertThat(q.nominatedPods("n2")).isEmpty();
  }
}
