package io.kava.testing.e2e.node;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.node.containerd.ContainerdConfig;
import io.kava.node.containerd.Prerequisites;
import io.kava.node.image.BusyboxImages;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Poll;
import io.kava.testing.e2e.E2E;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A kava cluster with a containerd node and a local registry holding busybox (built from the host's
 * busybox-static), for node e2e suites: {@link #start} skips the suite, saying what is missing, without root,
 * containerd, runc, the CNI plugins, docker-registry, skopeo or busybox-static.
 */
final class ContainerdNodeFixture implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(120);

  final KavaCluster cluster;
  final LocalRegistry registry;
  /** busybox in the local registry. */
  final String image;

  private ContainerdNodeFixture(KavaCluster cluster, LocalRegistry registry, String image) {
    this.cluster = cluster;
    this.registry = registry;
    this.image = image;
  }

  static ContainerdNodeFixture start() throws Exception { return start(java.util.function.UnaryOperator.identity()); }

  /** A fixture whose node's options are adjusted by {@code nodeOptions}. */
  static ContainerdNodeFixture start(java.util.function.UnaryOperator<io.kava.node.agent.NodeAgent.Options> nodeOptions) throws Exception {
    List<String> missing = new ArrayList<>(Prerequisites.problems(Prerequisites.isRoot(), ContainerdConfig.DEFAULT_CNI_BIN_DIR));
    missing.addAll(LocalRegistry.missing());
    assumeTrue(missing.isEmpty(), "skipping the containerd node suite: " + String.join("; ", missing));
    LocalRegistry registry = LocalRegistry.start();
    KavaCluster cluster = null;
    try {
      String image = registry.host() + "/busybox:1";
      registry.push(BusyboxImages.busybox(BusyboxImages.findBusybox(), image));
      cluster = KavaCluster.startWithContainerdNode(nodeOptions);
      ContainerdNodeFixture f = new ContainerdNodeFixture(cluster, registry, image);
      Kubectl k = f.kubectl("1.33");
      poll(() -> k.run("get", "node", KavaCluster.NODE_NAME, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().equals("True"),
          () -> k.run("get", "nodes", "-o", "yaml").toString());
      poll(() -> k.run("get", "serviceaccount", "default", "-n", "default").ok(), () -> "no default service account");
      return f;
    } catch (Exception | Error e) {
      if (cluster != null) cluster.close();
      registry.close();
      throw e;
    }
  }

  Kubectl kubectl(String v) { return E2E.kubectl(cluster, v); }

  static Kubectl.Result ok(Kubectl.Result r) { return E2E.ok(r); }

  /** Polls with a deadline that allows for pulls and container starts on a loaded machine. */
  static void poll(BooleanSupplier done, Supplier<String> what) { Poll.until(DEADLINE, done, what); }

  static String get(Kubectl k, String pod, String jsonpath) { return k.run("get", "pod", pod, "-o", "jsonpath=" + jsonpath).out(); }

  static Supplier<String> yaml(Kubectl k, String pod) { return () -> k.run("get", "pod", pod, "-o", "yaml").out(); }

  @Override
  public void close() {
    cluster.close();
    registry.close();
  }
}
