package io.kava.testing.e2e.workloads;

import static io.kava.testing.e2e.workloads.Workloads.jsonpath;
import static io.kava.testing.e2e.workloads.Workloads.ok;
import static io.kava.testing.e2e.workloads.Workloads.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** core/v1 ReplicationControllers run by the replication manager, through kubectl 1.27 and 1.33. */
@Tag("e2e")
class ReplicationControllerE2ETest {
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

  static List<Pod> pods(String ns) {
    return client.pods().inNamespace(ns).list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void keepsReplicasScalesHealsAndCascades(String v) {
    Kubectl k = Workloads.kubectl(cluster, v);
    String ns = "rc-" + v.replace(".", "-");
    ok(k.run("create", "namespace", ns));
    try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
      ok(k.runWithInput("""
          apiVersion: v1
          kind: ReplicationController
          metadata: {name: nginx}
          spec:
            replicas: 2
            selector: {app: nginx}
            template:
              metadata: {labels: {app: nginx}}
              spec: {containers: [{name: nginx, image: nginx}]}
          """, "apply", "-n", ns, "-f", "-"));
      until(() -> jsonpath(k, ns, "rc/nginx", "{.status.availableReplicas}").equals("2"), () -> k.run("get", "rc,pods", "-n", ns, "-o", "yaml").out());
      assertThat(jsonpath(k, ns, "rc/nginx", "{.status.replicas} {.status.fullyLabeledReplicas} {.status.readyReplicas} {.status.observedGeneration}"))
          .isEqualTo("2 2 2 1");
      assertThat(ok(k.run("get", "rc", "nginx", "-n", ns)).out()).containsPattern("nginx\\s+2\\s+2\\s+2\\s+");
      String uid = jsonpath(k, ns, "rc/nginx", "{.metadata.uid}");
      assertThat(pods(ns)).hasSize(2).allSatisfy(p -> {
        assertThat(p.getMetadata().getName()).matches("nginx-[a-z0-9]{5}");
        assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
          assertThat(r.getKind()).isEqualTo("ReplicationController");
          assertThat(r.getApiVersion()).isEqualTo("v1");
          assertThat(r.getUid()).isEqualTo(uid);
          assertThat(r.getController()).isTrue();
          assertThat(r.getBlockOwnerDeletion()).isTrue();
        });
      });
      assertThat(ok(k.run("describe", "rc", "nginx", "-n", ns)).out())
          .containsPattern("Normal\\s+SuccessfulCreate\\s+.*replication-controller\\s+Created pod: nginx-");

      ok(k.run("scale", "rc", "nginx", "--replicas=3", "-n", ns));
      until(() -> pods(ns).size() == 3 && jsonpath(k, ns, "rc/nginx", "{.status.readyReplicas}").equals("3"),
          () -> k.run("get", "rc,pods", "-n", ns).out());
      String victim = pods(ns).getFirst().getMetadata().getName();
      ok(k.run("delete", "pod", victim, "-n", ns));
      until(() -> pods(ns).size() == 3 && pods(ns).stream().noneMatch(p -> p.getMetadata().getName().equals(victim)),
          () -> k.run("get", "rc,pods", "-n", ns).out());

      ok(k.run("delete", "rc", "nginx", "-n", ns));
      until(() -> client.pods().inNamespace(ns).list().getItems().isEmpty(), () -> k.run("get", "pods", "-n", ns).out());
    }
  }
}
