package io.kava.testing.e2e.workloads;

import static io.kava.testing.e2e.workloads.Workloads.jsonpath;
import static io.kava.testing.e2e.workloads.Workloads.ok;
import static io.kava.testing.e2e.workloads.Workloads.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The ReplicaSet controller on its own, through kubectl 1.33. */
@Tag("e2e")
class ReplicaSetE2ETest {
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

  static String rsYaml(int replicas, int minReadySeconds) {
    return """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: frontend}
        spec:
          replicas: %d
          minReadySeconds: %d
          selector: {matchLabels: {tier: frontend}}
          template:
            metadata: {labels: {tier: frontend, app: guestbook}}
            spec: {containers: [{name: php, image: php:8}]}
        """.formatted(replicas, minReadySeconds);
  }

  static List<Pod> pods(String ns) {
    return client.pods().inNamespace(ns).list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  static Set<String> names(List<Pod> pods) { return pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet()); }

  static ReplicaSetStatus status(String ns) { return client.apps().replicaSets().inNamespace(ns).withName("frontend").get().getStatus(); }

  static String dump(String ns) {
    return k.run("get", "rs,pods", "-n", ns, "-o", "wide", "--show-labels").out() + k.run("get", "rs", "-n", ns, "-o", "yaml").out();
  }

  static OwnerReference controllerOf(Pod p) {
    return p.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(null);
  }

  static FakeKubelet namespace(String ns) {
    ok(k.run("create", "namespace", ns));
    return new FakeKubelet(client, ns);
  }

  @Test
  void keepsItsPodsAndReportsThem() {
    String ns = "rs-basic";
    try (FakeKubelet kubelet = namespace(ns)) {
      ok(k.runWithInput(rsYaml(3, 0), "apply", "-n", ns, "-f", "-"));
      until(() -> Objects.equals(status(ns).getAvailableReplicas(), 3), () -> dump(ns));
      ReplicaSetStatus s = status(ns);
      assertThat(s.getReplicas()).isEqualTo(3);
      assertThat(s.getFullyLabeledReplicas()).isEqualTo(3);
      assertThat(s.getReadyReplicas()).isEqualTo(3);
      assertThat(s.getObservedGeneration()).isEqualTo(1);
      String uid = jsonpath(k, ns, "rs/frontend", "{.metadata.uid}");
      assertThat(pods(ns)).hasSize(3).allSatisfy(p -> {
        assertThat(p.getMetadata().getName()).matches("frontend-[a-z0-9]{5}");
        assertThat(p.getMetadata().getGenerateName()).isEqualTo("frontend-");
        assertThat(p.getMetadata().getLabels()).containsEntry("tier", "frontend").containsEntry("app", "guestbook");
        OwnerReference ref = controllerOf(p);
        assertThat(ref.getUid()).isEqualTo(uid);
        assertThat(ref.getKind()).isEqualTo("ReplicaSet");
        assertThat(ref.getBlockOwnerDeletion()).isTrue();
      });
      assertThat(ok(k.run("get", "rs", "frontend", "-n", ns)).out()).containsPattern("frontend\\s+3\\s+3\\s+3\\s+");
      assertThat(ok(k.run("describe", "rs", "frontend", "-n", ns)).out())
          .containsPattern("Normal\\s+SuccessfulCreate\\s+.*replicaset-controller\\s+Created pod: frontend-")
          .contains("Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed");

      ok(k.run("scale", "rs", "frontend", "--replicas=1", "-n", ns));
      until(() -> pods(ns).size() == 1 && Objects.equals(status(ns).getReplicas(), 1)
          && Objects.equals(status(ns).getObservedGeneration(), 2L), () -> dump(ns));
      assertThat(ok(k.run("describe", "rs", "frontend", "-n", ns)).out())
          .containsPattern("Normal\\s+SuccessfulDelete\\s+.*replicaset-controller\\s+Deleted pod: frontend-");

      String survivor = pods(ns).getFirst().getMetadata().getName();
      ok(k.run("delete", "pod", survivor, "-n", ns));
      until(() -> pods(ns).size() == 1 && !names(pods(ns)).contains(survivor), () -> dump(ns));

      ok(k.run("delete", "rs", "frontend", "-n", ns));
      until(() -> client.pods().inNamespace(ns).list().getItems().isEmpty(), () -> dump(ns));
    }
  }

  @Test
  void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
    String ns = "rs-adopt";
    try (FakeKubelet kubelet = namespace(ns)) {
      // Matches the selector but lacks the template's app label: adopted, counted, but not "fully labeled".
      ok(k.run("run", "orphan", "--image=php:8", "--labels=tier=frontend", "-n", ns));
      ok(k.runWithInput(rsYaml(2, 0), "apply", "-n", ns, "-f", "-"));
      String uid = jsonpath(k, ns, "rs/frontend", "{.metadata.uid}");
      until(() -> pods(ns).size() == 2 && Objects.equals(status(ns).getReplicas(), 2), () -> dump(ns));
      Pod orphan = client.pods().inNamespace(ns).withName("orphan").get();
      OwnerReference ref = controllerOf(orphan);
      assertThat(ref).isNotNull();
      assertThat(ref.getUid()).isEqualTo(uid);
      assertThat(ref.getBlockOwnerDeletion()).isTrue();
      until(() -> Objects.equals(status(ns).getFullyLabeledReplicas(), 1), () -> dump(ns));

      // No longer matching: released (our reference removed) and replaced.
      ok(k.run("label", "pod", "orphan", "tier=other", "--overwrite", "-n", ns));
      until(() -> client.pods().inNamespace(ns).withName("orphan").get().getMetadata().getOwnerReferences().isEmpty()
          && pods(ns).stream().filter(p -> "frontend".equals(p.getMetadata().getLabels().get("tier"))).count() == 2, () -> dump(ns));
      until(() -> Objects.equals(status(ns).getFullyLabeledReplicas(), 2), () -> dump(ns));
      assertThat(pods(ns)).hasSize(3);
    }
  }

  @Test
  void scalingDownRemovesPodsThatAreNotReadyFirst() {
    String ns = "rs-rank";
    try (FakeKubelet kubelet = namespace(ns)) {
      ok(k.runWithInput(rsYaml(2, 0), "apply", "-n", ns, "-f", "-"));
      until(() -> Objects.equals(status(ns).getReadyReplicas(), 2), () -> dump(ns));
      Set<String> ready = names(pods(ns));
      kubelet.hold();
      ok(k.run("scale", "rs", "frontend", "--replicas=4", "-n", ns));
      until(() -> pods(ns).size() == 4 && Objects.equals(status(ns).getReplicas(), 4), () -> dump(ns));
      ok(k.run("scale", "rs", "frontend", "--replicas=2", "-n", ns));
      until(() -> pods(ns).size() == 2, () -> dump(ns));
      assertThat(names(pods(ns))).isEqualTo(ready);
    }
  }

  @Test
  void minReadySecondsDelaysAvailability() {
    String ns = "rs-minready";
    try (FakeKubelet kubelet = namespace(ns)) {
      List<ReplicaSetStatus> seen = new CopyOnWriteArrayList<>();
      SharedIndexInformer<ReplicaSet> inf = client.apps().replicaSets().inNamespace(ns).inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(ReplicaSet rs) { if (rs.getStatus() != null) seen.add(rs.getStatus()); }

        @Override
        public void onUpdate(ReplicaSet old, ReplicaSet rs) { if (rs.getStatus() != null) seen.add(rs.getStatus()); }

        @Override
        public void onDelete(ReplicaSet rs, boolean unknown) {}
      }, 0);
      try (inf) {
        ok(k.runWithInput(rsYaml(2, 4), "apply", "-n", ns, "-f", "-"));
        until(() -> Objects.equals(status(ns).getAvailableReplicas(), 2), () -> dump(ns));
        // The controller reported both pods ready before it reported them available.
        assertThat(seen).anySatisfy(s -> {
          assertThat(s.getReadyReplicas()).isEqualTo(2);
          assertThat(s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas()).isLessThan(2);
        });
      }
    }
  }
}
