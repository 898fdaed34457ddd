package io.kava.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeEventsTest {
  static final NodeConditions HEALTHY = new NodeConditions(false, false, false, null);

  @Test
  void registrationRecordsEveryConditionAsUpstreamDoes() {
    assertThat(NodeEvents.transitions(null, HEALTHY))
        .containsExactly("NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID", "NodeReady");
  }

  @Test
  void laterOnlyWhatChanged() {
    assertThat(NodeEvents.transitions(HEALTHY, HEALTHY)).isEmpty();
    assertThat(NodeEvents.transitions(HEALTHY, new NodeConditions(true, false, false, "runtime down")))
        .containsExactly("NodeHasInsufficientMemory", "NodeNotReady");
    assertThat(NodeEvents.transitions(new NodeConditions(false, true, true, null), HEALTHY))
        .containsExactly("NodeHasNoDiskPressure", "NodeHasSufficientPID");
  }

  @Test
  void nodeEventsReferToTheNodeByNameWithTheNameAsUid() {
    List<String> seen = new ArrayList<>();
    NodeEvents events = new NodeEvents((o, t, r, m) -> seen.add(o.getKind() + "/" + o.getName() + "/" + o.getUid() + " " + t + " " + r + ": " + m), "n1");
    events.starting();
    events.conditionsChanged(null, HEALTHY);
    assertThat(seen).startsWith("Node/n1/n1 Normal Starting: Starting kubelet.", "Node/n1/n1 Normal NodeHasSufficientMemory: Node n1 status is now: NodeHasSufficientMemory");
    assertThat(seen).hasSize(5);
  }
}
