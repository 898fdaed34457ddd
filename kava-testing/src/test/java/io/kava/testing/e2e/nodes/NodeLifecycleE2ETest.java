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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The node lifecycle and taint eviction controllers: a simulated node whose kubelet is stopped (the kava-sim-nodes
 * ConfigMap's "stopped") turns Unknown after the grace period (6 s here instead of upstream's 40 s), is tainted
 * unreachable, its pods turn not ready and are evicted after their tolerationSeconds; when it comes back the taints
 * go.
 */
@Tag("e2e")
class NodeLifecycleE2ETest {
  static final String NODE = "kava-sim-1";
  static KavaCluster cluster;
  static Kubectl k;

  @BeforeAll
  static void start() {
    SimCluster.assumeSimNodes();
    cluster = KavaCluster.start(KavaServer.StoreKind.MEMORY,
        s -> s.controllerSettings(ControllerSettings.DEFAULTS.withNodeMonitorGracePeriod(Duration.ofSeconds(6))));
    k = SimCluster.kubectl(cluster);
    // Leases renewed every second (a quarter of 4 s), well within the 6 s grace period.
    SimCluster.startNodes(k, 2, "leaseDurationSeconds=4");
  }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static String pod(String name, String tolerations) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"nodeName\":\"" + NODE + "\","
        + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]" + (tolerations == null ? "" : ",\"tolerations\":" + tolerations) + "}}";
  }

  @Test
  void aSilentNodeIsTaintedAndItsPodsEvictedAfterTheirTolerationSeconds() {
    String ns = "nlc";
    ok(k.run("create", "namespace", ns));
    String shortToleration = "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":4}]";
    ok(k.runWithInput(pod("short", shortToleration), "create", "--validate=false", "-n", ns, "-f", "-"));
    ok(k.runWithInput(pod("long", null), "create", "--validate=false", "-n", ns, "-f", "-"));
    // DefaultTolerationSeconds: 300 s for not-ready and unreachable, unless the pod has its own.
    assertThat(jsonpath(k, ns, "pod/long", "{.spec.tolerations[*].key} {.spec.tolerations[*].tolerationSeconds}"))
        .isEqualTo("node.kubernetes.io/not-ready node.kubernetes.io/unreachable 300 300");
    assertThat(jsonpath(k, ns, "pod/short", "{.spec.tolerations[*].tolerationSeconds}")).isEqualTo("4 300");
    until(() -> jsonpath(k, ns, "pods", "{.items[*].status.conditions[?(@.type==\"Ready\")].status}").equals("True True"),
        () -> k.run("get", "pods", "-n", ns, "-o", "wide").out());

    ok(k.run("-n", "kube-system", "patch", "configmap", "kava-sim-nodes", "--type=merge", "-p", "{\"data\":{\"stopped\":\"" + NODE + "\"}}"));
    until(() -> k.run("get", "node", NODE).out().contains("NotReady"), () -> k.run("get", "nodes").out());
    assertThat(jsonpath(k, "", "node/" + NODE, "{.status.conditions[?(@.type==\"Ready\")].status}|{.status.conditions[?(@.type==\"Ready\")].message}"))
        .isEqualTo("Unknown|Kubelet stopped posting node status.");
    until(() -> jsonpath(k, "", "node/" + NODE, "{range .spec.taints[*]}{.key}:{.effect} {end}").trim()
            .equals("node.kubernetes.io/unreachable:NoSchedule node.kubernetes.io/unreachable:NoExecute"),
        () -> k.run("get", "node", NODE, "-o", "yaml").out());
    assertThat(ok(k.run("describe", "node", NODE)).out()).contains("node.kubernetes.io/unreachable:NoExecute");
    // The other node is untouched.
    assertThat(jsonpath(k, "", "node/kava-sim-0", "{.spec.taints}")).isEmpty();

    // Pods on it are no longer ready; the one tolerating 4 s is evicted, the 300 s one stays for now.
    until(() -> jsonpath(k, ns, "pod/long", "{.status.conditions[?(@.type==\"Ready\")].status}").equals("False"),
        () -> k.run("get", "pods", "-n", ns, "-o", "yaml").out());
    until(() -> !jsonpath(k, ns, "pod/short", "{.metadata.deletionTimestamp}").isEmpty(),
        () -> k.run("get", "pods", "-n", ns, "-o", "yaml").out());
    assertThat(jsonpath(k, ns, "pod/long", "{.metadata.deletionTimestamp}")).isEmpty();
    assertThat(ok(k.run("get", "events", "-n", ns)).out()).contains("TaintManagerEviction");

    // The kubelet comes back: Ready again, taints gone, and the evicted pod's deletion is finished.
    ok(k.run("-n", "kube-system", "patch", "configmap", "kava-sim-nodes", "--type=merge", "-p", "{\"data\":{\"stopped\":\"\"}}"));
    until(() -> jsonpath(k, "", "node/" + NODE, "{.status.conditions[?(@.type==\"Ready\")].status}").equals("True")
            && jsonpath(k, "", "node/" + NODE, "{.spec.taints}").isEmpty(),
        () -> k.run("get", "node", NODE, "-o", "yaml").out());
    until(() -> !k.run("get", "pod", "short", "-n", ns).ok(), () -> k.run("get", "pods", "-n", ns).out());
    assertThat(jsonpath(k, ns, "pod/long", "{.metadata.deletionTimestamp}")).isEmpty();
  }

  @Test
  void cordonTaintsTheNodeUnschedulable() {
    ok(k.run("cordon", "kava-sim-0"));
    until(() -> jsonpath(k, "", "node/kava-sim-0", "{.spec.taints[*].key}").equals("node.kubernetes.io/unschedulable"),
        () -> k.run("get", "node", "kava-sim-0", "-o", "yaml").out());
    ok(k.run("uncordon", "kava-sim-0"));
    until(() -> jsonpath(k, "", "node/kava-sim-0", "{.spec.taints}").isEmpty(), () -> k.run("get", "node", "kava-sim-0", "-o", "yaml").out());
  }
}
