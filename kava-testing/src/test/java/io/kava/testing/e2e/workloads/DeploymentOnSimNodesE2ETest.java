package io.kava.testing.e2e.workloads;

import static io.kava.testing.e2e.workloads.Workloads.ok;
import static io.kava.testing.e2e.workloads.Workloads.rolloutStatus;
import static io.kava.testing.e2e.workloads.Workloads.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.SimulatedNodes;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole path with nothing played by the test: scheduler, simulated nodes (kava-node's sim kubelets, asked for
 * through the kube-system/kava-sim-nodes ConfigMap), ReplicaSet and Deployment controllers. Pods are bound, so their
 * deletion is graceful and finished by the node.
 */
@Tag("e2e")
class DeploymentOnSimNodesE2ETest {
  static KavaCluster cluster;
  static KubernetesClient client;
  static Kubectl k;

  @BeforeAll
  static void start() {
    SimulatedNodes.assumeAvailable();
    cluster = KavaCluster.start();
    client = Workloads.client(cluster);
    k = Workloads.kubectl(cluster, "1.33");
    SimulatedNodes.start(k, Workloads.DEADLINE, 2);
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (cluster != null) cluster.close();
  }

  static List<Pod> activePods(String ns) {
    return client.pods().inNamespace(ns).withLabelSelector("app=web").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  @Test
  void rolloutsRunOnSimulatedNodes() {
    String ns = "sim";
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "deployment", "web", "--image=nginx", "--replicas=3", "-n", ns));
    assertThat(rolloutStatus(k, ns, "deployment/web").out()).contains("successfully rolled out");
    assertThat(activePods(ns)).hasSize(3).allSatisfy(p -> {
      assertThat(p.getSpec().getNodeName()).startsWith("kava-sim-");
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
    });

    try (PodWatch watch = new PodWatch(client, ns, "app=web", pods -> true)) {
      watch.reset();
      ok(k.run("set", "image", "deployment/web", "nginx=nginx:1.25", "-n", ns));
      rolloutStatus(k, ns, "deployment/web");
      until(() -> activePods(ns).size() == 3
          && activePods(ns).stream().allMatch(p -> p.getSpec().getContainers().getFirst().getImage().equals("nginx:1.25")),
          () -> k.run("get", "rs,pods", "-n", ns).out());
      // 25% of 3: surge 1 (rounded up), unavailable 0 (rounded down).
      assertThat(watch.maxActive()).as(watch.history()).isLessThanOrEqualTo(4);
      assertThat(watch.minReady()).as(watch.history()).isGreaterThanOrEqualTo(3);
    }

    ok(k.run("scale", "deployment/web", "--replicas=5", "-n", ns));
    rolloutStatus(k, ns, "deployment/web");
    until(() -> activePods(ns).size() == 5, () -> k.run("get", "rs,pods", "-n", ns).out());

    ok(k.run("delete", "deployment", "web", "-n", ns));
    until(() -> client.pods().inNamespace(ns).list().getItems().isEmpty() && client.apps().replicaSets().inNamespace(ns).list().getItems().isEmpty(),
        () -> k.run("get", "rs,pods", "-n", ns).out());
  }
}
