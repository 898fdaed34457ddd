package io.kava.scheduler.plugins;

import static io.kava.scheduler.Fixtures.info;
import static io.kava.scheduler.Fixtures.node;
import static io.kava.scheduler.Fixtures.nodeInfo;
import static io.kava.scheduler.Fixtures.on;
import static io.kava.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.Diagnosis;
import io.kava.scheduler.framework.Framework;
import io.kava.scheduler.framework.Handle;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.PostFilterPlugin;
import io.kava.scheduler.framework.Snapshot;
import io.kava.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefaultPreemptionTest {
  final List<String> deleted = new ArrayList<>();

  Framework framework(Snapshot snapshot) {
    Handle.PodActions actions = new Handle.PodActions() {
      @Override public void bind(PodInfo pod, String nodeName) {}

      @Override public void preempt(PodInfo victim, PodInfo preemptor, String nodeName) { deleted.add(victim.name() + "@" + nodeName); }

      @Override public void clearNominatedNodeName(PodInfo pod) {}
    };
    return new Framework(DefaultPlugins.profile(), DefaultPlugins.registry(),
        new Framework.Services(() -> snapshot, ns -> Map.of(), s -> Set.of(), n -> List.of(), actions));
  }

  PostFilterPlugin.Result preempt(Framework fw, Snapshot snap, PodInfo p) {
    CycleState s = new CycleState();
    Diagnosis d = new Diagnosis();
    fw.runPreFilter(s, p, d);
    Map<String, Status> statuses = new HashMap<>();
    for (NodeInfo n : snap.list()) {
      Status st = fw.runFilter(s, p, n);
      if (!st.isSuccess()) statuses.put(n.name(), st);
    }
    return fw.runPostFilter(s, p, statuses);
  }

  @Test
  void evictsTheFewestLeastImportantPods() {
    NodeInfo a = nodeInfo(node("a", "4", "4Gi"), on("a", pod("low-a1", "2", null), 0), on("a", pod("low-a2", "2", null), 10));
    NodeInfo b = nodeInfo(node("b", "4", "4Gi"), on("b", pod("mid-b", "3", null), 50), on("b", pod("high-b", "1", null), 2000));
    Snapshot snap = Snapshot.of(List.of(a, b));
    Framework fw = framework(snap);
    var r = preempt(fw, snap, info(pod("vip", "2", null), 1000));
    assertThat(r.status().isSuccess()).isTrue();
    assertThat(r.nominatedNodeName()).isEqualTo("a");
    // Removing low-a1 (priority 0) alone is enough; low-a2 is reprieved.
    assertThat(deleted).containsExactly("low-a1@a");
  }

  @Test
  void nothingToEvictGivesUpstreamsMessage() {
    NodeInfo a = nodeInfo(node("a", "4", "4Gi"), on("a", pod("big", "4", null), 5000));
    NodeInfo tiny = nodeInfo(node("tiny", "1", "4Gi"));
    Snapshot snap = Snapshot.of(List.of(a, tiny));
    var r = preempt(framework(snap), snap, info(pod("p", "2", null), 100));
    assertThat(r.status().isSuccess()).isFalse();
    assertThat(r.status().message()).isEqualTo(
        "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.");
    assertThat(deleted).isEmpty();
  }

  @Test
  void preemptionPolicyNeverIsNotEligible() {
    NodeInfo a = nodeInfo(node("a", "4", "4Gi"), on("a", pod("low", "4", null), 0));
    Snapshot snap = Snapshot.of(List.of(a));
    PodInfo p = info(pod("p", "2", null, b -> b.editSpec().withPreemptionPolicy("Never").endSpec()), 100);
    var r = preempt(framework(snap), snap, p);
    assertThat(r.status().message()).isEqualTo("preemption: not eligible due to preemptionPolicy=Never.");
    assertThat(deleted).isEmpty();
  }
}
