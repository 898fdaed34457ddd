package io.kava.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import org.junit.jupiter.api.Test;

class SchedulingChangedTest {
  private static Node node(String rv) { return new NodeBuilder().withNewMetadata().withName("n").withResourceVersion(rv).endMetadata().build(); }

  @Test
  void aNodeWithoutSpecIsComparedAsAnEmptySpec() {
    Node bare = node("1");
    assertThat(bare.getSpec()).isNull();
    assertThat(DaemonSetController.schedulingChanged(bare, node("2"))).isFalse();
    Node tainted = new NodeBuilder(node("3")).withNewSpec().withTaints(new Taint("NoSchedule", "k", null, "v")).endSpec().build();
    assertThat(DaemonSetController.schedulingChanged(bare, tainted)).isTrue();
    assertThat(DaemonSetController.schedulingChanged(tainted, bare)).isTrue();
  }
}
