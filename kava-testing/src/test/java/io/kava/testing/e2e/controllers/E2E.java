package io.kava.testing.e2e.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;

/** Helpers shared by the controller suites. */
final class E2E {
  private E2E() {}

  static Kubectl kubectl(KavaCluster cluster, String version) {
    Kubectl k = cluster.kubectl(version);
    assumeTrue(k.available(), "kubectl " + version + " is not installed at " + k.binary() + "; skipping");
    return k;
  }

  static Result ok(Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  /** "what-1-33" for kubectl 1.33: one namespace (or name) per version so parameterized runs do not collide. */
  static String name(String what, String version) { return what + "-" + version.replace(".", "-"); }

  /**
   * Creates a ConfigMap from JSON on stdin. Validation is off because these manifests are plain and the test is
   * about controllers, not about when the server's OpenAPI documents become available after start-up.
   */
  static void createConfigMap(Kubectl k, String ns, String name, String ownerRefsJson, String finalizersJson) {
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\""
        + (ownerRefsJson == null ? "" : ",\"ownerReferences\":" + ownerRefsJson)
        + (finalizersJson == null ? "" : ",\"finalizers\":" + finalizersJson)
        + "},\"data\":{\"k\":\"v\"}}";
    ok(k.runWithInput(json, "create", "--validate=false", "-n", ns, "-f", "-"));
  }

  static String ownerRef(String name, String uid, boolean blockOwnerDeletion) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"" + name + "\",\"uid\":\"" + uid + "\""
        + (blockOwnerDeletion ? ",\"blockOwnerDeletion\":true" : "") + "}";
  }

  static String uid(Kubectl k, String ns, String kind, String name) {
    return ok(k.run("get", kind, name, "-n", ns, "-o", "jsonpath={.metadata.uid}")).out();
  }

  static boolean exists(Kubectl k, String ns, String kind, String name) {
    Result r = ns.isEmpty() ? k.run("get", kind, name, "-o", "name") : k.run("get", kind, name, "-n", ns, "-o", "name");
    if (r.ok()) return true;
    assertThat(r.err()).as(r.toString()).contains("not found");
    return false;
  }

  static String jsonpath(Kubectl k, String ns, String kind, String name, String path) {
    return ok(k.run("get", kind, name, "-n", ns, "-o", "jsonpath=" + path)).out();
  }
}
