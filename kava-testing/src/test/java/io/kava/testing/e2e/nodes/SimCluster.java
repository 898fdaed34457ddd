package io.kava.testing.e2e.nodes;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import io.kava.testing.Poll;
import io.kava.testing.SimulatedNodes;
import io.kava.testing.e2e.E2E;
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

  static void assumeSimNodes() { SimulatedNodes.assumeAvailable(); }

  static Kubectl kubectl(KavaCluster cluster) { return E2E.kubectl(cluster, "1.33"); }

  /** Asks for {@code count} simulated nodes (extra ConfigMap data as key=value) and waits until all are Ready. */
  static void startNodes(Kubectl k, int count, String... extra) { SimulatedNodes.start(k, DEADLINE, count, extra); }

  static Result ok(Result r) { return E2E.ok(r); }

  static String jsonpath(Kubectl k, String ns, String what, String path) {
    return ok(k.run("get", what, "-n", ns, "-o", "jsonpath=" + path)).out();
  }

  static void until(BooleanSupplier done, Supplier<String> what) { Poll.until(DEADLINE, done, what); }
}
