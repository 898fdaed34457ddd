package io.kava.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Simulated nodes for e2e suites that need pods to run without containers: asked for through the
 * kube-system/kava-sim-nodes ConfigMap (what {@code kava server --sim-nodes N} writes), as a user adds them to a
 * running cluster.
 */
public final class SimulatedNodes {
  private SimulatedNodes() {}

  /** Skips the test when this build has no simulated nodes (kava-node not on the class path). */
  public static void assumeAvailable() {
    boolean present;
    try {
      Class.forName("io.kava.node.sim.SimNodes");
      present = true;
    } catch (ClassNotFoundException e) {
      present = false;
    }
    assumeTrue(present, "kava-node has no simulated nodes in this build; skipping");
  }

  /**
   * Asks for {@code count} simulated nodes (extra ConfigMap data as key=value) and waits until kubectl shows all of
   * them Ready.
   */
  public static void start(Kubectl k, Duration deadline, int count, String... extra) {
    assumeAvailable();
    List<String> args = new ArrayList<>(List.of("-n", "kube-system", "create", "configmap", "kava-sim-nodes",
        "--from-literal=count=" + count));
    for (String e : extra) args.add("--from-literal=" + e);
    // The first requests after start-up may time out on a loaded machine: retry until the ConfigMap is there.
    Poll.until(deadline, () -> {
      Kubectl.Result r = k.run(args.toArray(String[]::new));
      return r.ok() || r.err().contains("already exists");
    }, () -> k.run("get", "configmap", "-n", "kube-system").toString());
    String want = String.join(" ", Collections.nCopies(count, "True"));
    Poll.until(deadline, () -> k.run("get", "nodes", "-o",
        "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}").out().equals(want),
        () -> k.run("get", "nodes").out());
  }
}
