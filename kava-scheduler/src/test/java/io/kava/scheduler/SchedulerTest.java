package io.kava.scheduler;

import static io.kava.scheduler.Fixtures.info;
import static io.kava.scheduler.Fixtures.node;
import static io.kava.scheduler.Fixtures.on;
import static io.kava.scheduler.Fixtures.pod;
import static io.kava.scheduler.Fixtures.taint;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.scheduler.cache.SchedulerCache;
import io.kava.scheduler.framework.Framework;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.plugins.DefaultPlugins;
import io.kava.scheduler.queue.SchedulingQueue;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Whole scheduling cycles with the default plugins, a real cache and queue, and a recording API. */
class SchedulerTest {
  final List<String> bound = new CopyOnWriteArrayList<>();
  final List<String> failures = new CopyOnWriteArrayList<>();
  final List<String> preempted = new CopyOnWriteArrayList<>();
  final SchedulerCache cache = new SchedulerCache();
  final SchedulingQueue queue = new SchedulingQueue(InstantSource.system(), n -> List.of());
  final ClusterApi api = new ClusterApi() {
    @Override public void bind(PodInfo pod, String node) { bound.add(pod.name() + "->" + node); }

    @Override public void preempt(PodInfo v, PodInfo p, String n) { preempted.add(v.name()); }

    @Override public void clearNominatedNodeName(PodInfo pod) {}

    @Override public void recordFailure(PodInfo pod, String reason, String message, String nominated) {
      failures.add(pod.name() + ": " + reason + ": " + message + (nominated == null || nominated.isEmpty() ? "" : " [nominated " + nominated + "]"));
    }

    @Override public void recordScheduled(PodInfo pod, String nodeName) {}
  };
  final Scheduler[] ref = new Scheduler[1];
  final Framework fw = new Framework(DefaultPlugins.profile(), DefaultPlugins.registry(), new Framework.Services(
      () -> ref[0].snapshot(), ns -> Map.of(), s -> Set.of(), queue::nominatedPods, api));
  final Scheduler scheduler = new Scheduler(fw, queue, cache, api, Runnable::run, p -> true);

  { ref[0] = scheduler; }

  void cycle() throws InterruptedException {
    assertThat(scheduler.scheduleOne(Duration.ZERO)).isTrue();
  }

  @Test
  void bindsToTheLeastLoadedNodeThatFits() throws Exception {
    cache.addNode(node("a", "4", "8Gi"));
    cache.addNode(node("b", "4", "8Gi"));
    cache.addPod(on("a", pod("busy", "3", "1Gi")));
    queue.add(info(pod("p", "1", "1Gi")));
    cycle();
    assertThat(bound).containsExactly("p->b");
  }

  @Test
  void assumedPodsCountForTheNextCycleBeforeTheApiConfirms() throws Exception {
    cache.addNode(node("a", "2", "8Gi"));
    queue.add(info(pod("p1", "2", null)));
    queue.add(info(pod("p2", "2", null)));
    cycle();
    cycle();
    assertThat(bound).containsExactly("p1->a");
    assertThat(failures).containsExactly("p2: Unschedulable: 0/1 nodes are available: 1 Insufficient cpu. "
        + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
  }

  @Test
  void theFailureMessageCountsReasonsOverAllNodes() throws Exception {
    cache.addNode(node("cp", "64", "64Gi", "110", Map.of(), List.of(taint("node-role.kubernetes.io/control-plane", "", "NoSchedule"))));
    cache.addNode(node("w1", "4", "8Gi"));
    cache.addNode(node("w2", "4", "8Gi"));
    queue.add(info(pod("p", "8", null)));
    cycle();
    assertThat(bound).isEmpty();
    assertThat(failures).containsExactly("p: Unschedulable: 0/3 nodes are available: 1 node(s) had untolerated taint "
        + "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    assertThat(queue.whereIs("default/p")).isEqualTo("unschedulable");
  }

  @Test
  void noNodes() throws Exception {
    queue.add(info(pod("p", null, null)));
    cycle();
    assertThat(failures).containsExactly("p: Unschedulable: no nodes available to schedule pods");
  }

  @Test
  void aHigherPriorityPodPreemptsAndIsNominated() throws Exception {
    cache.addNode(node("a", "4", "8Gi"));
    cache.addPod(on("a", pod("low", "4", null), 0));
    queue.add(info(pod("vip", "2", null), 1000));
    cycle();
    assertThat(preempted).containsExactly("low");
    assertThat(failures).containsExactly("vip: Unschedulable: 0/1 nodes are available: 1 Insufficient cpu. [nominated a]");
    assertThat(queue.nominatedPods("a")).extracting(PodInfo::name).containsExactly("vip");
  }

  @Test
  void onlyEnoughNodesAreFilteredInBigClusters() {
    assertThat(Scheduler.numFeasibleNodesToFind(50, 0)).isEqualTo(50);
    assertThat(Scheduler.numFeasibleNodesToFind(1000, 0)).isEqualTo(420);
    assertThat(Scheduler.numFeasibleNodesToFind(5000, 0)).isEqualTo(500);
    assertThat(Scheduler.numFeasibleNodesToFind(100_000, 0)).isEqualTo(5000);
  }
}
