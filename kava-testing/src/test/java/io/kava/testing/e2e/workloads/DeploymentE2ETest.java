package io.kava.testing.e2e.workloads;

import static io.kava.testing.e2e.workloads.Workloads.HASH;
import static io.kava.testing.e2e.workloads.Workloads.jsonpath;
import static io.kava.testing.e2e.workloads.Workloads.ok;
import static io.kava.testing.e2e.workloads.Workloads.rolloutStatus;
import static io.kava.testing.e2e.workloads.Workloads.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The deployment, replica set and garbage collector controllers through kubectl 1.33: creation, rolling and
 * recreating rollouts, scaling, self-healing and cascading deletion. Pods are made Ready by {@link FakeKubelet}.
 */
@Tag("e2e")
class DeploymentE2ETest {
  static KavaCluster cluster;
  static KubernetesClient client;
  static Kubectl k;

  @BeforeAll
  static void start() {
    cluster = KavaCluster.start();
    client = Workloads.client(cluster);
    k = Workloads.kubectl(cluster, "1.33");
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (cluster != null) cluster.close();
  }

  static FakeKubelet namespace(String ns) {
    ok(k.run("create", "namespace", ns));
    return new FakeKubelet(client, ns);
  }

  static List<ReplicaSet> replicaSets(String ns) {
    List<ReplicaSet> l = new ArrayList<>(client.apps().replicaSets().inNamespace(ns).list().getItems());
    l.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
    return l;
  }

  static List<Pod> activePods(String ns, String selector) {
    return client.pods().inNamespace(ns).withLabelSelector(selector).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  static Deployment deployment(String ns, String name) { return client.apps().deployments().inNamespace(ns).withName(name).get(); }

  static String dump(String ns) {
    return k.run("get", "deploy,rs,pods", "-n", ns, "-o", "wide").out() + k.run("describe", "deploy", "-n", ns).out();
  }

  static String image(ReplicaSet rs) { return rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage(); }

  static String deploymentYaml(String name, int replicas, String strategy, String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          strategy: %s
          template:
            metadata: {labels: {app: %s}}
            spec: {containers: [{name: nginx, image: %s}]}
        """.formatted(name, replicas, name, strategy, name, image);
  }

  @Test
  void createDeploymentGivesReadyPodsThroughAReplicaSetNamedByTheTemplateHash() {
    String ns = "deploy-create";
    try (FakeKubelet kubelet = namespace(ns)) {
      ok(k.run("create", "deployment", "web", "--image=nginx", "--replicas=3", "-n", ns));
      assertThat(rolloutStatus(k, ns, "deployment/web").out()).contains("deployment \"web\" successfully rolled out");

      List<ReplicaSet> rss = replicaSets(ns);
      assertThat(rss).hasSize(1);
      ReplicaSet rs = rss.getFirst();
      String hash = rs.getMetadata().getLabels().get("pod-template-hash");
      assertThat(hash).matches(HASH);
      assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
      assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("app", "web").containsEntry("pod-template-hash", hash);
      assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1")
          .containsEntry("deployment.kubernetes.io/desired-replicas", "3").containsEntry("deployment.kubernetes.io/max-replicas", "4");
      Deployment d = deployment(ns, "web");
      assertThat(rs.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
        assertThat(r.getUid()).isEqualTo(d.getMetadata().getUid());
        assertThat(r.getController()).isTrue();
        assertThat(r.getBlockOwnerDeletion()).isTrue();
      });

      List<Pod> pods = activePods(ns, "app=web");
      assertThat(pods).hasSize(3).allSatisfy(p -> {
        assertThat(p.getMetadata().getName()).matches("web-" + hash + "-[a-z0-9]{5}");
        assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
        assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
          assertThat(r.getKind()).isEqualTo("ReplicaSet");
          assertThat(r.getName()).isEqualTo(rs.getMetadata().getName());
          assertThat(r.getBlockOwnerDeletion()).isTrue();
        });
      });

      until(() -> Objects.equals(deployment(ns, "web").getStatus().getAvailableReplicas(), 3), () -> dump(ns));
      Deployment done = deployment(ns, "web");
      assertThat(done.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
      assertThat(done.getStatus().getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
      assertThat(done.getStatus().getReplicas()).isEqualTo(3);
      assertThat(done.getStatus().getUpdatedReplicas()).isEqualTo(3);
      assertThat(done.getStatus().getReadyReplicas()).isEqualTo(3);
      assertThat(jsonpath(k, ns, "deployment/web", "{.status.conditions[?(@.type==\"Available\")].reason}")).isEqualTo("MinimumReplicasAvailable");
      until(() -> jsonpath(k, ns, "deployment/web", "{.status.conditions[?(@.type==\"Progressing\")].reason}").equals("NewReplicaSetAvailable"),
          () -> dump(ns));
      assertThat(ok(k.run("get", "deployment", "web", "-n", ns)).out()).containsPattern("web\\s+3/3\\s+3\\s+3\\s+");
      assertThat(ok(k.run("describe", "deployment", "web", "-n", ns)).out())
          .containsPattern("Normal\\s+ScalingReplicaSet\\s+.*deployment-controller\\s+Scaled up replica set web-" + hash + " from 0 to 3")
          .contains("NewReplicaSet:   web-" + hash + " (3/3 replicas created)");
      assertThat(ok(k.run("describe", "replicaset", rs.getMetadata().getName(), "-n", ns)).out())
          .containsPattern("Normal\\s+SuccessfulCreate\\s+.*replicaset-controller\\s+Created pod: web-" + hash + "-");
    }
  }

  @Test
  void setImageRollsWithinMaxSurgeAndMaxUnavailable() {
    String ns = "deploy-rolling";
    try (FakeKubelet kubelet = namespace(ns)) {
      ok(k.runWithInput(deploymentYaml("web", 4, "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}", "nginx:1.24"),
          "apply", "-n", ns, "-f", "-"));
      rolloutStatus(k, ns, "deployment/web");
      try (PodWatch watch = new PodWatch(client, ns, "app=web", pods -> true)) {
        watch.reset();
        ok(k.run("set", "image", "deployment/web", "nginx=nginx:1.25", "-n", ns));
        rolloutStatus(k, ns, "deployment/web");
        until(() -> activePods(ns, "app=web").size() == 4
            && activePods(ns, "app=web").stream().allMatch(p -> p.getSpec().getContainers().getFirst().getImage().equals("nginx:1.25")),
            () -> dump(ns));
        assertThat(watch.maxActive()).as("replicas + maxSurge\n" + watch.history()).isLessThanOrEqualTo(5);
        assertThat(watch.minReady()).as("replicas - maxUnavailable\n" + watch.history()).isGreaterThanOrEqualTo(3);
      }
      List<ReplicaSet> rss = replicaSets(ns);
      assertThat(rss).hasSize(2);
      ReplicaSet newRS = rss.stream().filter(r -> image(r).equals("nginx:1.25")).findFirst().orElseThrow();
      ReplicaSet oldRS = rss.stream().filter(r -> image(r).equals("nginx:1.24")).findFirst().orElseThrow();
      assertThat(newRS.getSpec().getReplicas()).isEqualTo(4);
      assertThat(oldRS.getSpec().getReplicas()).isZero();
      assertThat(newRS.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
      assertThat(deployment(ns, "web").getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
      assertThat(ok(k.run("describe", "deployment", "web", "-n", ns)).out())
          .contains("Scaled up replica set " + newRS.getMetadata().getName() + " from 0 to 1")
          .contains("Scaled down replica set " + oldRS.getMetadata().getName() + " from 4 to 3");
    }
  }

  @Test
  void scaleIsProportionalDuringARollout() {
    String ns = "deploy-scale";
    try (FakeKubelet kubelet = namespace(ns)) {
      ok(k.run("create", "deployment", "web", "--image=nginx:1.24", "--replicas=2", "-n", ns));
      rolloutStatus(k, ns, "deployment/web");
      ok(k.run("scale", "deployment/web", "--replicas=5", "-n", ns));
      until(() -> activePods(ns, "app=web").size() == 5, () -> dump(ns));
      rolloutStatus(k, ns, "deployment/web");
      assertThat(replicaSets(ns)).singleElement().satisfies(rs -> assertThat(rs.getSpec().getReplicas()).isEqualTo(5));

      // New pods never become ready: the rollout stops part way (surge 2, unavailable 1 of 5).
      kubelet.hold();
      ok(k.run("set", "image", "deployment/web", "nginx=nginx:1.25", "-n", ns));
      until(() -> replicaSets(ns).size() == 2 && replicaSets(ns).stream().mapToInt(r -> r.getSpec().getReplicas()).sum() == 7
          && Objects.equals(deployment(ns, "web").getStatus().getObservedGeneration(), deployment(ns, "web").getMetadata().getGeneration()),
          () -> dump(ns));
      ok(k.run("scale", "deployment/web", "--replicas=10", "-n", ns));
      // 10 + 3 surge = 13 shared out by size: both replica sets grow, and each records the new size it was scaled for.
      until(() -> replicaSets(ns).stream().mapToInt(r -> r.getSpec().getReplicas()).sum() == 13
          && replicaSets(ns).stream().allMatch(r -> "10".equals(r.getMetadata().getAnnotations().get("deployment.kubernetes.io/desired-replicas"))),
          () -> dump(ns));
      assertThat(replicaSets(ns)).allSatisfy(rs -> assertThat(rs.getSpec().getReplicas()).isGreaterThan(3));

      kubelet.readyAll();
      rolloutStatus(k, ns, "deployment/web");
      until(() -> activePods(ns, "app=web").size() == 10, () -> dump(ns));
      assertThat(replicaSets(ns)).extracting(r -> image(r) + "=" + r.getSpec().getReplicas())
          .containsExactlyInAnyOrder("nginx:1.24=0", "nginx:1.25=10");
    }
  }

  @Test
  void aDeletedPodIsReplaced() {
    String ns = "deploy-heal";
    try (FakeKubelet kubelet = namespace(ns)) {
      ok(k.run("create", "deployment", "web", "--image=nginx", "--replicas=3", "-n", ns));
      rolloutStatus(k, ns, "deployment/web");
      List<String> before = activePods(ns, "app=web").stream().map(p -> p.getMetadata().getName()).toList();
      ok(k.run("delete", "pod", before.getFirst(), "-n", ns));
      until(() -> {
        List<String> now = activePods(ns, "app=web").stream().map(p -> p.getMetadata().getName()).toList();
        return now.size() == 3 && !now.contains(before.getFirst());
      }, () -> dump(ns));
      rolloutStatus(k, ns, "deployment/web");
      assertThat(ok(k.run("describe", "replicaset", "-n", ns)).out()).contains("Created pod: ");
    }
  }

  @Test
  void deletingTheDeploymentRemovesItsReplicaSetsAndPods() {
    String ns = "deploy-delete";
    try (FakeKubelet kubelet = namespace(ns)) {
      ok(k.run("create", "deployment", "web", "--image=nginx:1", "--replicas=2", "-n", ns));
      rolloutStatus(k, ns, "deployment/web");
      ok(k.run("set", "image", "deployment/web", "nginx=nginx:2", "-n", ns));
      rolloutStatus(k, ns, "deployment/web");
      assertThat(replicaSets(ns)).hasSize(2);
      ok(k.run("delete", "deployment", "web", "-n", ns));
      until(() -> replicaSets(ns).isEmpty() && client.pods().inNamespace(ns).list().getItems().isEmpty(), () -> dump(ns));
    }
  }

  @Test
  void recreateStopsEveryOldPodBeforeStartingNewOnes() {
    String ns = "deploy-recreate";
    try (FakeKubelet kubelet = namespace(ns)) {
      ok(k.runWithInput(deploymentYaml("web", 3, "{type: Recreate}", "nginx:1.24"), "apply", "-n", ns, "-f", "-"));
      rolloutStatus(k, ns, "deployment/web");
      String oldHash = replicaSets(ns).getFirst().getMetadata().getLabels().get("pod-template-hash");
      // At no time may pods of the old and the new template both exist.
      try (PodWatch watch = new PodWatch(client, ns, "app=web", pods -> pods.values().stream()
          .map(p -> p.getMetadata().getLabels().get("pod-template-hash")).distinct().count() <= 1)) {
        watch.reset();
        ok(k.run("set", "image", "deployment/web", "nginx=nginx:1.25", "-n", ns));
        rolloutStatus(k, ns, "deployment/web");
        until(() -> activePods(ns, "app=web").size() == 3
            && activePods(ns, "app=web").stream().noneMatch(p -> oldHash.equals(p.getMetadata().getLabels().get("pod-template-hash"))),
            () -> dump(ns));
        assertThat(watch.violations()).as(watch.history()).isEmpty();
        assertThat(watch.maxActive()).isLessThanOrEqualTo(3);
      }
      assertThat(ok(k.run("describe", "deployment", "web", "-n", ns)).out()).containsPattern("StrategyType:\\s+Recreate")
          .contains("Scaled down replica set web-" + oldHash + " from 3 to 0");
    }
  }

  @Test
  void aSelectorMatchingAnOrphanReplicaSetAdoptsIt() {
    String ns = "deploy-adopt";
    try (FakeKubelet kubelet = namespace(ns)) {
      // A replica set made by hand with the template the deployment will have: the deployment takes it as its own.
      ok(k.runWithInput(deploymentYaml("web", 2, "{type: RollingUpdate}", "nginx"), "apply", "-n", ns, "-f", "-"));
      rolloutStatus(k, ns, "deployment/web");
      ReplicaSet rs = replicaSets(ns).getFirst();
      ok(k.run("delete", "deployment", "web", "-n", ns, "--cascade=orphan"));
      until(() -> replicaSets(ns).getFirst().getMetadata().getOwnerReferences().isEmpty(), () -> dump(ns));
      ok(k.runWithInput(deploymentYaml("web", 2, "{type: RollingUpdate}", "nginx"), "apply", "-n", ns, "-f", "-"));
      until(() -> {
        var refs = replicaSets(ns).getFirst().getMetadata().getOwnerReferences();
        return refs.size() == 1 && refs.getFirst().getUid().equals(deployment(ns, "web").getMetadata().getUid());
      }, () -> dump(ns));
      rolloutStatus(k, ns, "deployment/web");
      assertThat(replicaSets(ns)).singleElement().satisfies(r -> {
        assertThat(r.getMetadata().getName()).isEqualTo(rs.getMetadata().getName());
        assertThat(r.getMetadata().getOwnerReferences().getFirst().getBlockOwnerDeletion()).isTrue();
      });
      assertThat(activePods(ns, "app=web")).hasSize(2);
    }
  }
  @Test
  void aRolloutWithoutProgressExceedsItsDeadline() {
    String ns = "deploy-deadline";
    try (FakeKubelet kubelet = namespace(ns)) {
      ok(k.run("create", "deployment", "web", "--image=nginx:1.24", "--replicas=2", "-n", ns));
      rolloutStatus(k, ns, "deployment/web");
      ok(k.run("patch", "deployment/web", "-n", ns, "-p", "{\"spec\":{\"progressDeadlineSeconds\":3}}"));
      kubelet.hold();
      ok(k.run("set", "image", "deployment/web", "nginx=nginx:1.25", "-n", ns));
      until(() -> jsonpath(k, ns, "deployment/web", "{.status.conditions[?(@.type==\"Progressing\")].reason}").equals("ProgressDeadlineExceeded"),
          () -> dump(ns));
      assertThat(jsonpath(k, ns, "deployment/web", "{.status.conditions[?(@.type==\"Progressing\")].status}")).isEqualTo("False");
      assertThat(jsonpath(k, ns, "deployment/web", "{.status.conditions[?(@.type==\"Progressing\")].message}"))
          .matches("ReplicaSet \"web-" + HASH + "\" has timed out progressing.");
      Kubectl.Result r = k.run("rollout", "status", "deployment/web", "-n", ns);
      assertThat(r.exitCode()).as(r.toString()).isNotZero();
      assertThat(r.err()).contains("deployment \"web\" exceeded its progress deadline");
      // Still available: the old pods were kept (maxUnavailable 25% of 2 rounds down to 0).
      assertThat(jsonpath(k, ns, "deployment/web", "{.status.conditions[?(@.type==\"Available\")].status}")).isEqualTo("True");

      kubelet.readyAll();
      until(() -> jsonpath(k, ns, "deployment/web", "{.status.conditions[?(@.type==\"Progressing\")].reason}").equals("NewReplicaSetAvailable"),
          () -> dump(ns));
      rolloutStatus(k, ns, "deployment/web");
    }
  }
}
