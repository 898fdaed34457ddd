package io.kava.testing.e2e.nodes;

import static io.kava.testing.e2e.nodes.SimCluster.jsonpath;
import static io.kava.testing.e2e.nodes.SimCluster.ok;
import static io.kava.testing.e2e.nodes.SimCluster.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PodDisruptionBudget status from the disruption controller, and the pods/eviction subresource that kubectl drain
 * uses: an eviction the budget cannot afford is refused with 429 (drain retries, then gives up at its timeout), an
 * affordable one deletes the pod. Cordon and uncordon on simulated nodes.
 */
@Tag("e2e")
class DisruptionE2ETest {
  static KavaCluster cluster;
  static Kubectl k;

  @BeforeAll
  static void start() {
    SimCluster.assumeSimNodes();
    cluster = KavaCluster.start();
    k = SimCluster.kubectl(cluster);
    SimCluster.startNodes(k, 2);
  }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static List<String> activeNodesOfPods(String ns) {
    String out = jsonpath(k, ns, "pods", "{range .items[?(@.status.phase==\"Running\")]}{.metadata.deletionTimestamp}|{.spec.nodeName}{\"\\n\"}{end}");
    return Arrays.stream(out.split("\n")).filter(l -> l.startsWith("|")).map(l -> l.substring(1)).toList();
  }

  @Test
  void drainHonoursTheDisruptionBudget() {
    String ns = "pdb";
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", ns));
    ok(k.run("create", "poddisruptionbudget", "web", "--selector=app=web", "--min-available=2", "-n", ns));
    until(() -> activeNodesOfPods(ns).size() == 2, () -> k.run("get", "pods", "-n", ns, "-o", "wide").out());
    until(() -> jsonpath(k, ns, "pdb/web", "{.status.currentHealthy}/{.status.desiredHealthy}/{.status.expectedPods}/{.status.disruptionsAllowed}")
        .equals("2/2/2/0"), () -> k.run("get", "pdb", "web", "-n", ns, "-o", "yaml").toString());
    assertThat(jsonpath(k, ns, "pdb/web", "{.status.observedGeneration}")).isEqualTo("1");
    assertThat(jsonpath(k, ns, "pdb/web", "{.status.conditions[?(@.type==\"DisruptionAllowed\")].status}/{.status.conditions[0].reason}"))
        .isEqualTo("False/InsufficientPods");
    assertThat(ok(k.run("get", "pdb", "web", "-n", ns)).out()).containsPattern("web\\s+2\\s+N/A\\s+0");

    // The budget allows no disruption: drain cordons the node, is refused with 429 and gives up at its timeout.
    String node = activeNodesOfPods(ns).getFirst();
    Result refused = k.runWithTimeout(null, 120, "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=12s");
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.out() + refused.err()).contains("Cannot evict pod as it would violate the pod's disruption budget.");
    assertThat(activeNodesOfPods(ns)).hasSize(2);
    assertThat(jsonpath(k, "", "node/" + node, "{.spec.unschedulable}")).isEqualTo("true");
    assertThat(ok(k.run("get", "node", node)).out()).contains("SchedulingDisabled");
    ok(k.run("uncordon", node));
    assertThat(jsonpath(k, "", "node/" + node, "{.spec.unschedulable}")).isEmpty();

    // With one disruption allowed, drain evicts (pods on the node one at a time as the budget recovers).
    ok(k.run("patch", "pdb", "web", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"minAvailable\":1}}"));
    until(() -> jsonpath(k, ns, "pdb/web", "{.status.disruptionsAllowed}/{.status.observedGeneration}").equals("1/2"),
        () -> k.run("get", "pdb", "web", "-n", ns, "-o", "yaml").toString());
    Result drained = k.runWithTimeout(null, 200, "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=180s");
    assertThat(drained.exitCode()).as(drained.toString()).isZero();
    assertThat(drained.out()).contains("evicted").contains("drained");
    // The Deployment replaces the evicted pods on the other node; nothing runs on the drained one.
    until(() -> {
      List<String> nodes = activeNodesOfPods(ns);
      return nodes.size() == 2 && !nodes.contains(node);
    }, () -> k.run("get", "pods", "-n", ns, "-o", "wide").out());
    ok(k.run("uncordon", node));
  }

  @Test
  void podsWithoutABudgetAreEvictedAtOnce() {
    String ns = "pdb-free";
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "deployment", "solo", "--image=nginx", "--replicas=1", "-n", ns));
    until(() -> activeNodesOfPods(ns).size() == 1, () -> k.run("get", "pods", "-n", ns, "-o", "wide").out());
    String pod = jsonpath(k, ns, "pods", "{.items[0].metadata.name}");
    String eviction = "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + pod + "\",\"namespace\":\"" + ns + "\"}}";
    Result r = ok(k.runWithInput(eviction, "create", "--raw", "/api/v1/namespaces/" + ns + "/pods/" + pod + "/eviction", "-f", "-"));
    assertThat(r.out()).contains("\"status\":\"Success\"");
    until(() -> !k.run("get", "pod", pod, "-n", ns).ok(), () -> k.run("get", "pods", "-n", ns).out());
  }
}
