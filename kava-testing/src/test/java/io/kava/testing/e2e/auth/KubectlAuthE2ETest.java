package io.kava.testing.e2e.auth;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import io.kava.testing.Poll;
import io.kava.testing.e2e.E2E;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl auth can-i}, {@code auth whoami} and {@code create token} through the real kubectl 1.27 and 1.33:
 * the reviews answer with kava's authorizer and authenticator, and an issued token authenticates as its service
 * account (requests and TokenReview) until the account is deleted.
 */
@Tag("e2e")
class KubectlAuthE2ETest {
  static KavaCluster cluster;

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static Kubectl kubectl(String version) { return E2E.kubectl(cluster, version); }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void canIAnswersWithKavasAuthorizer(String v) {
    Kubectl k = kubectl(v);
    assertThat(ok(k.run("auth", "can-i", "create", "pods")).out().strip()).isEqualTo("yes");
    assertThat(ok(k.run("auth", "can-i", "delete", "nodes")).out().strip()).isEqualTo("yes");
    assertThat(ok(k.run("auth", "can-i", "get", "/healthz")).out().strip()).isEqualTo("yes");
    assertThat(ok(k.run("auth", "can-i", "--list")).out()).containsPattern("\\*\\.\\*\\s+\\[\\]\\s+\\[\\]\\s+\\[\\*\\]");
    // reviews are answered, never stored: nothing to list
    Result list = k.run("get", "selfsubjectaccessreviews");
    assertThat(list.exitCode()).as(list.toString()).isNotZero();
    assertThat(list.err()).contains("MethodNotAllowed");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void whoamiReportsTheAdmin(String v) {
    String out = ok(kubectl(v).run("auth", "whoami")).out();
    assertThat(out).containsPattern("Username\\s+kava-admin");
    assertThat(out).containsPattern("Groups\\s+\\[system:masters system:authenticated\\]");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void createdTokensAuthenticateUntilTheAccountIsDeleted(String v) throws IOException {
    Kubectl k = kubectl(v);
    // the default account comes from the service-account controller, shortly after start
    Poll.until(() -> k.run("get", "serviceaccount", "default").ok(), () -> "the default service account");
    String defaultToken = ok(k.run("create", "token", "default")).out().strip();
    assertThat(defaultToken).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    Kubectl asDefault = withToken(k, "default-" + v, defaultToken);
    ok(asDefault.run("get", "pods"));
    assertThat(ok(asDefault.run("auth", "whoami")).out()).containsPattern("Username\\s+system:serviceaccount:default:default");

    String sa = "robot-" + v.replace(".", "-");
    ok(k.run("create", "serviceaccount", sa));
    String token = ok(k.run("create", "token", sa, "--duration=20m")).out().strip();
    Kubectl asRobot = withToken(k, sa, token);
    assertThat(ok(asRobot.run("auth", "whoami")).out())
        .containsPattern("Username\\s+system:serviceaccount:default:" + sa)
        .containsPattern("Groups\\s+\\[system:serviceaccounts system:serviceaccounts:default system:authenticated\\]");
    assertThat(ok(asRobot.run("auth", "can-i", "create", "pods")).out().strip()).isEqualTo("yes");
    // TokenReview asks the same authenticator
    assertThat(ok(k.runWithInput(tokenReview(token), "create", "-f", "-", "-o", "jsonpath={.status.authenticated} {.status.user.username}")).out())
        .isEqualTo("true system:serviceaccount:default:" + sa);
    ok(k.run("delete", "serviceaccount", sa));
    Poll.until(() -> !asRobot.run("get", "pods").ok(), () -> "the token of the deleted account " + sa + " to stop working");
    assertThat(asRobot.run("get", "pods").err()).contains("Unauthorized");
    assertThat(ok(k.runWithInput(tokenReview(token), "create", "-f", "-", "-o", "jsonpath={.status.authenticated} {.status.error}")).out())
        .isEqualTo("false service account default/" + sa + " has been deleted");

    Result tooShort = k.run("create", "token", "default", "--duration=1m");
    assertThat(tooShort.exitCode()).isNotZero();
    assertThat(tooShort.err()).contains("may not specify a duration less than 10 minutes");
    Result missing = k.run("create", "token", "no-such-account");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("serviceaccounts \"no-such-account\" not found");
  }

  private static String tokenReview(String token) {
    return "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + token + "\"}}";
  }

  /** kubectl with a kubeconfig that has only the bearer token (the admin's client certificate would win). */
  private static Kubectl withToken(Kubectl k, String name, String token) throws IOException {
    Path ca = cluster.dataDir().resolve("pki").resolve("ca.crt");
    Path file = cluster.dataDir().resolve("token-" + name + ".kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters: [{name: kava, cluster: {server: "%s", certificate-authority: "%s"}}]
        users: [{name: sa, user: {token: "%s"}}]
        contexts: [{name: sa, context: {cluster: kava, user: sa, namespace: default}}]
        current-context: sa
        """.formatted(cluster.url(), ca, token));
    return Kubectl.of(k.version(), file);
  }
}
