package io.kava.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiagnosisTest {
  @Test
  void histogramIsSortedAsTextWithPeriodsLikeUpstream() {
    Diagnosis d = new Diagnosis();
    d.nodeStatuses.put("a", Status.unschedulable("Insufficient cpu"));
    d.nodeStatuses.put("b", Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"));
    d.nodeStatuses.put("c", Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"));
    d.postFilterMessage = "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    assertThat(d.message(3)).isEqualTo("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
        + "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
  }

  @Test
  void everyReasonOfANodeCounts() {
    Diagnosis d = new Diagnosis();
    d.nodeStatuses.put("a", Status.unschedulable("Insufficient cpu", "Insufficient memory"));
    d.nodeStatuses.put("b", Status.unschedulable("Insufficient memory"));
    assertThat(d.message(2)).isEqualTo("0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.");
  }

  @Test
  void aPreFilterRejectionIsReportedOnceNotPerNode() {
    Diagnosis d = new Diagnosis();
    d.preFilterMessage = "node(s) didn't match Pod's node affinity/selector";
    d.nodeStatuses.put("a", Status.unresolvable(d.preFilterMessage));
    d.nodeStatuses.put("b", Status.unresolvable(d.preFilterMessage));
    d.postFilterMessage = "preemption: not eligible due to preemptionPolicy=Never.";
    assertThat(d.message(2)).isEqualTo("0/2 nodes are available: node(s) didn't match Pod's node affinity/selector. "
        + "preemption: not eligible due to preemptionPolicy=Never.");
  }

  @Test
  void histogramOrderIsLexicalEvenForCounts() {
    Diagnosis d = new Diagnosis();
    for (int i = 0; i < 10; i++) d.nodeStatuses.put("t" + i, Status.unschedulable("Too many pods"));
    d.nodeStatuses.put("x", Status.unschedulable("Insufficient cpu"));
    d.nodeStatuses.put("y", Status.unschedulable("Insufficient cpu"));
    assertThat(Diagnosis.histogram(d.nodeStatuses)).isEqualTo("10 Too many pods, 2 Insufficient cpu");
  }
}
