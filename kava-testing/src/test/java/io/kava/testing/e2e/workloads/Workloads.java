package io.kava.testing.e2e.workloads;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import io.kava.testing.Poll;
import io.kava.testing.e2e.E2E;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Helpers shared by the workload suites. */
final class Workloads {
  /** Generous: controllers act asynchronously and this machine's 2 cores are shared. */
  static final Duration DEADLINE = Duration.ofSeconds(90);
  /** The names upstream's pod-template-hash takes: decimal digits mapped through the safe alphabet. */
  static final String HASH = "[456789bcdf]{1,10}";

  private Workloads() {}

  static Kubectl kubectl(KavaCluster cluster, String version) { return E2E.kubectl(cluster, version); }

  static Result ok(Result r) { return E2E.ok(r); }

  static String jsonpath(Kubectl k, String ns, String what, String path) {
    return ok(k.run("get", what, "-n", ns, "-o", "jsonpath=" + path)).out();
  }

  /** A fabric8 client for the cluster's admin (kava's admin key is ECDSA in PKCS#8). */
  static KubernetesClient client(KavaCluster cluster) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
      config.setClientKeyAlgo("EC");
      config.setOnlyHttpWatches(true);
      return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new Vertx5HttpClientFactory()).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls until {@code done} holds; fails with {@code what()} (the last observed state) at the deadline. */
  static void until(BooleanSupplier done, Supplier<String> what) { Poll.until(DEADLINE, done, what); }

  /** Runs {@code kubectl rollout status} with a long timeout of its own (it watches until done). */
  static Result rolloutStatus(Kubectl k, String ns, String what) {
    return ok(k.runWithTimeout(null, DEADLINE.toSeconds() + 10, "rollout", "status", what, "-n", ns, "--timeout=" + DEADLINE.toSeconds() + "s"));
  }
}
