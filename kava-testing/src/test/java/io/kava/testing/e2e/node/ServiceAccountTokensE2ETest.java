package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.node.ContainerdNodeFixture.ok;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.poll;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.Kubectl;
import io.kava.testing.e2e.E2E;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service-account credentials in pods, as upstream provides them: the ServiceAccount admission plugin mounts the
 * projected {@code kube-api-access-*} volume, the node fills it with a token bound to the pod (TokenRequest), the
 * cluster CA from ConfigMap {@code kube-root-ca.crt} (kept in every namespace by the root-ca-cert-publisher) and the
 * namespace; real kubectl authenticates with that token until the pod is deleted.
 */
@Tag("e2e")
class ServiceAccountTokensE2ETest {
  static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
  static ContainerdNodeFixture node;
  @TempDir Path dir;
  private int tokens;

  @BeforeAll
  static void start() throws Exception { node = ContainerdNodeFixture.start(); }

  @AfterAll
  static void stop() { if (node != null) node.close(); }

  private String pod(String name, String ns, String extraSpec) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"terminationGracePeriodSeconds":1,%s
          "containers":[{"name":"c","image":"%s","command":["sh","-c","while true; do sleep 0.2; done"]}]}}"""
        .formatted(name, ns, extraSpec, node.image);
  }

  /** A kubectl whose only credential is {@code token} (no client certificate, which would win over it). */
  private Kubectl withToken(String version, String token) throws Exception {
    return E2E.withToken(node.cluster, version, token, Files.createDirectories(dir.resolve("token-" + version + "-" + tokens++)));
  }

  @Test
  void aPodsTokenAuthenticatesAsItsAccountUntilThePodIsDeleted() throws Exception {
    Kubectl k = node.kubectl("1.33");
    ok(k.run("create", "namespace", "satok"));
    // no wait for the "default" account: admission waits for the service account controller as upstream's does
    ok(k.runWithInput(pod("web", "satok", ""), "create", "-f", "-"));
    poll(() -> podPhase(k, "satok", "web").equals("Running"), () -> k.run("get", "pod", "web", "-n", "satok", "-o", "yaml").toString());
    String volume = ok(k.run("get", "pod", "web", "-n", "satok", "-o", "jsonpath={.spec.volumes[0].name}")).out();
    assertThat(volume).matches("kube-api-access-[a-z0-9]{5}");
    assertThat(ok(k.run("get", "pod", "web", "-n", "satok", "-o", "jsonpath={.spec.containers[0].volumeMounts[0].mountPath}")).out())
        .isEqualTo(SA_DIR);

    String token = ok(k.run("exec", "web", "-n", "satok", "--", "cat", SA_DIR + "/token")).out().trim();
    String ca = ok(k.run("exec", "web", "-n", "satok", "--", "cat", SA_DIR + "/ca.crt")).out();
    String namespace = ok(k.run("exec", "web", "-n", "satok", "--", "cat", SA_DIR + "/namespace")).out();
    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertThat(ca).isEqualTo(Files.readString(node.cluster.server().pki().caCertFile()));
    assertThat(namespace).isEqualTo("satok");
    String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    String podUid = ok(k.run("get", "pod", "web", "-n", "satok", "-o", "jsonpath={.metadata.uid}")).out();
    assertThat(claims).contains("\"pod\":{\"name\":\"web\",\"uid\":\"" + podUid + "\"}");

    Kubectl as133 = withToken("1.33", token);
    Kubectl.Result whoami = ok(as133.run("auth", "whoami"));
    assertThat(whoami.out()).contains("system:serviceaccount:satok:default").contains("authentication.kubernetes.io/pod-name");
    Kubectl as127 = withToken("1.27", token);
    if (as127.available()) {
      // kubectl 1.27 has `auth whoami` (SelfSubjectReview v1beta1)
      assertThat(ok(as127.run("auth", "whoami")).out()).contains("system:serviceaccount:satok:default");
      assertThat(ok(as127.run("get", "pods", "-n", "satok")).out()).contains("web");
    }

    // kubectl create token can bind a token to the pod as well
    String created = ok(k.run("create", "token", "default", "-n", "satok", "--bound-object-kind", "Pod", "--bound-object-name", "web")).out().strip();
    Kubectl asCreated = withToken("1.33", created);
    assertThat(ok(asCreated.run("auth", "whoami")).out()).contains("system:serviceaccount:satok:default");
    Kubectl.Result wrongKind = k.run("create", "token", "default", "-n", "satok", "--bound-object-kind", "Pod", "--bound-object-name", "nope");
    assertThat(wrongKind.err()).contains("pods \"nope\" not found");

    ok(k.run("delete", "pod", "web", "-n", "satok", "--wait=true"));
    assertThat(asCreated.run("auth", "whoami").err()).contains("Unauthorized");
    Kubectl.Result refused = as133.run("auth", "whoami");
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.err()).contains("Unauthorized");
    if (as127.available()) assertThat(as127.run("get", "pods", "-n", "satok").err()).contains("Unauthorized");
  }

  @Test
  void automountOffMountsNothing() {
    Kubectl k = node.kubectl("1.33");
    ok(k.runWithInput(pod("quiet", "default", "\"automountServiceAccountToken\":false,"), "create", "-f", "-"));
    poll(() -> podPhase(k, "default", "quiet").equals("Running"), yaml(k, "quiet"));
    assertThat(ok(k.run("get", "pod", "quiet", "-o", "jsonpath={.spec.volumes}")).out()).isEmpty();
    assertThat(ok(k.run("get", "pod", "quiet", "-o", "jsonpath={.spec.serviceAccountName}")).out()).isEqualTo("default");
    Kubectl.Result ls = k.run("exec", "quiet", "--", "ls", SA_DIR);
    assertThat(ls.exitCode()).as(ls.toString()).isNotZero();
    ok(k.run("delete", "pod", "quiet", "--wait=false"));
  }

  @Test
  void everyNamespaceKeepsTheRootCaConfigMap() throws Exception {
    Kubectl k = node.kubectl("1.33");
    String ca = Files.readString(node.cluster.server().pki().caCertFile());
    ok(k.run("create", "namespace", "cafresh"));
    poll(() -> k.run("get", "cm", "kube-root-ca.crt", "-n", "cafresh").ok(), () -> k.run("get", "cm", "-A").toString());
    assertThat(ok(k.run("get", "cm", "kube-root-ca.crt", "-n", "cafresh", "-o", "jsonpath={.data.ca\\.crt}")).out()).isEqualTo(ca);
    ok(k.run("delete", "cm", "kube-root-ca.crt", "-n", "cafresh"));
    poll(() -> k.run("get", "cm", "kube-root-ca.crt", "-n", "cafresh", "-o", "jsonpath={.data.ca\\.crt}").out().equals(ca),
        () -> "kube-root-ca.crt was not re-created");
    ok(k.run("patch", "cm", "kube-root-ca.crt", "-n", "cafresh", "-p", "{\"data\":{\"ca.crt\":\"forged\"}}"));
    poll(() -> k.run("get", "cm", "kube-root-ca.crt", "-n", "cafresh", "-o", "jsonpath={.data.ca\\.crt}").out().equals(ca),
        () -> "kube-root-ca.crt was not restored");
    assertThat(ok(k.run("get", "cm", "kube-root-ca.crt", "-n", "kube-system")).out()).contains("kube-root-ca.crt");
  }

  private static String podPhase(Kubectl k, String ns, String pod) {
    return k.run("get", "pod", pod, "-n", ns, "-o", "jsonpath={.status.phase}").out();
  }
}
