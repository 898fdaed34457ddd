package io.kava.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeHealthTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  static Node node(String ready, Boolean unschedulable, Taint... taints) {
    return new NodeBuilder().withNewMetadata().withName("n1").endMetadata()
        .withNewSpec().withUnschedulable(unschedulable).withTaints(taints).endSpec()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).withReason("KubeletReady")
        .withLastHeartbeatTime("2025-06-01T11:59:00Z").withLastTransitionTime("2025-06-01T10:00:00Z").endCondition()
        .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
        .addNewCondition().withType("NetworkUnavailable").withStatus("False").endCondition()
        .endStatus().build();
  }

  @Test
  void aSilentKubeletsConditionsTurnUnknown() {
    List<NodeCondition> c = NodeHealth.silentConditions(node("True", null), NOW);
    NodeCondition ready = c.stream().filter(x -> x.getType().equals("Ready")).findFirst().orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
    assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
    assertThat(ready.getLastHeartbeatTime()).isEqualTo("2025-06-01T11:59:00Z");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
    // Conditions the kubelet never posted are added as never updated; others are left as they are.
    assertThat(c).anySatisfy(x -> {
      assertThat(x.getType()).isEqualTo("PIDPressure");
      assertThat(x.getReason()).isEqualTo("NodeStatusNeverUpdated");
    });
    assertThat(c).anySatisfy(x -> {
      assertThat(x.getType()).isEqualTo("NetworkUnavailable");
      assertThat(x.getStatus()).isEqualTo("False");
    });
    Node already = node("True", null);
    already.getStatus().setConditions(c);
    assertThat(NodeHealth.silentConditions(already, NOW.plusSeconds(5))).isNull();
  }

  @Test
  void taintsFollowReadyAndUnschedulable() {
    assertThat(NodeHealth.desiredTaints(node("True", null), NOW)).isNull();
    List<Taint> unknown = NodeHealth.desiredTaints(node("Unknown", null), NOW);
    assertThat(unknown).extracting(Taint::getKey, Taint::getEffect).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Taints.UNREACHABLE, "NoSchedule"), org.assertj.core.groups.Tuple.tuple(Taints.UNREACHABLE, "NoExecute"));
    assertThat(unknown.get(1).getTimeAdded()).isEqualTo("2025-06-01T12:00:00Z");
    assertThat(NodeHealth.desiredTaints(node("False", true), NOW)).extracting(Taint::getKey)
        .containsExactly(Taints.NOT_READY, Taints.NOT_READY, Taints.UNSCHEDULABLE);
    // Recovered: the managed taints go, someone else's stays.
    Taint mine = new TaintBuilder().withKey(Taints.UNREACHABLE).withEffect("NoExecute").build();
    Taint theirs = new TaintBuilder().withKey("dedicated").withValue("gpu").withEffect("NoSchedule").build();
    assertThat(NodeHealth.desiredTaints(node("True", null, mine, theirs), NOW)).containsExactly(theirs);
    // Nothing to change when the taints already match (timeAdded kept).
    Taint added = new TaintBuilder().withKey(Taints.UNREACHABLE).withEffect("NoExecute").withTimeAdded("2025-06-01T11:00:00Z").build();
    Taint noSchedule = new TaintBuilder().withKey(Taints.UNREACHABLE).withEffect("NoSchedule").build();
    assertThat(NodeHealth.desiredTaints(node("Unknown", null, noSchedule, added), NOW)).isNull();
  }
}
