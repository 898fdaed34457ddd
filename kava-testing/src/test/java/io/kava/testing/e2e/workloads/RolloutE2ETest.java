package io.kava.testing.e2e.workloads;

import static io.kava.testing.e2e.workloads.Workloads.jsonpath;
import static io.kava.testing.e2e.workloads.Workloads.ok;
import static io.kava.testing.e2e.workloads.Workloads.rolloutStatus;
import static io.kava.testing.e2e.workloads.Workloads.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl rollout status|history|undo|pause|resume|restart} of kubectl 1.27, 1.30 and 1.33. kubectl does the
 * undo itself (it copies an old ReplicaSet's template and annotations into the Deployment); the controller then
 * revives that ReplicaSet under the next revision.
 */
@Tag("e2e")
class RolloutE2ETest {
  static KavaCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = KavaCluster.start();
    client = Workloads.client(cluster);
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (cluster != null) cluster.close();
  }

  static List<ReplicaSet> replicaSets(String ns) { return client.apps().replicaSets().inNamespace(ns).list().getItems(); }

  static ReplicaSet withImage(String ns, String image) {
    return replicaSets(ns).stream().filter(r -> r.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().equals(image))
        .findFirst().orElseThrow(() -> new AssertionError("no replica set with " + image + " in " + replicaSets(ns)));
  }

  static String revision(ReplicaSet rs) { return rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"); }

  static String image(Kubectl k, String ns) { return jsonpath(k, ns, "deployment/web", "{.spec.template.spec.containers[0].image}"); }

  static boolean observed(Kubectl k, String ns) {
    return jsonpath(k, ns, "deployment/web", "{.metadata.generation}").equals(jsonpath(k, ns, "deployment/web", "{.status.observedGeneration}"));
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void historyUndoPauseResumeRestart(String v) {
    Kubectl k = Workloads.kubectl(cluster, v);
    String ns = "rollout-" + v.replace(".", "-");
    ok(k.run("create", "namespace", ns));
    try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
      ok(k.run("create", "deployment", "web", "--image=nginx:1.24", "--replicas=2", "-n", ns));
      assertThat(rolloutStatus(k, ns, "deployment/web").out()).contains("successfully rolled out");

      // A second revision with a change cause; the controller copies it to the new ReplicaSet.
      ok(k.run("annotate", "deployment/web", "kubernetes.io/change-cause=to 1.25", "-n", ns));
      ok(k.run("set", "image", "deployment/web", "nginx=nginx:1.25", "-n", ns));
      rolloutStatus(k, ns, "deployment/web");
      assertThat(revision(withImage(ns, "nginx:1.25"))).isEqualTo("2");
      assertThat(withImage(ns, "nginx:1.25").getMetadata().getAnnotations()).containsEntry("kubernetes.io/change-cause", "to 1.25");
      String history = ok(k.run("rollout", "history", "deployment/web", "-n", ns)).out();
      assertThat(history).containsPattern("REVISION\\s+CHANGE-CAUSE").containsPattern("(?m)^1\\s+").containsPattern("(?m)^2\\s+to 1.25");
      assertThat(ok(k.run("rollout", "history", "deployment/web", "-n", ns, "--revision=2")).out()).contains("nginx:1.25");

      // Undo: back to revision 1's template, which becomes revision 3 (its old number kept in revision-history).
      assertThat(ok(k.run("rollout", "undo", "deployment/web", "-n", ns)).out()).contains("rolled back");
      rolloutStatus(k, ns, "deployment/web");
      assertThat(image(k, ns)).isEqualTo("nginx:1.24");
      until(() -> "3".equals(revision(withImage(ns, "nginx:1.24"))), () -> replicaSets(ns).toString());
      assertThat(withImage(ns, "nginx:1.24").getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision-history", "1");
      until(() -> "3".equals(jsonpath(k, ns, "deployment/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}")),
          () -> k.run("get", "deployment/web", "-n", ns, "-o", "yaml").out());
      assertThat(replicaSets(ns)).hasSize(2);
      assertThat(ok(k.run("rollout", "history", "deployment/web", "-n", ns)).out()).containsPattern("(?m)^2\\s+").containsPattern("(?m)^3\\s+")
          .doesNotContainPattern("(?m)^1\\s+");

      // Paused: a template change is recorded but not rolled out.
      ok(k.run("rollout", "pause", "deployment/web", "-n", ns));
      ok(k.run("set", "image", "deployment/web", "nginx=nginx:1.26", "-n", ns));
      until(() -> observed(k, ns), () -> k.run("get", "deployment/web", "-n", ns, "-o", "yaml").out());
      assertThat(jsonpath(k, ns, "deployment/web", "{.status.conditions[?(@.type==\"Progressing\")].reason}")).isEqualTo("DeploymentPaused");
      assertThat(replicaSets(ns)).hasSize(2);
      ok(k.run("rollout", "resume", "deployment/web", "-n", ns));
      rolloutStatus(k, ns, "deployment/web");
      assertThat(revision(withImage(ns, "nginx:1.26"))).isEqualTo("4");
      assertThat(withImage(ns, "nginx:1.26").getSpec().getReplicas()).isEqualTo(2);

      // Restart: a new template annotation, so a new ReplicaSet with the same image.
      ok(k.run("rollout", "restart", "deployment/web", "-n", ns));
      rolloutStatus(k, ns, "deployment/web");
      assertThat(jsonpath(k, ns, "deployment/web", "{.spec.template.metadata.annotations}")).contains("kubectl.kubernetes.io/restartedAt");
      until(() -> replicaSets(ns).stream().filter(r -> Objects.equals(revision(r), "5")).count() == 1, () -> replicaSets(ns).toString());
      ReplicaSet restarted = replicaSets(ns).stream().filter(r -> "5".equals(revision(r))).findFirst().orElseThrow();
      assertThat(restarted.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("nginx:1.26");
      assertThat(restarted.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("kubectl.kubernetes.io/restartedAt");
      until(() -> Objects.equals(restarted.getSpec().getReplicas(), client.apps().replicaSets().inNamespace(ns)
          .withName(restarted.getMetadata().getName()).get().getStatus().getAvailableReplicas()), () -> replicaSets(ns).toString());
      assertThat(replicaSets(ns)).filteredOn(r -> r != restarted && !r.getMetadata().getName().equals(restarted.getMetadata().getName()))
          .allSatisfy(r -> assertThat(r.getSpec().getReplicas()).isZero());
    }
  }
}
