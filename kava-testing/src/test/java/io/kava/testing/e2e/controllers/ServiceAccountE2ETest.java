package io.kava.testing.e2e.controllers;

import static io.kava.testing.e2e.E2E.exists;
import static io.kava.testing.e2e.E2E.ok;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Poll;
import io.kava.testing.e2e.E2E;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The service account controller: every namespace has a "default" ServiceAccount, even after it is deleted. */
@Tag("e2e")
class ServiceAccountE2ETest {
  static KavaCluster cluster;

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void aNewNamespaceGetsADefaultServiceAccountWhichComesBack(String v) {
    Kubectl k = E2E.kubectl(cluster, v);
    String ns = E2E.name("sa", v);
    ok(k.run("create", "namespace", ns));
    Poll.until(() -> exists(k, ns, "serviceaccount", "default"), () -> k.run("get", "serviceaccounts", "-n", ns).toString());
    String firstUid = E2E.uid(k, ns, "serviceaccount", "default");
    ok(k.run("delete", "serviceaccount", "default", "-n", ns));
    Poll.until(() -> exists(k, ns, "serviceaccount", "default") && !E2E.uid(k, ns, "serviceaccount", "default").equals(firstUid),
        () -> k.run("get", "serviceaccounts", "-n", ns, "-o", "yaml").toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default", "kube-system", "kube-public", "kube-node-lease"})
  void theBuiltInNamespacesHaveOne(String ns) {
    Kubectl k = E2E.kubectl(cluster, "1.33");
    Poll.until(() -> exists(k, ns, "serviceaccount", "default"), () -> k.run("get", "serviceaccounts", "-n", ns).toString());
  }
}
