package io.kava.testing.e2e.workloads;

import static io.kava.testing.e2e.workloads.Workloads.ok;
import static io.kava.testing.e2e.workloads.Workloads.rolloutStatus;
import static io.kava.testing.e2e.workloads.Workloads.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.SimulatedNodes;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The DaemonSet controller on three simulated nodes, one of them tainted: one pod per eligible node, bound by the
 * scheduler through the metadata.name affinity the controller writes, rolled by RollingUpdate and undone through
 * ControllerRevisions, judged by real kubectl.
 */
@Tag("e2e")
class DaemonSetE2ETest {
  static KavaCluster cluster;
  static Kubectl k;

  @BeforeAll
  static void start() {
    cluster = KavaCluster.start();
    k = Workloads.kubectl(cluster, "1.33");
    SimulatedNodes.start(k, Workloads.DEADLINE, 3);
    ok(k.run("taint", "nodes", "kava-sim-2", "dedicated=db:NoSchedule"));
  }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static String get(String ns, String what, String path) { return Workloads.jsonpath(k, ns, what, path); }

  static List<String> podNodes(String ns) {
    String out = ok(k.run("get", "pods", "-n", ns, "-l", "app=agent", "-o",
        "jsonpath={range .items[?(@.metadata.deletionTimestamp)]}{end}{range .items[*]}{.spec.nodeName}{\"\\n\"}{end}")).out();
    return out.lines().filter(l -> !l.isBlank()).sorted().toList();
  }

  static String images(String ns) {
    return ok(k.run("get", "pods", "-n", ns, "-l", "app=agent", "-o", "jsonpath={range .items[*]}{.spec.containers[0].image} {end}")).out().trim();
  }

  @Test
  void oneDaemonPodPerUntaintedNodeRolledAndUndone() {
    String ns = "ds";
    ok(k.run("create", "namespace", ns));
    ok(k.runWithInput("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: agent, image: "agent:1"}]
        """, "apply", "--validate=false", "-n", ns, "-f", "-"));
    assertThat(rolloutStatus(k, ns, "daemonset/agent").out()).contains("daemon set \"agent\" successfully rolled out");
    assertThat(podNodes(ns)).containsExactly("kava-sim-0", "kava-sim-1");

    var r = ok(k.run("get", "ds", "agent", "-n", ns));
    List<String> header = Arrays.asList(r.out().lines().findFirst().orElseThrow().trim().split("\\s{2,}"));
    assertThat(header).containsExactly("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE");
    assertThat(r.out()).containsPattern("agent\\s+2\\s+2\\s+2\\s+2\\s+2\\s+<none>");
    assertThat(get(ns, "ds/agent", "{.status.numberMisscheduled} {.status.observedGeneration}")).isEqualTo("0 1");

    // The pods are pinned by node affinity (not nodeName) and carry the daemon tolerations and the revision hash.
    String pod = ok(k.run("get", "pods", "-n", ns, "-l", "app=agent", "-o", "jsonpath={.items[0].metadata.name}")).out();
    assertThat(get(ns, "pod/" + pod, "{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key}"))
        .isEqualTo("metadata.name");
    assertThat(get(ns, "pod/" + pod, "{.spec.tolerations[*].key}")).contains("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
        "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure", "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable");
    String hash = get(ns, "pod/" + pod, "{.metadata.labels.controller-revision-hash}");
    assertThat(ok(k.run("get", "controllerrevisions", "-n", ns, "-o", "name")).out().trim()).isEqualTo("controllerrevision.apps/agent-" + hash);

    // A toleration for the taint brings the third node in.
    ok(k.run("patch", "ds", "agent", "-n", ns, "--type=merge", "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"tolerations\":[{\"key\":\"dedicated\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]}}}}"));
    rolloutStatus(k, ns, "daemonset/agent");
    until(() -> podNodes(ns).equals(List.of("kava-sim-0", "kava-sim-1", "kava-sim-2")), () -> k.run("get", "pods", "-n", ns, "-o", "wide").out());

    ok(k.run("set", "image", "ds/agent", "agent=agent:2", "-n", ns));
    assertThat(rolloutStatus(k, ns, "daemonset/agent").out()).contains("successfully rolled out");
    until(() -> images(ns).equals("agent:2 agent:2 agent:2"), () -> k.run("get", "pods", "-n", ns, "-o", "wide").out());
    String history = ok(k.run("rollout", "history", "daemonset/agent", "-n", ns)).out();
    assertThat(history.lines().filter(l -> l.matches("\\d+\\s+.*")).toList()).hasSize(3);

    ok(k.run("rollout", "undo", "daemonset/agent", "-n", ns));
    rolloutStatus(k, ns, "daemonset/agent");
    until(() -> images(ns).equals("agent:1 agent:1 agent:1"), () -> k.run("get", "pods", "-n", ns, "-o", "wide").out());
    assertThat(get(ns, "ds/agent", "{.spec.template.spec.containers[0].image}")).isEqualTo("agent:1");
    assertThat(get(ns, "ds/agent", "{.status.desiredNumberScheduled} {.status.updatedNumberScheduled} {.status.numberAvailable}")).isEqualTo("3 3 3");

    ok(k.run("delete", "ds", "agent", "-n", ns));
    until(() -> ok(k.run("get", "pods", "-n", ns, "-o", "name")).out().isBlank(), () -> k.run("get", "pods", "-n", ns).out());
  }

  @Test
  void onDeleteKeepsOldPodsUntilDeletedAndNodeSelectorLimitsNodes() {
    String ns = "ds-ondelete";
    ok(k.run("create", "namespace", ns));
    ok(k.runWithInput("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          updateStrategy: {type: OnDelete}
          template:
            metadata: {labels: {app: agent}}
            spec:
              nodeSelector: {kubernetes.io/hostname: kava-sim-1}
              containers: [{name: agent, image: "agent:1"}]
        """, "apply", "--validate=false", "-n", ns, "-f", "-"));
    until(() -> podNodes(ns).equals(List.of("kava-sim-1")) && "1".equals(get(ns, "ds/agent", "{.status.numberReady}")),
        () -> k.run("get", "ds,pods", "-n", ns, "-o", "wide").out());
    ok(k.run("set", "image", "ds/agent", "agent=agent:2", "-n", ns));
    until(() -> "0".equals(get(ns, "ds/agent", "{.status.updatedNumberScheduled}").isEmpty() ? "0" : get(ns, "ds/agent", "{.status.updatedNumberScheduled}"))
        && "2".equals(get(ns, "ds/agent", "{.status.observedGeneration}")), () -> k.run("get", "ds", "agent", "-n", ns, "-o", "yaml").out());
    assertThat(images(ns)).isEqualTo("agent:1");
    ok(k.run("delete", "pods", "-n", ns, "-l", "app=agent"));
    until(() -> images(ns).equals("agent:2"), () -> k.run("get", "pods", "-n", ns, "-o", "wide").out());
  }

  @Test
  void olderKubectlWatchesARollout() {
    Kubectl old = Workloads.kubectl(cluster, "1.27");
    String ns = "ds-old";
    ok(old.run("create", "namespace", ns));
    ok(old.runWithInput("""
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent"},
         "spec":{"selector":{"matchLabels":{"app":"agent"}},
                 "template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"agent","image":"agent:1"}]}}}}
        """, "create", "--validate=false", "-n", ns, "-f", "-"));
    assertThat(ok(old.runWithTimeout(null, 100, "rollout", "status", "daemonset/agent", "-n", ns, "--timeout=90s")).out())
        .contains("successfully rolled out");
    assertThat(ok(old.run("get", "ds", "-n", ns)).out()).containsPattern("agent\\s+2\\s+2\\s+2\\s+2\\s+2");
  }
}
