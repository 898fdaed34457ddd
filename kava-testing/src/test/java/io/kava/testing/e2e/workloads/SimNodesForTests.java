package io.kava.testing.e2e.workloads;

import static io.kava.testing.e2e.workloads.Workloads.until;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.testing.Kubectl;

/** Simulated nodes for a workload suite, asked for through the kube-system/kava-sim-nodes ConfigMap. */
final class SimNodesForTests {
  private SimNodesForTests() {}

  /** Adds {@code count} simulated nodes to the cluster and waits until kubectl shows them Ready. */
  static void require(Kubectl k, int count) {
    boolean simNodes;
    try {
      Class.forName("io.kava.node.sim.SimNodes");
      simNodes = true;
    } catch (ClassNotFoundException e) {
      simNodes = false;
    }
    assumeTrue(simNodes, "kava-node has no simulated nodes in this build; skipping");
    until(() -> k.run("-n", "kube-system", "create", "configmap", "kava-sim-nodes", "--from-literal=count=" + count).ok()
        || k.run("-n", "kube-system", "get", "configmap", "kava-sim-nodes").ok(), () -> "could not create the ConfigMap");
    until(() -> readyNodes(k) == count, () -> k.run("get", "nodes").toString());
  }

  static int readyNodes(Kubectl k) {
    Kubectl.Result r = k.run("get", "nodes", "--no-headers");
    if (!r.ok()) return -1;
    return (int) r.out().lines().filter(l -> l.matches("\\S+\\s+Ready(,SchedulingDisabled)?\\s.*")).count();
  }
}
