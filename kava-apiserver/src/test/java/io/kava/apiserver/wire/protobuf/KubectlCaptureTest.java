package io.kava.apiserver.wire.protobuf;

import static io.kava.apiserver.wire.protobuf.GoWire.json;
import static io.kava.apiserver.wire.protobuf.GoWire.withoutEmpties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.apiserver.wire.protobuf.KubectlCaptureServer.Request;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies captured from the real kubectl 1.33 binary, in {@code src/test/resources/protobuf/kubectl-1.33/}:
 * {@code <case>.pb} is the body kubectl POSTed for the command, {@code <case>.json} what the same command prints with
 * {@code --dry-run=client -o json}. Each body must decode to that JSON, less its nulls and empty objects.
 *
 * <p>To capture them again (needs the binary):
 * {@code mvn -pl kava-apiserver -am test -Dtest=KubectlCaptureTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dkava.protobuf.recapture=$PWD/kava-apiserver/src/test/resources/protobuf/kubectl-1.33} (certificate-approve.pb
 * holds the time of its capture; its test allows for that).
 */
class KubectlCaptureTest {
  private static final String DIR = "/protobuf/kubectl-1.33/";

  /** case name → kubectl arguments. */
  static final Map<String, List<String>> CASES = new LinkedHashMap<>();

  static {
    CASES.put("namespace", List.of("create", "namespace", "dev"));
    CASES.put("deployment-replicas-0", List.of("create", "deployment", "x", "--image=y", "--replicas=0"));
    CASES.put("deployment-port", List.of("create", "deployment", "web", "--image=nginx:1.27", "--port=8080", "--replicas=3"));
    CASES.put("configmap-literals", List.of("create", "configmap", "cm", "--from-literal=a=b", "--from-literal=c="));
    CASES.put("secret-generic", List.of("create", "secret", "generic", "s", "--from-literal=user=admin", "--from-literal=empty="));
    CASES.put("secret-docker-registry", List.of("create", "secret", "docker-registry", "reg", "--docker-server=r.example",
        "--docker-username=u", "--docker-password=p", "--docker-email=e@example.com"));
    CASES.put("service-clusterip", List.of("create", "service", "clusterip", "svc", "--tcp=80:8080", "--tcp=443"));
    CASES.put("service-headless", List.of("create", "service", "clusterip", "headless", "--clusterip=None"));
    CASES.put("service-nodeport", List.of("create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080"));
    CASES.put("service-loadbalancer", List.of("create", "service", "loadbalancer", "lb", "--tcp=80"));
    CASES.put("service-externalname", List.of("create", "service", "externalname", "ext", "--external-name=example.com"));
    CASES.put("serviceaccount", List.of("create", "serviceaccount", "sa"));
    CASES.put("job", List.of("create", "job", "j", "--image=busybox", "--", "echo", "hi"));
    CASES.put("cronjob", List.of("create", "cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *", "--restart=Never",
        "--", "date"));
    CASES.put("role", List.of("create", "role", "r", "--verb=get", "--verb=list", "--resource=pods",
        "--resource=deployments.apps", "--resource-name=x"));
    CASES.put("rolebinding", List.of("create", "rolebinding", "rb", "--role=r", "--user=alice", "--serviceaccount=default:sa"));
    CASES.put("clusterrole", List.of("create", "clusterrole", "cr", "--verb=get", "--non-resource-url=/healthz"));
    CASES.put("clusterrole-aggregated", List.of("create", "clusterrole", "agg",
        "--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true"));
    CASES.put("clusterrolebinding", List.of("create", "clusterrolebinding", "crb", "--clusterrole=view", "--group=devs"));
    CASES.put("quota", List.of("create", "quota", "q", "--hard=pods=2,requests.cpu=500m,limits.memory=1Gi"));
    CASES.put("priorityclass", List.of("create", "priorityclass", "pc", "--value=0", "--description=zero",
        "--preemption-policy=Never"));
    CASES.put("pdb-min-available-0", List.of("create", "poddisruptionbudget", "pdb", "--selector=app=x", "--min-available=0"));
    CASES.put("pdb-max-unavailable-percent", List.of("create", "poddisruptionbudget", "pdb2", "--selector=app=y",
        "--max-unavailable=50%"));
    CASES.put("ingress", List.of("create", "ingress", "ing", "--class=nginx", "--rule=foo.com/bar=svc:80",
        "--rule=foo.com/*=web:http,tls=cert", "--annotation=a=b"));
    CASES.put("autoscale", List.of("autoscale", "deployment", "x", "--min=1", "--max=3", "--cpu-percent=50"));
    CASES.put("job-from-cronjob", List.of("create", "job", "j2", "--from=cronjob/cj"));
  }

  /** Captured too, but kubectl has no --dry-run for these: the expected JSON is written in the tests. */
  static final Map<String, List<String>> OTHERS = new LinkedHashMap<>();

  static {
    OTHERS.put("token", List.of("create", "token", "sa", "--duration=10m", "--audience=api"));
    OTHERS.put("auth-can-i", List.of("auth", "can-i", "get", "pods"));
    OTHERS.put("auth-whoami", List.of("auth", "whoami"));
    OTHERS.put("certificate-approve", List.of("certificate", "approve", "csr1"));
  }

  static List<String> cases() { return new ArrayList<>(CASES.keySet()); }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = KubectlCaptureTest.class.getResourceAsStream(DIR + name)) {
      assertThat(in).as("test resource " + DIR + name).isNotNull();
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void capturedBodyDecodesToWhatKubectlPrints(String name) throws IOException {
    ObjectNode decoded = ProtobufDecoder.get().decode(resource(name + ".pb"));
    ObjectNode kubectl = json(new String(resource(name + ".json"), StandardCharsets.UTF_8));
    assertThat(decoded).isEqualTo(withoutEmpties(kubectl));
  }

  @Test
  void capturedTokenRequest() throws IOException {
    ObjectNode decoded = ProtobufDecoder.get().decode(resource("token.pb"));
    // spec and status.token have no omitempty in Go, and a zero expirationTimestamp (a Time) is null
    assertThat(decoded).isEqualTo(json("""
        {
          "kind": "TokenRequest",
          "apiVersion": "authentication.k8s.io/v1",
          "spec": { "audiences": ["api"], "expirationSeconds": 600 },
          "status": { "token": "", "expirationTimestamp": null }
        }"""));
  }

  @Test
  void capturedSelfSubjectAccessReview() throws IOException {
    // kubectl auth can-i get pods
    assertThat(ProtobufDecoder.get().decode(resource("auth-can-i.pb"))).isEqualTo(json("""
        {
          "kind": "SelfSubjectAccessReview",
          "apiVersion": "authorization.k8s.io/v1",
          "spec": { "resourceAttributes": { "namespace": "default", "verb": "get", "resource": "pods" } },
          "status": { "allowed": false }
        }"""));
  }

  @Test
  void capturedSelfSubjectReview() throws IOException {
    // kubectl auth whoami
    assertThat(ProtobufDecoder.get().decode(resource("auth-whoami.pb")).toString())
        .isEqualTo("{\"kind\":\"SelfSubjectReview\",\"apiVersion\":\"authentication.k8s.io/v1\"}");
  }

  @Test
  void capturedCertificateApproval() throws IOException {
    // kubectl certificate approve csr1: the object read, with an Approved condition, PUT to .../approval
    ObjectNode decoded = ProtobufDecoder.get().decode(resource("certificate-approve.pb"));
    String updated = decoded.at("/status/conditions/0/lastUpdateTime").stringValue();
    assertThat(updated).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(decoded).isEqualTo(json("""
        {
          "kind": "CertificateSigningRequest",
          "apiVersion": "certificates.k8s.io/v1",
          "metadata": { "name": "csr1", "uid": "u-3", "resourceVersion": "5" },
          "spec": { "request": "AAAA", "signerName": "kubernetes.io/kube-apiserver-client", "usages": ["client auth"], "username": "u" },
          "status": { "conditions": [ { "type": "Approved", "status": "True", "reason": "KubectlApprove",
              "message": "This CSR was approved by kubectl certificate approve.", "lastUpdateTime": "%s" } ] }
        }""".formatted(updated)));
  }

  @Test
  void capturedDeploymentKeepsZeroReplicas() throws IOException {
    ObjectNode decoded = ProtobufDecoder.get().decode(resource("deployment-replicas-0.pb"));
    assertThat(decoded.at("/spec/replicas").isNumber()).isTrue();
    assertThat(decoded.at("/spec/replicas").intValue()).isZero();
  }

  /** A few commands against the real binary, each body compared byte for byte with its stored capture. */
  @Test
  void liveKubectlSendsTheStoredBodies() throws Exception {
    assumeTrue(KubectlCaptureServer.kubectlPresent(), "kubectl 1.33 not found at " + KubectlCaptureServer.KUBECTL + ": skipping");
    try (KubectlCaptureServer server = new KubectlCaptureServer()) {
      for (String name : List.of("namespace", "deployment-replicas-0", "secret-generic", "service-clusterip")) {
        Request r = capture(server, CASES.get(name));
        assertThat(r.contentType()).isEqualTo(ProtobufDecoder.MEDIA_TYPE);
        assertThat(r.body()).as(name).isEqualTo(resource(name + ".pb"));
      }
    }
  }

  private static Request capture(KubectlCaptureServer server, List<String> args) throws Exception {
    int before = server.writes().size();
    server.kubectl(args.toArray(new String[0]));
    List<Request> writes = server.writes();
    assertThat(writes).hasSize(before + 1);
    return writes.get(before);
  }

  @Test
  @EnabledIfSystemProperty(named = "kava.protobuf.recapture", matches = ".+")
  void recapture() throws Exception {
    assumeTrue(KubectlCaptureServer.kubectlPresent(), "kubectl 1.33 not found at " + KubectlCaptureServer.KUBECTL);
    Path dir = Path.of(System.getProperty("kava.protobuf.recapture"));
    Files.createDirectories(dir);
    try (KubectlCaptureServer server = new KubectlCaptureServer()) {
      for (Map.Entry<String, List<String>> c : CASES.entrySet()) {
        Files.write(dir.resolve(c.getKey() + ".pb"), capture(server, c.getValue()).body());
        List<String> dry = new ArrayList<>(c.getValue());
        int dash = dry.indexOf("--");
        dry.addAll(dash < 0 ? dry.size() : dash, List.of("--dry-run=client", "-o", "json"));
        Files.writeString(dir.resolve(c.getKey() + ".json"), server.kubectl(dry.toArray(new String[0])));
      }
      for (Map.Entry<String, List<String>> c : OTHERS.entrySet()) {
        Files.write(dir.resolve(c.getKey() + ".pb"), capture(server, c.getValue()).body());
      }
    }
  }
}
