package io.kava.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Helpers shared by the e2e suites: kubectl runs that skip when a version is absent, and their assertions. */
public final class E2E {
  private E2E() {}

  public static Kubectl kubectl(KavaCluster cluster, String version) {
    Kubectl k = cluster.kubectl(version);
    assumeTrue(k.available(), "kubectl " + version + " is not installed at " + k.binary() + "; skipping");
    return k;
  }

  public static Result ok(Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  public static Result fails(Result r) {
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    return r;
  }

  /** "what-1-33" for kubectl 1.33: one namespace (or name) per version so parameterized runs do not collide. */
  public static String name(String what, String version) { return what + "-" + version.replace(".", "-"); }

  /**
   * Creates a ConfigMap from JSON on stdin. Validation is off because these manifests are plain and the test is
   * about controllers, not about when the server's OpenAPI documents become available after start-up.
   */
  public static void createConfigMap(Kubectl k, String ns, String name, String ownerRefsJson, String finalizersJson) {
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\""
        + (ownerRefsJson == null ? "" : ",\"ownerReferences\":" + ownerRefsJson)
        + (finalizersJson == null ? "" : ",\"finalizers\":" + finalizersJson)
        + "},\"data\":{\"k\":\"v\"}}";
    ok(k.runWithInput(json, "create", "--validate=false", "-n", ns, "-f", "-"));
  }

  public static String ownerRef(String name, String uid, boolean blockOwnerDeletion) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"" + name + "\",\"uid\":\"" + uid + "\""
        + (blockOwnerDeletion ? ",\"blockOwnerDeletion\":true" : "") + "}";
  }

  public static String uid(Kubectl k, String ns, String kind, String name) {
    return ok(k.run("get", kind, name, "-n", ns, "-o", "jsonpath={.metadata.uid}")).out();
  }

  public static boolean exists(Kubectl k, String ns, String kind, String name) {
    Result r = ns.isEmpty() ? k.run("get", kind, name, "-o", "name") : k.run("get", kind, name, "-n", ns, "-o", "name");
    if (r.ok()) return true;
    assertThat(r.err()).as(r.toString()).contains("not found");
    return false;
  }

  public static String jsonpath(Kubectl k, String ns, String kind, String name, String path) {
    return ok(k.run("get", kind, name, "-n", ns, "-o", "jsonpath=" + path)).out();
  }

  /**
   * A kubectl whose only credential is {@code token} (no client certificate, which would win over it); its kubeconfig
   * is written as {@code config} in {@code dir}, a directory of its own.
   */
  public static Kubectl withToken(KavaCluster cluster, String version, String token, Path dir) throws IOException {
    String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(cluster.server().pki().caCertFile()));
    Path kubeconfig = dir.resolve("config");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kava
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: sa
          user: {token: "%s"}
        contexts:
        - name: sa
          context: {cluster: kava, user: sa}
        current-context: sa
        """.formatted(cluster.url(), ca, token));
    return Kubectl.of(version, kubeconfig);
  }
}
