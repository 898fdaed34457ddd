package io.kava.scheduler.plugins;

import static io.kava.scheduler.Fixtures.info;
import static io.kava.scheduler.Fixtures.node;
import static io.kava.scheduler.Fixtures.nodeInfo;
import static io.kava.scheduler.Fixtures.on;
import static io.kava.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Snapshot;
import io.kava.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodAffinityAndSpreadTest {
  static PodAffinityTerm term(String app, String topologyKey) {
    return new PodAffinityTermBuilder().withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build())
        .withTopologyKey(topologyKey).build();
  }

  static io.fabric8.kubernetes.api.model.Pod labelled(String name, String app) {
    return pod(name, null, null, b -> b.editMetadata().withLabels(Map.of("app", app)).endMetadata());
  }

  static io.fabric8.kubernetes.api.model.Pod antiSelf(String name, String app) {
    return pod(name, null, null, b -> b.editMetadata().withLabels(Map.of("app", app)).endMetadata().editSpec().withNewAffinity()
        .withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(term(app, "kubernetes.io/hostname"))
        .endPodAntiAffinity().endAffinity().endSpec());
  }

  @Test
  void requiredAntiAffinitySpreadsReplicasOverHosts() {
    NodeInfo a = nodeInfo(node("a", "4", "4Gi"), on("a", antiSelf("web-1", "web")));
    NodeInfo b = nodeInfo(node("b", "4", "4Gi"));
    var fw = PluginTestSupport.framework(Snapshot.of(List.of(a, b)), InterPodAffinity.NAME);
    PodInfo next = info(antiSelf("web-2", "web"));
    Status onA = PluginTestSupport.filter(fw, next, a);
    assertThat(onA.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
    assertThat(onA.reasons()).containsExactly("node(s) didn't match pod anti-affinity rules");
    assertThat(PluginTestSupport.filter(fw, next, b).isSuccess()).isTrue();
  }

  @Test
  void existingPodsAntiAffinityProtectsThem() {
    NodeInfo a = nodeInfo(node("a", "4", "4Gi"), on("a", antiSelf("db-1", "db")));
    var fw = PluginTestSupport.framework(Snapshot.of(List.of(a)), InterPodAffinity.NAME);
    // The newcomer has no terms of its own, but the existing pod refuses neighbours labelled app=db.
    assertThat(PluginTestSupport.filter(fw, info(labelled("db-2", "db")), a).reasons())
        .containsExactly("node(s) didn't satisfy existing pods anti-affinity rules");
    assertThat(PluginTestSupport.filter(fw, info(labelled("x", "other")), a).isSuccess()).isTrue();
  }

  @Test
  void requiredAffinityNeedsAMatchInTheDomainExceptForTheFirstOfAGroup() {
    NodeInfo a = nodeInfo(node("a", "4", "4Gi", "110", Map.of("zone", "z1"), List.of()), on("a", labelled("cache", "cache")));
    NodeInfo b = nodeInfo(node("b", "4", "4Gi", "110", Map.of("zone", "z2"), List.of()));
    var fw = PluginTestSupport.framework(Snapshot.of(List.of(a, b)), InterPodAffinity.NAME);
    PodInfo withCache = info(pod("app", null, null, x -> x.editSpec().withNewAffinity().withNewPodAffinity()
        .withRequiredDuringSchedulingIgnoredDuringExecution(term("cache", "zone")).endPodAffinity().endAffinity().endSpec()));
    assertThat(PluginTestSupport.filter(fw, withCache, a).isSuccess()).isTrue();
    Status s = PluginTestSupport.filter(fw, withCache, b);
    assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
    assertThat(s.reasons()).containsExactly("node(s) didn't match pod affinity rules");

    // A pod that wants to be with its own kind may start the group anywhere when none exists yet.
    PodInfo first = info(pod("g-1", null, null, x -> x.editMetadata().withLabels(Map.of("app", "g")).endMetadata().editSpec()
        .withNewAffinity().withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(term("g", "zone"))
        .endPodAffinity().endAffinity().endSpec()));
    assertThat(PluginTestSupport.filter(fw, first, b).isSuccess()).isTrue();
  }

  @Test
  void preferredAntiAffinityScoresAwayFromMatches() {
    NodeInfo a = nodeInfo(node("a", "4", "4Gi"), on("a", labelled("w1", "web")));
    NodeInfo b = nodeInfo(node("b", "4", "4Gi"));
    var fw = PluginTestSupport.framework(Snapshot.of(List.of(a, b)), InterPodAffinity.NAME);
    PodInfo p = info(pod("w2", null, null, x -> x.editMetadata().withLabels(Map.of("app", "web")).endMetadata().editSpec()
        .withNewAffinity().withNewPodAntiAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(
            new WeightedPodAffinityTermBuilder().withWeight(100).withPodAffinityTerm(term("web", "kubernetes.io/hostname")).build())
        .endPodAntiAffinity().endAffinity().endSpec()));
    Map<String, Long> scores = PluginTestSupport.scores(fw, p, List.of(a, b));
    assertThat(scores.get("b")).isGreaterThan(scores.get("a"));
  }

  static io.fabric8.kubernetes.api.model.Pod spread(String name, String when) {
    return pod(name, null, null, x -> x.editMetadata().withLabels(Map.of("app", "s")).endMetadata().editSpec()
        .withTopologySpreadConstraints(new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey("zone")
            .withWhenUnsatisfiable(when).withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "s")).build()).build())
        .endSpec());
  }

  @Test
  void hardSpreadKeepsSkewWithinMaxSkew() {
    NodeInfo z1 = nodeInfo(node("a", "4", "4Gi", "110", Map.of("zone", "z1"), List.of()), on("a", spread("s1", "DoNotSchedule")),
        on("a", spread("s2", "DoNotSchedule")));
    NodeInfo z2 = nodeInfo(node("b", "4", "4Gi", "110", Map.of("zone", "z2"), List.of()), on("b", spread("s3", "DoNotSchedule")));
    NodeInfo nolabel = nodeInfo(node("c", "4", "4Gi"));
    var fw = PluginTestSupport.framework(Snapshot.of(List.of(z1, z2, nolabel)), PodTopologySpread.NAME);
    PodInfo p = info(spread("s4", "DoNotSchedule"));
    assertThat(PluginTestSupport.filter(fw, p, z1).reasons()).containsExactly("node(s) didn't match pod topology spread constraints");
    assertThat(PluginTestSupport.filter(fw, p, z2).isSuccess()).isTrue();
    Status missing = PluginTestSupport.filter(fw, p, nolabel);
    assertThat(missing.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
    assertThat(missing.reasons()).containsExactly("node(s) didn't match pod topology spread constraints (missing required label)");
  }

  @Test
  void softSpreadPrefersTheEmptierDomain() {
    NodeInfo z1 = nodeInfo(node("a", "4", "4Gi", "110", Map.of("zone", "z1"), List.of()), on("a", spread("s1", "ScheduleAnyway")));
    NodeInfo z2 = nodeInfo(node("b", "4", "4Gi", "110", Map.of("zone", "z2"), List.of()));
    var fw = PluginTestSupport.framework(Snapshot.of(List.of(z1, z2)), PodTopologySpread.NAME);
    PodInfo p = info(spread("s2", "ScheduleAnyway"));
    assertThat(PluginTestSupport.filter(fw, p, z1).isSuccess()).isTrue();
    Map<String, Long> scores = PluginTestSupport.scores(fw, p, List.of(z1, z2));
    assertThat(scores.get("b")).isGreaterThan(scores.get("a"));
  }
}
