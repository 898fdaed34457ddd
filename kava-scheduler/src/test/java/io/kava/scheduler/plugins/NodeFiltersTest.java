package io.kava.scheduler.plugins;

import static io.kava.scheduler.Fixtures.info;
import static io.kava.scheduler.Fixtures.node;
import static io.kava.scheduler.Fixtures.nodeInfo;
import static io.kava.scheduler.Fixtures.on;
import static io.kava.scheduler.Fixtures.pod;
import static io.kava.scheduler.Fixtures.taint;
import static io.kava.scheduler.Fixtures.toleration;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Snapshot;
import io.kava.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NodeName, NodeUnschedulable, TaintToleration, NodeAffinity and NodePorts. */
class NodeFiltersTest {
  @Test
  void taintsThatAreNotToleratedKeepPodsAway() {
    TaintToleration tt = new TaintToleration();
    NodeInfo cp = nodeInfo(node("cp", "4", "4Gi", "110", Map.of(), List.of(taint("node-role.kubernetes.io/control-plane", "", "NoSchedule"))));
    Status s = tt.filter(new CycleState(), info(pod("p", null, null)), cp);
    assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
    assertThat(s.reasons()).containsExactly("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }");
    PodInfo tolerant = info(pod("p", null, null, b -> b.editSpec()
        .withTolerations(toleration("node-role.kubernetes.io/control-plane", "Exists", null, "NoSchedule")).endSpec()));
    assertThat(tt.filter(new CycleState(), tolerant, cp).isSuccess()).isTrue();
    PodInfo everything = info(pod("p", null, null, b -> b.editSpec().withTolerations(toleration(null, "Exists", null, null)).endSpec()));
    assertThat(tt.filter(new CycleState(), everything, cp).isSuccess()).isTrue();
    PodInfo wrongValue = info(pod("p", null, null, b -> b.editSpec()
        .withTolerations(toleration("node-role.kubernetes.io/control-plane", "Equal", "x", "NoSchedule")).endSpec()));
    assertThat(tt.filter(new CycleState(), wrongValue, cp).isSuccess()).isFalse();
  }

  @Test
  void preferNoScheduleOnlyLowersTheScore() {
    NodeInfo soft = nodeInfo(node("soft", "4", "4Gi", "110", Map.of(), List.of(taint("k", "v", "PreferNoSchedule"))));
    NodeInfo clean = nodeInfo(node("clean", "4", "4Gi"));
    PodInfo p = info(pod("p", null, null));
    var fw = PluginTestSupport.framework(Snapshot.of(List.of(soft, clean)), TaintToleration.NAME);
    assertThat(PluginTestSupport.filter(fw, p, soft).isSuccess()).isTrue();
    Map<String, Long> scores = PluginTestSupport.scores(fw, p, List.of(soft, clean));
    assertThat(scores.get("clean")).isEqualTo(300); // 100 × weight 3
    assertThat(scores.get("soft")).isEqualTo(0);
  }

  @Test
  void cordonedNodesTakeOnlyTolerantPods() {
    var n = node("n", "4", "4Gi");
    n.getSpec().setUnschedulable(true);
    NodeUnschedulable nu = new NodeUnschedulable();
    assertThat(nu.filter(new CycleState(), info(pod("p", null, null)), nodeInfo(n)).reasons()).containsExactly("node(s) were unschedulable");
    PodInfo ds = info(pod("p", null, null, b -> b.editSpec()
        .withTolerations(toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule")).endSpec()));
    assertThat(nu.filter(new CycleState(), ds, nodeInfo(n)).isSuccess()).isTrue();
  }

  @Test
  void nodeNameMustMatch() {
    PodInfo p = info(pod("p", null, null, b -> b.editSpec().withNodeName("b").endSpec()));
    assertThat(new NodeName().filter(new CycleState(), p, nodeInfo(node("a", "1", "1Gi"))).reasons())
        .containsExactly("node(s) didn't match the requested node name");
  }

  @Test
  void nodeSelectorAndRequiredAffinityMustBothHold() {
    NodeInfo ssdA = nodeInfo(node("a", "4", "4Gi", "110", Map.of("disk", "ssd", "zone", "a"), List.of()));
    NodeInfo ssdB = nodeInfo(node("b", "4", "4Gi", "110", Map.of("disk", "ssd", "zone", "b"), List.of()));
    NodeInfo hdd = nodeInfo(node("c", "4", "4Gi", "110", Map.of("disk", "hdd", "zone", "a"), List.of()));
    PodInfo p = info(pod("p", null, null, b -> b.editSpec().withNodeSelector(Map.of("disk", "ssd"))
        .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(new NodeSelectorTermBuilder().withMatchExpressions(new NodeSelectorRequirementBuilder()
            .withKey("zone").withOperator("NotIn").withValues("b").build()).build())
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec()));
    var fw = PluginTestSupport.framework(Snapshot.of(List.of(ssdA, ssdB, hdd)), NodeAffinity.NAME);
    assertThat(PluginTestSupport.filter(fw, p, ssdA).isSuccess()).isTrue();
    assertThat(PluginTestSupport.filter(fw, p, ssdB).reasons()).containsExactly("node(s) didn't match Pod's node affinity/selector");
    assertThat(PluginTestSupport.filter(fw, p, hdd).isSuccess()).isFalse();
  }

  @Test
  void gtAndLtCompareIntegersAndMetadataNameNarrowsTheNodes() {
    NodeInfo big = nodeInfo(node("big", "4", "4Gi", "110", Map.of("cores", "64"), List.of()));
    NodeInfo small = nodeInfo(node("small", "4", "4Gi", "110", Map.of("cores", "8"), List.of()));
    PodInfo p = info(pod("p", null, null, b -> b.editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(new NodeSelectorTermBuilder().withMatchExpressions(new NodeSelectorRequirementBuilder()
            .withKey("cores").withOperator("Gt").withValues("16").build()).build())
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec()));
    var fw = PluginTestSupport.framework(Snapshot.of(List.of(big, small)), NodeAffinity.NAME);
    assertThat(PluginTestSupport.filter(fw, p, big).isSuccess()).isTrue();
    assertThat(PluginTestSupport.filter(fw, p, small).isSuccess()).isFalse();

    PodInfo pinned = info(pod("ds", null, null, b -> b.editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(new NodeSelectorTermBuilder().withMatchFields(new NodeSelectorRequirementBuilder()
            .withKey("metadata.name").withOperator("In").withValues("small").build()).build())
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec()));
    var pre = fw.runPreFilter(new CycleState(), pinned, new io.kava.scheduler.framework.Diagnosis());
    assertThat(pre.nodeNames()).containsExactly("small");
  }

  @Test
  void preferredNodeAffinityScoresByWeight() {
    NodeInfo a = nodeInfo(node("a", "4", "4Gi", "110", Map.of("zone", "a"), List.of()));
    NodeInfo b = nodeInfo(node("b", "4", "4Gi", "110", Map.of("zone", "b"), List.of()));
    PodInfo p = info(pod("p", null, null, bb -> bb.editSpec().withNewAffinity().withNewNodeAffinity()
        .withPreferredDuringSchedulingIgnoredDuringExecution(new PreferredSchedulingTermBuilder().withWeight(10)
            .withNewPreference().withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("zone").withOperator("In")
                .withValues("b").build()).endPreference().build())
        .endNodeAffinity().endAffinity().endSpec()));
    var fw = PluginTestSupport.framework(Snapshot.of(List.of(a, b)), NodeAffinity.NAME);
    assertThat(PluginTestSupport.scores(fw, p, List.of(a, b))).containsEntry("a", 0L).containsEntry("b", 200L);
  }

  @Test
  void hostPortsMustBeFree() {
    var withPort = pod("web", null, null, b -> b.editSpec().editFirstContainer()
        .withPorts(new ContainerPortBuilder().withContainerPort(80).withHostPort(8080).build()).endContainer().endSpec());
    NodeInfo n = nodeInfo(node("n", "4", "4Gi"), on("n", withPort));
    NodePorts np = new NodePorts();
    assertThat(np.filter(new CycleState(), info(withPort), n).reasons()).containsExactly("node(s) didn't have free ports for the requested pod ports");
    var udp = pod("dns", null, null, b -> b.editSpec().editFirstContainer()
        .withPorts(new ContainerPortBuilder().withContainerPort(53).withHostPort(8080).withProtocol("UDP").build()).endContainer().endSpec());
    assertThat(np.filter(new CycleState(), info(udp), n).isSuccess()).isTrue();
    var otherIp = pod("web2", null, null, b -> b.editSpec().editFirstContainer()
        .withPorts(new ContainerPortBuilder().withContainerPort(80).withHostPort(8080).withHostIP("10.0.0.1").build()).endContainer().endSpec());
    assertThat(np.filter(new CycleState(), info(otherIp), n).isSuccess()).isFalse(); // the used one binds 0.0.0.0
  }
}
