package io.kava.testing.e2e.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.api.InProcessHeaders;
import io.kava.apiserver.auth.Kubeconfig;
import io.kava.apiserver.auth.LoopbackCredential;
import io.kava.apiserver.auth.Pki;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The loopback listener of the in-process components (plain HTTP on 127.0.0.1 with a random token): nothing answers
 * there without the token, not even the health paths; the token works nowhere else; and the controllers, which reach
 * the API server through it, do their work.
 */
@Tag("e2e")
class LoopbackListenerE2ETest {
  static KavaCluster cluster;
  static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static String url() { return cluster.server().api().loopbackUrl(); }

  static String token() { return cluster.server().inProcessConfig().getAutoOAuthToken(); }

  static HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60));
    if (authorization != null) b.header("Authorization", authorization);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listensOnLoopbackOnly() {
    assertThat(url()).startsWith("http://127.0.0.1:");
    assertThat(cluster.server().inProcessConfig().getMasterUrl()).startsWith(url());
  }

  @Test
  void everyPathWithoutTheTokenIs401() throws Exception {
    for (String path : new String[] {"/readyz", "/healthz", "/version", "/api", "/api/v1/namespaces", "/openapi/v3"}) {
      for (String auth : new String[] {null, "Bearer ", "Bearer wrong", "Bearer " + token() + "x", "Basic " + token()}) {
        HttpResponse<String> r = get(path, auth);
        assertThat(r.statusCode()).as(path + " with " + auth).isEqualTo(401);
        assertThat(r.body()).contains("\"reason\":\"Unauthorized\"");
      }
    }
  }

  @Test
  void theTokenIsAnAdministratorHere() throws Exception {
    HttpResponse<String> r = get("/api/v1/namespaces/kube-system", "Bearer " + token());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    HttpResponse<String> who = http.send(HttpRequest.newBuilder(URI.create(url() + "/apis/authentication.k8s.io/v1/selfsubjectreviews"))
        .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(who.body()).contains(LoopbackCredential.USER).contains("system:masters");
  }

  @Test
  void theTokenIsRefusedOnTheHttpsPort() throws Exception {
    Kubectl admin = cluster.kubectl("1.33");
    assumeTrue(admin.available(), "kubectl 1.33 is not installed at " + admin.binary() + "; skipping");
    Path kubeconfig = cluster.dataDir().resolve("loopback-token-on-https.kubeconfig");
    Files.writeString(kubeconfig, Kubeconfig.withToken(Pki.CLUSTER_NAME, cluster.url(), cluster.server().pki().caCertPem(),
        "someone", token()));
    Kubectl.Result r = Kubectl.of("1.33", kubeconfig).run("get", "namespaces");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.err()).contains("Unauthorized");
  }

  /** What a watch of one ConfigMap sends from resourceVersion 0 (its ADDED event) until a one-second timeout ends it. */
  static String watchOnce(HttpClient client, String base, String authorization, String name, boolean withoutManagedFields,
                          boolean metadataOnly) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/default/configmaps?watch=true"
        + "&resourceVersion=0&timeoutSeconds=1&fieldSelector=metadata.name%3D" + name)).timeout(Duration.ofSeconds(60));
    if (authorization != null) b.header("Authorization", authorization);
    if (withoutManagedFields) b.header(InProcessHeaders.WITHOUT_MANAGED_FIELDS, "true");
    if (metadataOnly) b.header("Accept", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json");
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).as("the ADDED event of " + name).contains("\"type\":\"ADDED\"").contains("\"name\":\"" + name + "\"");
    return r.body();
  }

  static String listOnce(HttpClient client, String base, String authorization, String name, boolean withoutManagedFields,
                         boolean metadataOnly) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3D"
        + name)).timeout(Duration.ofSeconds(60));
    if (authorization != null) b.header("Authorization", authorization);
    if (withoutManagedFields) b.header(InProcessHeaders.WITHOUT_MANAGED_FIELDS, "true");
    if (metadataOnly) b.header("Accept", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json");
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).as("the list with " + name).contains("\"name\":\"" + name + "\"");
    return r.body();
  }

  /**
   * In-process informers ask for lists and watch events without managedFields (their caches drop them): honoured on the
   * loopback listener for its user only, with full and metadata-only events; everyone else gets upstream's events.
   */
  @Test
  void listsAndWatchEventsWithoutManagedFieldsOnlyForTheInProcessUser() throws Exception {
    Kubectl k = cluster.kubectl("1.33");
    assumeTrue(k.available(), "kubectl 1.33 is not installed at " + k.binary() + "; skipping");
    Kubectl.Result c = k.run("create", "configmap", "mf-cut", "--from-literal=a=b");
    assertThat(c.exitCode()).as(c.toString()).isZero();
    String bearer = "Bearer " + token();

    String cut = watchOnce(http, url(), bearer, "mf-cut", true, false);
    assertThat(cut).doesNotContain("managedFields").contains("\"data\":{\"a\":\"b\"}");
    String cutMeta = watchOnce(http, url(), bearer, "mf-cut", true, true);
    assertThat(cutMeta).doesNotContain("managedFields").contains("PartialObjectMetadata").doesNotContain("\"data\"");
    assertThat(watchOnce(http, url(), bearer, "mf-cut", false, false)).contains("\"managedFields\":[{\"manager\":\"kubectl-create\"");
    assertThat(watchOnce(http, url(), bearer, "mf-cut", false, true)).contains("\"managedFields\":[");

    // the informers' lists too (full and metadata-only)
    assertThat(listOnce(http, url(), bearer, "mf-cut", true, false)).doesNotContain("managedFields").contains("\"data\":{\"a\":\"b\"}");
    assertThat(listOnce(http, url(), bearer, "mf-cut", true, true)).doesNotContain("managedFields").contains("PartialObjectMetadataList");
    assertThat(listOnce(http, url(), bearer, "mf-cut", false, false)).contains("\"managedFields\":[{\"manager\":\"kubectl-create\"");
    assertThat(listOnce(http, url(), bearer, "mf-cut", false, true)).contains("\"managedFields\":[");

    // the admin over HTTPS (another user, another listener) sending the same header: upstream's events
    Pki pki = cluster.server().pki();
    HttpClient https = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
        .sslContext(Pki.sslContext(pki.adminCertificate(), List.of(pki.ca().certificate()))).build();
    assertThat(watchOnce(https, cluster.url(), null, "mf-cut", true, false)).contains("\"managedFields\":[{\"manager\":\"kubectl-create\"");
    assertThat(listOnce(https, cluster.url(), null, "mf-cut", true, false)).contains("\"managedFields\":[{\"manager\":\"kubectl-create\"");
  }

  @Test
  void controllersWorkThroughIt() {
    Kubectl k = cluster.kubectl("1.33");
    assumeTrue(k.available(), "kubectl 1.33 is not installed at " + k.binary() + "; skipping");
    Kubectl.Result c = k.run("create", "deployment", "loopback", "--image=kava.local/none", "--replicas=2");
    assertThat(c.exitCode()).as(c.toString()).isZero();
    // the deployment controller (over the loopback listener) makes the ReplicaSet, whose controller makes the pods
    Poll.until(Duration.ofSeconds(120), () -> k.run("get", "pods", "-l", "app=loopback", "-o", "name").out().lines().count() == 2,
        () -> "two pods of deployment loopback: " + k.run("get", "deploy,rs,pods", "-o", "wide"));
  }
}
