package io.kava.testing.e2e.controllers;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import io.kava.testing.Poll;
import io.kava.testing.e2e.E2E;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The namespace controller through the real kubectl: deleting a namespace removes its content, then the namespace. */
@Tag("e2e")
class NamespaceDeletionE2ETest {
  static KavaCluster cluster;

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static Kubectl kubectl(String version) { return E2E.kubectl(cluster, version); }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void deleteNamespaceRemovesContentAndNamespace(String v) {
    Kubectl k = kubectl(v);
    String ns = E2E.name("doomed", v);
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "configmap", "cfg", "--from-literal=a=b", "-n", ns));
    ok(k.run("create", "secret", "generic", "s", "--from-literal=p=q", "-n", ns));
    ok(k.run("create", "deployment", "web", "--image=nginx", "-n", ns));
    ok(k.run("expose", "deployment", "web", "--port=80", "-n", ns));

    long t0 = System.nanoTime();
    // kubectl waits until the namespace is gone (--wait defaults to true).
    assertThat(ok(k.run("delete", "namespace", ns)).out()).contains("namespace \"" + ns + "\" deleted");
    long millis = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("kubectl %s delete namespace %s took %d ms%n", v, ns, millis);

    Result gone = k.run("get", "namespace", ns);
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.err()).contains("namespaces \"" + ns + "\" not found");
    // Nothing of the content survived (a namespace re-created with the same name starts empty).
    ok(k.run("create", "namespace", ns));
    assertThat(ok(k.run("get", "configmaps,secrets,deployments,services", "-n", ns, "-o", "name")).out())
        .doesNotContain("configmap/cfg").doesNotContain("secret/s").doesNotContain("deployment.apps/web").doesNotContain("service/web");
    ok(k.run("delete", "namespace", ns));
  }

  @Test
  void contentWithFinalizerKeepsTheNamespaceUntilReleased() {
    Kubectl k = kubectl("1.33");
    String ns = "held";
    ok(k.run("create", "namespace", ns));
    E2E.createConfigMap(k, ns, "sticky", null, "[\"example.com/hold\"]");
    ok(k.run("delete", "namespace", ns, "--wait=false"));

    // The namespace reports why it waits, in upstream's words.
    Poll.until(() -> k.run("get", "namespace", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"NamespaceFinalizersRemaining\")].message}")
            .out().contains("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances"),
        () -> k.run("get", "namespace", ns, "-o", "yaml").out());
    assertThat(ok(k.run("get", "namespace", ns, "-o", "jsonpath={.status.phase}|{.status.conditions[?(@.type==\"NamespaceContentRemaining\")].message}")).out())
        .isEqualTo("Terminating|Some resources are remaining: configmaps. has 1 resource instances");
    assertThat(ok(k.run("get", "configmap", "sticky", "-n", ns, "-o", "jsonpath={.metadata.deletionTimestamp}")).out()).isNotEmpty();

    ok(k.run("patch", "configmap", "sticky", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}"));
    Poll.until(() -> k.run("get", "namespace", ns).err().contains("not found"), () -> k.run("get", "namespace", ns, "-o", "yaml").toString());
  }
}
