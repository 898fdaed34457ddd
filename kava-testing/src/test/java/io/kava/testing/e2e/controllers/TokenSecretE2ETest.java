package io.kava.testing.e2e.controllers;

import static io.kava.testing.e2e.E2E.exists;
import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Poll;
import io.kava.testing.e2e.E2E;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token controller: a {@code kubernetes.io/service-account-token} Secret created with kubectl gets a legacy token,
 * the CA and its namespace; real kubectl authenticates with that token until the Secret is deleted; a Secret naming a
 * missing account is deleted.
 */
@Tag("e2e")
class TokenSecretE2ETest {
  static KavaCluster cluster;
  @TempDir static Path dir;

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  private static String secretYaml(String ns, String name, String account) {
    return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: %s
          namespace: %s
          annotations:
            kubernetes.io/service-account.name: %s
        type: kubernetes.io/service-account-token
        """.formatted(name, ns, account);
  }

  /** A kubectl whose only credential is {@code token} (no client certificate, which would win over it). */
  private static Kubectl withToken(String version, String token) throws Exception {
    return E2E.withToken(cluster, version, token, Files.createTempDirectory(dir, "token"));
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void aTokenSecretAuthenticatesUntilItIsDeleted(String v) throws Exception {
    Kubectl k = E2E.kubectl(cluster, v);
    String ns = E2E.name("tokensecret", v);
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "serviceaccount", "robot", "-n", ns));
    ok(k.runWithInput(secretYaml(ns, "robot-token", "robot"), "create", "-f", "-"));
    Poll.until(() -> !E2E.jsonpath(k, ns, "secret", "robot-token", "{.data.token}").isEmpty(),
        () -> k.run("get", "secret", "robot-token", "-n", ns, "-o", "yaml").toString());
    String token = new String(Base64.getDecoder().decode(E2E.jsonpath(k, ns, "secret", "robot-token", "{.data.token}").strip()), StandardCharsets.UTF_8);
    String ca = new String(Base64.getDecoder().decode(E2E.jsonpath(k, ns, "secret", "robot-token", "{.data.ca\\.crt}").strip()), StandardCharsets.UTF_8);
    assertThat(ca).isEqualTo(Files.readString(cluster.server().pki().caCertFile()));
    assertThat(E2E.jsonpath(k, ns, "secret", "robot-token", "{.metadata.annotations.kubernetes\\.io/service-account\\.uid}").strip())
        .isEqualTo(E2E.uid(k, ns, "serviceaccount", "robot"));
    String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(claims).contains("\"iss\":\"kubernetes/serviceaccount\"").doesNotContain("\"exp\"");

    Kubectl as = withToken(v, token);
    assertThat(ok(as.run("auth", "whoami")).out()).contains("system:serviceaccount:" + ns + ":robot");

    ok(k.run("delete", "secret", "robot-token", "-n", ns));
    Poll.until(() -> as.run("auth", "whoami").err().contains("Unauthorized"), () -> as.run("auth", "whoami").toString());

    // A Secret naming an account that does not exist is deleted by the controller.
    ok(k.runWithInput(secretYaml(ns, "ghost-token", "ghost"), "create", "-f", "-"));
    Poll.until(() -> !exists(k, ns, "secret", "ghost-token"), () -> k.run("get", "secret", "ghost-token", "-n", ns, "-o", "yaml").toString());

    // Deleting the account deletes its token Secrets.
    ok(k.runWithInput(secretYaml(ns, "robot-token2", "robot"), "create", "-f", "-"));
    Poll.until(() -> !E2E.jsonpath(k, ns, "secret", "robot-token2", "{.data.token}").isEmpty(), () -> k.run("get", "secret", "robot-token2", "-n", ns, "-o", "yaml").toString());
    ok(k.run("delete", "serviceaccount", "robot", "-n", ns));
    Poll.until(() -> !exists(k, ns, "secret", "robot-token2"), () -> k.run("get", "secret", "robot-token2", "-n", ns, "-o", "yaml").toString());
  }
}
