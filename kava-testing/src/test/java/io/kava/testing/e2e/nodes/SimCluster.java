package io.kava.testing.e2e.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A kava cluster with simulated nodes (kava-node's sim kubelets, asked for through the kube-system/kava-sim-nodes
 * ConfigMap) and kubectl 1.33, for the suites that need pods to run: endpoints, disruption, node lifecycle, quota,
 * pod GC.
 */
final class SimCluster {
  /** Generous: controllers act asynchronously and this machine's 2 cores are shared. */
  static final Duration DEADLINE = Duration.ofSeconds(90);

  private SimCluster() {}

  static void assumeSimNodes() {
    boolean present;
    try {
      Class.forName("io.kava.node.sim.SimNodes");
      present = true;
    } catch (ClassNotFoundException e) {
      present = false;
    }
    assumeTrue(present, "kava-node has no simulated nodes in this build; skipping");
  }

  static Kubectl kubectl(KavaCluster cluster) {
    Kubectl k = cluster.kubectl("1.33");
    assumeTrue(k.available(), "kubectl 1.33 is not installed at " + k.binary() + "; skipping");
    return k;
  }

  /** Asks for {@code count} simulated nodes (extra ConfigMap data as key=value) and waits until all are Ready. */
  static void startNodes(Kubectl k, int count, String... extra) {
    String[] args = new String[6 + extra.length];
    args[0] = "-n";
    args[1] = "kube-system";
    args[2] = "create";
    args[3] = "configmap";
    args[4] = "kava-sim-nodes";
    args[5] = "--from-literal=count=" + count;
    for (int i = 0; i < extra.length; i++) args[6 + i] = "--from-literal=" + extra[i];
    // The first requests after start-up may time out on a loaded machine: retry until the ConfigMap is there.
    until(() -> {
      Result r = k.run(args);
      return r.ok() || r.err().contains("already exists");
    }, () -> k.run("get", "configmap", "-n", "kube-system").toString());
    String want = String.join(" ", java.util.Collections.nCopies(count, "True"));
    until(() -> k.run("get", "nodes", "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}").out().equals(want),
        () -> k.run("get", "nodes").out());
  }

  static Result ok(Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  static String jsonpath(Kubectl k, String ns, String what, String path) {
    return ok(k.run("get", what, "-n", ns, "-o", "jsonpath=" + path)).out();
  }

  /** Polls until {@code done} holds; fails with {@code what()} (the last observed state) at the deadline. */
  static void until(BooleanSupplier done, Supplier<String> what) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) throw new AssertionError("gave up after " + DEADLINE.toSeconds() + " s: " + what.get());
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
