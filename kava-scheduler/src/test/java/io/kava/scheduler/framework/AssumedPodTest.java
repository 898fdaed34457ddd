package io.kava.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.kava.scheduler.Fixtures;
import org.junit.jupiter.api.Test;

class AssumedPodTest {
  @Test
  void anAssumedPodCountsOnItsNodeWithTheRequestsOfTheQueuedPod() {
    PodInfo queued = Fixtures.info(Fixtures.pod("web", "250m", "64Mi"), 7);
    PodInfo assumed = queued.assumedOn("n1");

    assertThat(queued.nodeName()).isEmpty();
    assertThat(assumed.nodeName()).isEqualTo("n1");
    assertThat(assumed.key()).isEqualTo(queued.key());
    assertThat(assumed.priority()).isEqualTo(7);
    assertThat(assumed.pod().getSpec().getNodeName()).as("the queued object is not changed").isNull();

    NodeInfo n = NodeInfo.of(Fixtures.node("n1", "1", "1Gi"), assumed);
    assertThat(n.pods()).containsExactly(assumed);
    assertThat(n.requested().milliCpu).isEqualTo(250);
  }

  @Test
  void unschedulableFollowsTheNodeSpec() {
    var node = Fixtures.node("n1", "1", "1Gi");
    NodeInfo n = NodeInfo.of(node);
    assertThat(n.unschedulable()).isFalse();
    n.setNode(new NodeBuilder(node).editSpec().withUnschedulable(true).endSpec().build());
    assertThat(n.unschedulable()).isTrue();
    assertThat(n.copy().unschedulable()).isTrue();
  }
}
