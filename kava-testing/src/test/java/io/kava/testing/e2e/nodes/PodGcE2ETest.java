package io.kava.testing.e2e.nodes;

import static io.kava.testing.e2e.nodes.SimCluster.jsonpath;
import static io.kava.testing.e2e.nodes.SimCluster.ok;
import static io.kava.testing.e2e.nodes.SimCluster.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.cli.KavaServer;
import io.kava.controllers.ControllerSettings;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PodGC on simulated nodes, with a 2 s quarantine and a terminated-pod threshold of 3 (upstream: 40 s, 12500): pods
 * of a node that is removed go, and only the newest finished pods are kept.
 */
@Tag("e2e")
class PodGcE2ETest {
  static KavaCluster cluster;
  static Kubectl k;

  @BeforeAll
  static void start() {
    SimCluster.assumeSimNodes();
    cluster = KavaCluster.start(KavaServer.StoreKind.MEMORY, s -> s.controllerSettings(ControllerSettings.DEFAULTS
        .withPodGcQuarantine(Duration.ofSeconds(2)).withTerminatedPodGcThreshold(3)));
    k = SimCluster.kubectl(cluster);
    SimCluster.startNodes(k, 2);
  }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static String pod(String name, String node, String restartPolicy, String command) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"nodeName\":\"" + node + "\","
        + "\"restartPolicy\":\"" + restartPolicy + "\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"command\":[\"" + command + "\"]}]}}";
  }

  @Test
  void podsOfADeletedNodeAndFinishedPodsBeyondTheThresholdAreCollected() {
    String ns = "gc";
    ok(k.run("create", "namespace", ns));
    // Finished pods: five that succeed at once, of which the three newest stay.
    for (int i = 0; i < 5; i++) {
      ok(k.runWithInput(pod("done-" + i, "kava-sim-0", "Never", "true"), "create", "--validate=false", "-n", ns, "-f", "-"));
    }
    until(() -> {
      String names = jsonpath(k, ns, "pods", "{.items[?(@.status.phase==\"Succeeded\")].metadata.name}");
      return !names.isEmpty() && names.split(" ").length == 3;
    }, () -> k.run("get", "pods", "-n", ns).out());

    // A pod on kava-sim-1, then the node goes away (the sim-nodes count shrinks to 1).
    ok(k.runWithInput(pod("orphan", "kava-sim-1", "Always", "sleep"), "create", "--validate=false", "-n", ns, "-f", "-"));
    until(() -> jsonpath(k, ns, "pod/orphan", "{.status.phase}").equals("Running"), () -> k.run("get", "pods", "-n", ns).out());
    ok(k.run("-n", "kube-system", "patch", "configmap", "kava-sim-nodes", "--type=merge", "-p", "{\"data\":{\"count\":\"1\"}}"));
    until(() -> !k.run("get", "node", "kava-sim-1").ok(), () -> k.run("get", "nodes").out());
    until(() -> !k.run("get", "pod", "orphan", "-n", ns).ok(), () -> k.run("get", "pods", "-n", ns, "-o", "wide").out());
    String left = jsonpath(k, ns, "pods", "{.items[*].metadata.name}");
    assertThat(Arrays.asList(left.split(" "))).hasSize(3).doesNotContain("orphan");
  }
}
