package io.kava.testing.e2e.workloads;

import static io.kava.testing.e2e.workloads.Workloads.ok;
import static io.kava.testing.e2e.workloads.Workloads.rolloutStatus;
import static io.kava.testing.e2e.workloads.Workloads.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.SimulatedNodes;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The StatefulSet controller on simulated nodes, judged by real kubectl: ordered creation with stable names and
 * claims, rolling updates through ControllerRevisions ({@code rollout status/history/undo}), ordered scale-down
 * that keeps the claims, and the Parallel policy.
 */
@Tag("e2e")
class StatefulSetE2ETest {
  static KavaCluster cluster;
  static Kubectl k;

  @BeforeAll
  static void start() {
    cluster = KavaCluster.start();
    k = Workloads.kubectl(cluster, "1.33");
    SimulatedNodes.start(k, Workloads.DEADLINE, 2);
  }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static String get(String ns, String what, String path) { return Workloads.jsonpath(k, ns, what, path); }

  static String manifest(String name, int replicas, String policy, String image) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: %s}
        spec:
          serviceName: %s
          replicas: %d
          podManagementPolicy: %s
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers: [{name: web, image: "%s"}]
          volumeClaimTemplates:
          - metadata: {name: www}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
        """.formatted(name, name, replicas, policy, name, name, image);
  }

  static List<String> pods(String ns, String app) {
    return ok(k.run("get", "pods", "-n", ns, "-l", "app=" + app, "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image}{\"\\n\"}{end}"))
        .out().lines().sorted().toList();
  }

  static Instant time(String s) { return Instant.parse(s); }

  @Test
  void orderedStableIdentityRollingUpdateUndoAndScaleDown() {
    String ns = "sts";
    ok(k.run("create", "namespace", ns));
    ok(k.runWithInput(manifest("web", 3, "OrderedReady", "nginx:1"), "apply", "--validate=false", "-n", ns, "-f", "-"));
    // The API server defaults rollingUpdate.partition to 0, so kubectl reports a (trivially) partitioned rollout.
    assertThat(rolloutStatus(k, ns, "statefulset/web").out()).contains("partitioned roll out complete: 3 new pods have been updated");
    assertThat(pods(ns, "web")).containsExactly("web-0=nginx:1", "web-1=nginx:1", "web-2=nginx:1");

    // OrderedReady: each pod was created only once its predecessor was Ready.
    for (int i = 1; i < 3; i++) {
      Instant created = time(get(ns, "pod/web-" + i, "{.metadata.creationTimestamp}"));
      Instant prevReady = time(get(ns, "pod/web-" + (i - 1), "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}"));
      assertThat(created).as("web-%d created after web-%d was ready", i, i - 1).isAfterOrEqualTo(prevReady);
    }
    assertThat(get(ns, "pod/web-1", "{.metadata.labels.statefulset\\.kubernetes\\.io/pod-name} {.metadata.labels.apps\\.kubernetes\\.io/pod-index} {.spec.hostname} {.spec.subdomain}"))
        .isEqualTo("web-1 1 web-1 web");
    assertThat(get(ns, "pod/web-1", "{.spec.volumes[?(@.name==\"www\")].persistentVolumeClaim.claimName}")).isEqualTo("www-web-1");
    assertThat(ok(k.run("get", "pvc", "-n", ns, "-o", "name")).out().lines().sorted().toList())
        .containsExactly("persistentvolumeclaim/www-web-0", "persistentvolumeclaim/www-web-1", "persistentvolumeclaim/www-web-2");
    String rev1 = get(ns, "sts/web", "{.status.updateRevision}");
    assertThat(get(ns, "sts/web", "{.status.replicas} {.status.readyReplicas} {.status.currentReplicas} {.status.updatedReplicas} {.status.availableReplicas} {.status.currentRevision}"))
        .isEqualTo("3 3 3 3 3 " + rev1);
    assertThat(ok(k.run("get", "sts", "web", "-n", ns, "--no-headers")).out()).containsPattern("web\\s+3/3");

    ok(k.run("set", "image", "sts/web", "web=nginx:2", "-n", ns));
    assertThat(rolloutStatus(k, ns, "statefulset/web").out()).contains("partitioned roll out complete: 3 new pods have been updated");
    until(() -> pods(ns, "web").equals(List.of("web-0=nginx:2", "web-1=nginx:2", "web-2=nginx:2")), () -> k.run("get", "pods", "-n", ns).out());
    String rev2 = get(ns, "sts/web", "{.status.updateRevision}");
    assertThat(rev2).isNotEqualTo(rev1);
    assertThat(get(ns, "sts/web", "{.status.currentRevision}")).isEqualTo(rev2);
    // Replaced from the highest ordinal down: web-2 got the new revision first.
    assertThat(time(get(ns, "pod/web-2", "{.metadata.creationTimestamp}"))).isBeforeOrEqualTo(time(get(ns, "pod/web-0", "{.metadata.creationTimestamp}")));
    String history = ok(k.run("rollout", "history", "statefulset/web", "-n", ns)).out();
    assertThat(history.lines().filter(l -> l.matches("\\d+\\s+.*")).toList()).hasSize(2);

    ok(k.run("rollout", "undo", "statefulset/web", "-n", ns));
    rolloutStatus(k, ns, "statefulset/web");
    until(() -> pods(ns, "web").equals(List.of("web-0=nginx:1", "web-1=nginx:1", "web-2=nginx:1")), () -> k.run("get", "pods", "-n", ns).out());

    ok(k.run("scale", "sts/web", "--replicas=1", "-n", ns));
    until(() -> pods(ns, "web").equals(List.of("web-0=nginx:1")), () -> k.run("get", "pods", "-n", ns).out());
    assertThat(get(ns, "sts/web", "{.status.replicas}")).isEqualTo("1");
    // Claims outlive the pods (persistentVolumeClaimRetentionPolicy Retain by default).
    assertThat(ok(k.run("get", "pvc", "-n", ns, "-o", "name")).out().lines().count()).isEqualTo(3);
    String events = ok(k.run("get", "events", "-n", ns, "--field-selector", "involvedObject.kind=StatefulSet")).out();
    assertThat(events).contains("create Pod web-0 in StatefulSet web successful").contains("delete Pod web-2 in StatefulSet web successful")
        .contains("create Claim www-web-0 Pod web-0 in StatefulSet web success");
  }

  @Test
  void parallelPolicyAndPartitionedRollout() {
    String ns = "sts-parallel";
    ok(k.run("create", "namespace", ns));
    ok(k.runWithInput(manifest("db", 3, "Parallel", "db:1"), "apply", "--validate=false", "-n", ns, "-f", "-"));
    rolloutStatus(k, ns, "statefulset/db");
    assertThat(pods(ns, "db")).containsExactly("db-0=db:1", "db-1=db:1", "db-2=db:1");
    ok(k.run("patch", "sts", "db", "-n", ns, "-p", "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":2}}}}"));
    ok(k.run("set", "image", "sts/db", "web=db:2", "-n", ns));
    assertThat(rolloutStatus(k, ns, "statefulset/db").out()).contains("partitioned roll out complete: 1 new pods have been updated");
    until(() -> pods(ns, "db").equals(List.of("db-0=db:1", "db-1=db:1", "db-2=db:2")), () -> k.run("get", "pods", "-n", ns).out());
  }

  @Test
  void olderKubectlWatchesAStatefulSetRollout() {
    Kubectl old = Workloads.kubectl(cluster, "1.27");
    String ns = "sts-old";
    ok(old.run("create", "namespace", ns));
    ok(old.runWithInput(manifest("old", 2, "OrderedReady", "x:1"), "apply", "--validate=false", "-n", ns, "-f", "-"));
    assertThat(ok(old.runWithTimeout(null, 100, "rollout", "status", "statefulset/old", "-n", ns, "--timeout=90s")).out())
        .contains("roll out complete: 2 new pods have been updated");
  }
}
