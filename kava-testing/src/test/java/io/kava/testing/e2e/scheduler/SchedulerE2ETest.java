package io.kava.testing.e2e.scheduler;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import io.kava.testing.Poll;
import io.kava.testing.SimulatedNodes;
import io.kava.testing.e2e.E2E;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scheduler and simulated nodes, judged by real kubectl: three simulated nodes are added to a running cluster
 * through the kube-system/kava-sim-nodes ConfigMap, then pods are scheduled, rejected with upstream's messages,
 * spread, preempted, completed and deleted.
 */
@Tag("e2e")
class SchedulerE2ETest {
  static final Duration DEADLINE = Duration.ofSeconds(90);
  static KavaCluster cluster;

  @BeforeAll
  static void start() {
    cluster = KavaCluster.start();
    Kubectl k = cluster.kubectl("1.33");
    assumeTrue(k.available(), "kubectl 1.33 is not installed at " + k.binary() + "; skipping");
    // Nodes join a running cluster: the ConfigMap is what --sim-nodes writes.
    SimulatedNodes.start(k, DEADLINE, 3);
  }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static Kubectl kubectl(String v) { return E2E.kubectl(cluster, v); }

  static void poll(BooleanSupplier done, Supplier<String> what) { Poll.until(DEADLINE, done, what); }

  static String get(Kubectl k, String ns, String what, String jsonpath) {
    Result r = k.run("get", what, "-n", ns, "-o", "jsonpath=" + jsonpath);
    return r.ok() ? r.out() : "";
  }

  static String ns(Kubectl k, String base) {
    String ns = base + "-" + k.version().replace(".", "-");
    ok(k.run("create", "namespace", ns));
    return ns;
  }

  static void apply(Kubectl k, String ns, String yaml) { ok(k.runWithInput(yaml, "apply", "--validate=false", "-n", ns, "-f", "-")); }

  // --------------------------------------------------------------------------------------------------------- tests

  @Test
  void getNodesShowsTheSimulatedNodesReadyWithUpstreamsColumns() {
    Kubectl k = kubectl("1.33");
    Result r = ok(k.run("get", "nodes"));
    List<String> header = Arrays.asList(r.out().lines().findFirst().orElseThrow().trim().split("\\s+"));
    assertThat(header).containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION");
    assertThat(r.out()).containsPattern("kava-sim-0\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.\\d+");
    Result wide = ok(k.run("get", "nodes", "-o", "wide"));
    assertThat(wide.out()).contains("INTERNAL-IP").contains("CONTAINER-RUNTIME").contains("kava-sim://");
    assertThat(ok(k.run("get", "node", "kava-sim-1", "-o", "jsonpath={.spec.podCIDR}")).out()).isEqualTo("10.244.1.0/24");
    // Each node holds a Lease in kube-node-lease, renewed by its heartbeat.
    poll(() -> k.run("get", "leases", "-n", "kube-node-lease", "--no-headers").out().lines().filter(l -> l.startsWith("kava-sim-")).count() == 3,
        () -> k.run("get", "leases", "-A").toString());
    assertThat(ok(k.run("get", "lease", "kava-sim-0", "-n", "kube-node-lease", "-o", "jsonpath={.spec.leaseDurationSeconds}")).out()).isEqualTo("40");
    // The scheduler runs under the server's one control-plane election (no Lease of its own in kava server).
    assertThat(ok(k.run("get", "lease", "kava-control-plane", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}")).out()).isNotEmpty();
    assertThat(k.run("get", "lease", "kava-scheduler", "-n", "kube-system").err()).contains("NotFound");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void kubectlRunGivesARunningPodWithAnIpOnASimulatedNode(String v) {
    Kubectl k = kubectl(v);
    String ns = ns(k, "run");
    ok(k.run("run", "p", "--image=x", "-n", ns));
    poll(() -> get(k, ns, "pod/p", "{.status.phase}").equals("Running"), () -> k.run("get", "pod", "p", "-n", ns, "-o", "yaml").toString());
    assertThat(get(k, ns, "pod/p", "{.spec.nodeName}")).startsWith("kava-sim-");
    String ip = get(k, ns, "pod/p", "{.status.podIP}");
    assertThat(ip).startsWith("10.244.");
    assertThat(get(k, ns, "pod/p", "{.status.hostIP}")).isNotEmpty();
    Result row = ok(k.run("get", "pod", "p", "-n", ns, "-o", "wide", "--no-headers"));
    assertThat(row.out()).containsPattern("^p\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+" + ip.replace(".", "\\.") + "\\s+kava-sim-\\d");
    Result describe = ok(k.run("describe", "pod", "p", "-n", ns));
    assertThat(describe.out()).contains("Scheduled").contains("default-scheduler").contains("Successfully assigned " + ns + "/p to kava-sim-");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void aPodBiggerThanEveryNodeStaysPendingWithUpstreamsMessage(String v) {
    Kubectl k = kubectl(v);
    String ns = ns(k, "big");
    apply(k, ns, """
        apiVersion: v1
        kind: Pod
        metadata: {name: big}
        spec:
          containers: [{name: c, image: x, resources: {requests: {cpu: "1000"}}}]
        """);
    poll(() -> get(k, ns, "pod/big", "{.status.conditions[?(@.type==\"PodScheduled\")].reason}").equals("Unschedulable"),
        () -> k.run("get", "pod", "big", "-n", ns, "-o", "yaml").toString());
    assertThat(get(k, ns, "pod/big", "{.status.phase}")).isEqualTo("Pending");
    Result d = ok(k.run("describe", "pod", "big", "-n", ns));
    assertThat(d.out()).contains("FailedScheduling").contains("0/3 nodes are available: 3 Insufficient cpu.");
    ok(k.run("delete", "pod", "big", "-n", ns));
  }

  @Test
  void nodeSelectorsTaintsAndTolerations() {
    Kubectl k = kubectl("1.33");
    String ns = ns(k, "taints");
    ok(k.run("label", "node", "kava-sim-2", "e2e-pool=special", "--overwrite"));
    ok(k.run("taint", "node", "kava-sim-2", "e2e-dedicated=special:NoSchedule", "--overwrite"));
    try {
      apply(k, ns, """
          apiVersion: v1
          kind: Pod
          metadata: {name: intolerant}
          spec:
            nodeSelector: {e2e-pool: special}
            containers: [{name: c, image: x}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: tolerant}
          spec:
            nodeSelector: {e2e-pool: special}
            tolerations: [{key: e2e-dedicated, operator: Equal, value: special, effect: NoSchedule}]
            containers: [{name: c, image: x}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: anywhere}
          spec:
            containers: [{name: c, image: x}]
          """);
      poll(() -> get(k, ns, "pod/tolerant", "{.status.phase}").equals("Running"), () -> k.run("get", "pods", "-n", ns, "-o", "wide").toString());
      assertThat(get(k, ns, "pod/tolerant", "{.spec.nodeName}")).isEqualTo("kava-sim-2");
      poll(() -> get(k, ns, "pod/anywhere", "{.status.phase}").equals("Running"), () -> k.run("get", "pods", "-n", ns, "-o", "wide").toString());
      assertThat(get(k, ns, "pod/anywhere", "{.spec.nodeName}")).isNotEqualTo("kava-sim-2");
      poll(() -> get(k, ns, "pod/intolerant", "{.status.conditions[?(@.type==\"PodScheduled\")].message}")
              .contains("0/3 nodes are available: 1 node(s) had untolerated taint {e2e-dedicated: special}, 2 node(s) didn't match Pod's node affinity/selector."),
          () -> k.run("describe", "pod", "intolerant", "-n", ns).toString());
      // Removing the taint is a cluster event: the waiting pod is retried and placed.
      ok(k.run("taint", "node", "kava-sim-2", "e2e-dedicated=special:NoSchedule-"));
      poll(() -> get(k, ns, "pod/intolerant", "{.spec.nodeName}").equals("kava-sim-2"), () -> k.run("describe", "pod", "intolerant", "-n", ns).toString());
    } finally {
      k.run("taint", "node", "kava-sim-2", "e2e-dedicated=special:NoSchedule-");
      k.run("label", "node", "kava-sim-2", "e2e-pool-");
      k.run("delete", "pods", "--all", "-n", ns);
    }
  }

  @Test
  void requiredAntiAffinitySpreadsPodsOneToANode() {
    Kubectl k = kubectl("1.33");
    String ns = ns(k, "anti");
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      yaml.append("""
          apiVersion: v1
          kind: Pod
          metadata: {name: spread-%d, labels: {app: spread}}
          spec:
            affinity:
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: spread}}
                  topologyKey: kubernetes.io/hostname
            containers: [{name: c, image: x}]
          ---
          """.formatted(i));
    }
    apply(k, ns, yaml.toString());
    poll(() -> get(k, ns, "pods", "{.items[*].spec.nodeName}").trim().split("\\s+").length == 3
            && get(k, ns, "pods", "{.items[*].status.conditions[?(@.type==\"PodScheduled\")].reason}").contains("Unschedulable"),
        () -> k.run("get", "pods", "-n", ns, "-o", "wide").toString());
    List<String> nodes = Arrays.asList(get(k, ns, "pods", "{.items[*].spec.nodeName}").trim().split("\\s+"));
    assertThat(nodes).doesNotHaveDuplicates().hasSize(3);
    Result d = ok(k.run("describe", "pods", "-n", ns, "-l", "app=spread"));
    assertThat(d.out()).contains("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    k.run("delete", "pods", "--all", "-n", ns);
  }

  @Test
  void aHigherPriorityPodPreemptsALowerOne() {
    Kubectl k = kubectl("1.33");
    String ns = ns(k, "preempt");
    apply(k, ns, """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: e2e-high}
        value: 1000000
        """);
    try {
      StringBuilder low = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        low.append("""
            apiVersion: v1
            kind: Pod
            metadata: {name: low-%d, labels: {tier: low}}
            spec:
              containers: [{name: c, image: x, resources: {requests: {cpu: "20"}}}]
            ---
            """.formatted(i));
      }
      apply(k, ns, low.toString());
      poll(() -> get(k, ns, "pods", "{.items[*].status.phase}").equals("Running Running Running"),
          () -> k.run("get", "pods", "-n", ns, "-o", "wide").toString());
      apply(k, ns, """
          apiVersion: v1
          kind: Pod
          metadata: {name: vip}
          spec:
            priorityClassName: e2e-high
            containers: [{name: c, image: x, resources: {requests: {cpu: "20"}}}]
          """);
      poll(() -> get(k, ns, "pod/vip", "{.status.phase}").equals("Running"), () -> k.run("get", "pods", "-n", ns, "-o", "wide").toString()
          + k.run("describe", "pod", "vip", "-n", ns));
      String node = get(k, ns, "pod/vip", "{.spec.nodeName}");
      assertThat(get(k, ns, "pod/vip", "{.status.nominatedNodeName}")).isEqualTo(node);
      poll(() -> get(k, ns, "pods", "{.items[*].metadata.name}").split("\\s+").length == 3, () -> k.run("get", "pods", "-n", ns).toString());
      Result events = ok(k.run("get", "events", "-n", ns));
      assertThat(events.out()).contains("Preempted").contains("Preempted by " + ns + "/vip on node " + node);
    } finally {
      k.run("delete", "pods", "--all", "-n", ns);
      k.run("delete", "priorityclass", "e2e-high");
    }
  }

  @Test
  void podsWhoseContainersFinishSucceedOrFail() {
    Kubectl k = kubectl("1.33");
    String ns = ns(k, "done");
    ok(k.run("run", "ok", "--image=busybox", "--restart=Never", "-n", ns, "--", "sh", "-c", "echo hi"));
    ok(k.run("run", "bad", "--image=busybox", "--restart=Never", "-n", ns, "--", "false"));
    ok(k.run("run", "annotated", "--image=x", "--restart=Never", "-n", ns, "--annotations=kava.io/sim-exit-code=7"));
    poll(() -> get(k, ns, "pod/ok", "{.status.phase}").equals("Succeeded"), () -> k.run("get", "pods", "-n", ns, "-o", "yaml").toString());
    poll(() -> get(k, ns, "pod/bad", "{.status.phase}").equals("Failed"), () -> k.run("get", "pods", "-n", ns, "-o", "yaml").toString());
    poll(() -> get(k, ns, "pod/annotated", "{.status.containerStatuses[0].state.terminated.exitCode}").equals("7"),
        () -> k.run("get", "pod", "annotated", "-n", ns, "-o", "yaml").toString());
    Result rows = ok(k.run("get", "pods", "-n", ns));
    assertThat(rows.out()).containsPattern("ok\\s+0/1\\s+Completed").containsPattern("bad\\s+0/1\\s+Error");
  }

  @Test
  void deletingAPodOnASimulatedNodeCompletes() {
    Kubectl k = kubectl("1.33");
    String ns = ns(k, "del");
    ok(k.run("run", "d", "--image=x", "-n", ns));
    poll(() -> get(k, ns, "pod/d", "{.status.phase}").equals("Running"), () -> k.run("get", "pod", "d", "-n", ns).toString());
    // kubectl waits until the object is gone: the node must stop the containers and remove it (grace period 30 s).
    ok(k.run("delete", "pod", "d", "-n", ns, "--timeout=45s"));
    assertThat(k.run("get", "pod", "d", "-n", ns).err()).contains("not found");
  }
}
