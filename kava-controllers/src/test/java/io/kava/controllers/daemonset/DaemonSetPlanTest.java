package io.kava.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.kava.api.time.Timestamps;
import io.kava.controllers.workload.Revisions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonSetPlanTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final String HASH = "newhash";

  static DaemonSetBuilder ds() {
    return new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("ns").withUid("ds-uid").withGeneration(2L).endMetadata()
        .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "agent")).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "agent")).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
        .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxUnavailable(new IntOrString(1)).withMaxSurge(new IntOrString(0)).endRollingUpdate().endUpdateStrategy()
        .endSpec();
  }

  static Node node(String name) {
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(Map.of("kubernetes.io/hostname", name)).endMetadata().withNewSpec().endSpec().build();
  }

  static Node tainted(String name, String effect) {
    return new NodeBuilder(node(name)).editSpec().withTaints(new TaintBuilder().withKey("dedicated").withValue("db").withEffect(effect).build()).endSpec().build();
  }

  static Pod pod(String name, String node, String hash, boolean ready, int ageSeconds) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name)
        .withLabels(Map.of("app", "agent", Revisions.HASH_LABEL, hash)).withCreationTimestamp(Timestamps.formatTime(NOW.minusSeconds(ageSeconds)))
        .withOwnerReferences(new OwnerReferenceBuilder().withKind("DaemonSet").withName("agent").withUid("ds-uid").withController(true).build())
        .endMetadata().withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase(ready ? "Running" : "Pending").endStatus();
    if (ready) {
      b.editStatus().withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
          .withLastTransitionTime(Timestamps.formatTime(NOW.minusSeconds(ageSeconds))).build()).endStatus();
    }
    return b.build();
  }

  static DaemonSetPlan.Input input(DaemonSet ds, List<Node> nodes, List<Pod> pods) {
    PodTemplateSpec t = DaemonPods.template(ds, HASH);
    return new DaemonSetPlan.Input(ds, t.getSpec(), HASH, null, nodes, pods, NOW);
  }

  static List<String> names(List<Pod> pods) { return pods.stream().map(p -> p.getMetadata().getName()).toList(); }

  @Test
  void oneDaemonPodPerEligibleNodeNotOnNodesWithUntoleratedTaints() {
    DaemonSet ds = ds().build();
    var plan = DaemonSetPlan.compute(input(ds, List.of(node("a"), node("b"), tainted("c", "NoSchedule")), List.of()));
    assertThat(plan.createOn()).containsExactly("a", "b");
    assertThat(plan.delete()).isEmpty();
  }

  @Test
  void noScheduleTaintsKeepRunningPodsNoExecuteTaintsEvictThem() {
    DaemonSet ds = ds().build();
    Pod onSoft = pod("p1", "c", HASH, true, 100);
    Pod onHard = pod("p2", "d", HASH, true, 100);
    var plan = DaemonSetPlan.compute(input(ds, List.of(tainted("c", "NoSchedule"), tainted("d", "NoExecute")), List.of(onSoft, onHard)));
    assertThat(names(plan.delete())).containsExactly("p2");
    DaemonSetStatus s = DaemonSetPlan.status(input(ds, List.of(tainted("c", "NoSchedule"), tainted("d", "NoExecute")), List.of(onSoft, onHard)));
    assertThat(s.getDesiredNumberScheduled()).isZero();
    assertThat(s.getNumberMisscheduled()).isEqualTo(2);
  }

  @Test
  void theDaemonTolerationsCoverNodeConditionTaints() {
    DaemonSet ds = ds().build();
    Node cordoned = new NodeBuilder(node("a")).editSpec().withUnschedulable(true)
        .withTaints(new TaintBuilder().withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build(),
            new TaintBuilder().withKey("node.kubernetes.io/not-ready").withEffect("NoExecute").build()).endSpec().build();
    assertThat(DaemonSetPlan.compute(input(ds, List.of(cordoned), List.of())).createOn()).containsExactly("a");
    Node noNet = new NodeBuilder(node("b")).editSpec().withTaints(new TaintBuilder().withKey("node.kubernetes.io/network-unavailable").withEffect("NoSchedule").build()).endSpec().build();
    assertThat(DaemonSetPlan.compute(input(ds, List.of(noNet), List.of())).createOn()).isEmpty();
    DaemonSet hostNet = ds().editSpec().editTemplate().editSpec().withHostNetwork(true).endSpec().endTemplate().endSpec().build();
    assertThat(DaemonSetPlan.compute(input(hostNet, List.of(noNet), List.of())).createOn()).containsExactly("b");
  }

  @Test
  void nodeSelectorAndRequiredAffinityChooseNodes() {
    DaemonSet ds = ds().editSpec().editTemplate().editSpec().withNodeSelector(Map.of("kubernetes.io/hostname", "b")).endSpec().endTemplate().endSpec().build();
    Pod stray = pod("p1", "a", HASH, true, 100);
    var plan = DaemonSetPlan.compute(input(ds, List.of(node("a"), node("b")), List.of(stray)));
    assertThat(plan.createOn()).containsExactly("b");
    assertThat(names(plan.delete())).containsExactly("p1");
  }

  @Test
  void duplicatesOnANodeKeepTheOldest() {
    DaemonSet ds = ds().build();
    var plan = DaemonSetPlan.compute(input(ds, List.of(node("a")), List.of(pod("young", "a", HASH, true, 10), pod("old", "a", HASH, true, 100))));
    assertThat(names(plan.delete())).containsExactly("young");
  }

  @Test
  void unscheduledPodsCountForTheNodeTheirAffinityNames() {
    DaemonSet ds = ds().build();
    Pod pending = DaemonPods.forNode(DaemonPods.template(ds, HASH), "agent", "a", new OwnerReferenceBuilder().withName("agent").withUid("ds-uid").build());
    pending.getMetadata().setName("agent-x");
    assertThat(DaemonPods.targetNode(pending)).isEqualTo("a");
    assertThat(pending.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().getFirst()
        .getMatchFields().getFirst().getValues()).containsExactly("a");
    assertThat(pending.getSpec().getTolerations()).extracting(t -> t.getKey()).contains("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
        "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure", "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable");
    assertThat(DaemonSetPlan.compute(input(ds, List.of(node("a")), List.of(pending))).createOn()).isEmpty();
  }

  @Test
  void rollingUpdateReplacesAtMostMaxUnavailableAvailablePods() {
    DaemonSet ds = ds().build();
    List<Node> nodes = List.of(node("a"), node("b"), node("c"));
    List<Pod> old = List.of(pod("pa", "a", "oldhash", true, 100), pod("pb", "b", "oldhash", true, 100), pod("pc", "c", "oldhash", true, 100));
    var plan = DaemonSetPlan.compute(input(ds, nodes, old));
    assertThat(plan.delete()).hasSize(1);
    assertThat(plan.createOn()).isEmpty();
    // One node is already without an available pod: nothing more may go.
    List<Pod> midway = List.of(pod("na", "a", HASH, false, 1), pod("pb", "b", "oldhash", true, 100), pod("pc", "c", "oldhash", true, 100));
    assertThat(DaemonSetPlan.compute(input(ds, nodes, midway)).delete()).isEmpty();
    DaemonSetStatus s = DaemonSetPlan.status(input(ds, nodes, midway));
    assertThat(s.getUpdatedNumberScheduled()).isEqualTo(1);
    assertThat(s.getNumberAvailable()).isEqualTo(2);
    assertThat(s.getNumberUnavailable()).isEqualTo(1);
    assertThat(s.getCurrentNumberScheduled()).isEqualTo(3);
  }

  @Test
  void rollingUpdateWithSurgeStartsTheNewPodBesideTheOld() {
    DaemonSet ds = ds().editSpec().editUpdateStrategy().editRollingUpdate().withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endUpdateStrategy().endSpec().build();
    List<Node> nodes = List.of(node("a"), node("b"));
    var plan = DaemonSetPlan.compute(input(ds, nodes, List.of(pod("pa", "a", "oldhash", true, 100), pod("pb", "b", "oldhash", true, 100))));
    assertThat(plan.createOn()).containsExactly("a");
    assertThat(plan.delete()).isEmpty();
    // The new pod on a is available: the old one goes, and b gets its surge pod.
    var next = DaemonSetPlan.compute(input(ds, nodes, List.of(pod("pa", "a", "oldhash", true, 100), pod("na", "a", HASH, true, 50), pod("pb", "b", "oldhash", true, 100))));
    assertThat(names(next.delete())).containsExactly("pa");
    assertThat(next.createOn()).containsExactly("b");
  }

  @Test
  void onDeleteLeavesOldPodsAlone() {
    DaemonSet ds = ds().editSpec().withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec().build();
    var plan = DaemonSetPlan.compute(input(ds, List.of(node("a")), List.of(pod("pa", "a", "oldhash", true, 100))));
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.createOn()).isEmpty();
  }
}
