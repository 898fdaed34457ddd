package io.kava.apiserver.registry.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.json.Json;
import io.kava.apiserver.auth.AuthenticationException;
import io.kava.apiserver.auth.BearerTokenAuthenticator;
import io.kava.apiserver.auth.CachedTokenBindings;
import io.kava.apiserver.auth.ServiceAccountTokens;
import io.kava.apiserver.auth.UserInfo;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ReviewContext;
import io.kava.apiserver.registry.ServerServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** TokenRequest with spec.boundObjectRef, and authentication of bound tokens against the objects they name. */
class BoundTokensTest {
  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  private static final UserInfo ADMIN = new UserInfo("kava-admin", "", List.of("system:masters"), Map.of());

  @TempDir Path dir;
  /** "plural/namespace/name" → object; the watch cache of this test */
  private final Map<String, ObjectNode> objects = new HashMap<>();
  private final AtomicLong revision = new AtomicLong();
  private ServiceAccountTokens signer;
  private BearerTokenAuthenticator authenticator;
  private ReviewContext ctx;

  @BeforeEach
  void setUp() throws Exception {
    signer = ServiceAccountTokens.ensure(dir);
    put("serviceaccounts", "ns1", "robot", "{\"metadata\":{\"name\":\"robot\",\"uid\":\"sa-1\"}}");
    put("pods", "ns1", "web", "{\"metadata\":{\"name\":\"web\",\"uid\":\"pod-1\"},\"spec\":{\"serviceAccountName\":\"robot\",\"nodeName\":\"n1\"}}");
    put("pods", "ns1", "other", "{\"metadata\":{\"name\":\"other\",\"uid\":\"pod-2\"},\"spec\":{\"serviceAccountName\":\"default\"}}");
    put("secrets", "ns1", "s", "{\"metadata\":{\"name\":\"s\",\"uid\":\"secret-1\"}}");
    put("nodes", null, "n1", "{\"metadata\":{\"name\":\"n1\",\"uid\":\"node-1\"}}");
    CachedTokenBindings bindings = new CachedTokenBindings((plural, ns, name) -> {
      ObjectNode o = objects.get(plural + "/" + ns + "/" + name);
      return o == null ? null : CachedObject.compact(plural + "/" + ns + "/" + name, ns, name, Json.bytes(o),
          o.path("rev").asLong(), Map.of(), Map.of());
    });
    authenticator = new BearerTokenAuthenticator(signer, null, bindings, Clock.fixed(NOW, ZoneOffset.UTC));
    ServerServices services = new ServerServices() {
      public String allocateClusterIp(String requested, boolean dryRun) { throw new UnsupportedOperationException(); }
      public void releaseClusterIp(String ip) {}
      public int allocateNodePort(int requested, boolean dryRun) { throw new UnsupportedOperationException(); }
      public void releaseNodePort(int port) {}
      public JsonNode lookup(String group, String plural, String namespace, String name) { return objects.get(plural + "/" + namespace + "/" + name); }
      public List<JsonNode> all(String group, String plural) { return List.of(); }
      public ServiceAccountTokens serviceAccountTokens() { return signer; }
      public BearerTokenAuthenticator tokenAuthenticator() { return authenticator; }
    };
    ctx = new ReviewContext(ADMIN, "ns1", "robot", NOW, false, services);
  }

  private void put(String plural, String ns, String name, String json) {
    ObjectNode o = (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    o.put("rev", revision.incrementAndGet());
    objects.put(plural + "/" + ns + "/" + name, o);
  }

  private ObjectNode request(String ref) {
    return (ObjectNode) Json.parse(("{\"spec\":{\"boundObjectRef\":" + ref + "}}").getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode claims(String token) {
    return Json.parse(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
  }

  @Test
  void aPodBoundTokenNamesThePodAndItsNodeAndAuthenticatesAsTheAccount() {
    ObjectNode answer = TokenRequests.issue(request("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web\",\"uid\":\"pod-1\"}"), ctx);
    assertThat(answer.at("/spec/boundObjectRef/name").asString()).isEqualTo("web");
    assertThat(answer.at("/metadata/uid").asString()).isEqualTo("sa-1");
    String token = answer.at("/status/token").asString();
    JsonNode k8s = claims(token).path("kubernetes.io");
    assertThat(k8s.at("/namespace").asString()).isEqualTo("ns1");
    assertThat(k8s.at("/serviceaccount/uid").asString()).isEqualTo("sa-1");
    assertThat(k8s.at("/pod/name").asString()).isEqualTo("web");
    assertThat(k8s.at("/pod/uid").asString()).isEqualTo("pod-1");
    assertThat(k8s.at("/node/name").asString()).isEqualTo("n1");
    assertThat(k8s.at("/node/uid").asString()).isEqualTo("node-1");
    assertThat(k8s.has("secret")).isFalse();

    UserInfo user = authenticator.authenticate(token, List.of()).user();
    assertThat(user.name()).isEqualTo("system:serviceaccount:ns1:robot");
    assertThat(user.uid()).isEqualTo("sa-1");
    assertThat(user.extra()).containsEntry("authentication.kubernetes.io/pod-name", List.of("web"))
        .containsEntry("authentication.kubernetes.io/pod-uid", List.of("pod-1"))
        .containsEntry("authentication.kubernetes.io/node-name", List.of("n1"));
  }

  @Test
  void aPodBoundTokenFailsOnceThePodIsGoneOrReplaced() {
    String token = TokenRequests.issue(request("{\"kind\":\"Pod\",\"name\":\"web\"}"), ctx).at("/status/token").asString();
    // the node of a pod-bound token is for information only
    objects.remove("nodes/null/n1");
    assertThat(authenticator.authenticate(token, List.of()).user().name()).isEqualTo("system:serviceaccount:ns1:robot");

    put("pods", "ns1", "web", "{\"metadata\":{\"name\":\"web\",\"uid\":\"pod-9\"},\"spec\":{\"serviceAccountName\":\"robot\"}}");
    assertThatThrownBy(() -> authenticator.authenticate(token, List.of())).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("pod UID (pod-9) does not match claim (pod-1)");
    objects.remove("pods/ns1/web");
    assertThatThrownBy(() -> authenticator.authenticate(token, List.of())).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("pod ns1/web has been deleted");
  }

  @Test
  void aTokenFailsOnceThePodWasMarkedForDeletionMoreThanAMinuteAgo() {
    String token = TokenRequests.issue(request("{\"kind\":\"Pod\",\"name\":\"web\"}"), ctx).at("/status/token").asString();
    put("pods", "ns1", "web", "{\"metadata\":{\"name\":\"web\",\"uid\":\"pod-1\",\"deletionTimestamp\":\"2026-03-04T05:05:30Z\"},\"spec\":{}}");
    assertThat(authenticator.authenticate(token, List.of()).user().uid()).isEqualTo("sa-1");
    put("pods", "ns1", "web", "{\"metadata\":{\"name\":\"web\",\"uid\":\"pod-1\",\"deletionTimestamp\":\"2026-03-04T05:04:00Z\"},\"spec\":{}}");
    assertThatThrownBy(() -> authenticator.authenticate(token, List.of())).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("marked for deletion");
  }

  @Test
  void anAccountReplacedUnderTheSameNameInvalidatesItsTokens() {
    String token = TokenRequests.issue(request("{\"kind\":\"Secret\",\"name\":\"s\"}"), ctx).at("/status/token").asString();
    assertThat(claims(token).at("/kubernetes.io/secret/uid").asString()).isEqualTo("secret-1");
    assertThat(authenticator.authenticate(token, List.of()).user().name()).isEqualTo("system:serviceaccount:ns1:robot");
    put("serviceaccounts", "ns1", "robot", "{\"metadata\":{\"name\":\"robot\",\"uid\":\"sa-2\"}}");
    assertThatThrownBy(() -> authenticator.authenticate(token, List.of())).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("service account UID (sa-2) does not match claim (sa-1)");
  }

  @Test
  void secretAndNodeBoundTokensFollowTheirObjects() {
    String secretToken = TokenRequests.issue(request("{\"kind\":\"Secret\",\"name\":\"s\",\"uid\":\"secret-1\"}"), ctx).at("/status/token").asString();
    String nodeToken = TokenRequests.issue(request("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"n1\"}"), ctx).at("/status/token").asString();
    assertThat(claims(nodeToken).at("/kubernetes.io/node/uid").asString()).isEqualTo("node-1");
    authenticator.authenticate(secretToken, List.of());
    authenticator.authenticate(nodeToken, List.of());
    objects.remove("secrets/ns1/s");
    objects.remove("nodes/null/n1");
    assertThatThrownBy(() -> authenticator.authenticate(secretToken, List.of())).hasMessageContaining("secret ns1/s has been deleted");
    assertThatThrownBy(() -> authenticator.authenticate(nodeToken, List.of())).hasMessageContaining("node n1 has been deleted");
  }

  @Test
  void anAutomountedPodTokenIsValidForAYearButAnsweredWithItsRequestedExpiry() {
    ObjectNode answer = TokenRequests.issue((ObjectNode) Json.parse(
        "{\"spec\":{\"expirationSeconds\":3607,\"boundObjectRef\":{\"kind\":\"Pod\",\"name\":\"web\"}}}".getBytes(StandardCharsets.UTF_8)), ctx);
    assertThat(answer.at("/status/expirationTimestamp").asString()).isEqualTo("2026-03-04T06:06:14Z");
    JsonNode claims = claims(answer.at("/status/token").asString());
    assertThat(claims.path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 365L * 24 * 3600);
    assertThat(claims.at("/kubernetes.io/warnafter").asLong()).isEqualTo(NOW.getEpochSecond() + 3607);
    // any other lifetime, or no pod, is issued as asked
    ObjectNode plain = TokenRequests.issue((ObjectNode) Json.parse(
        "{\"spec\":{\"expirationSeconds\":3600,\"boundObjectRef\":{\"kind\":\"Pod\",\"name\":\"web\"}}}".getBytes(StandardCharsets.UTF_8)), ctx);
    assertThat(claims(plain.at("/status/token").asString()).path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 3600);
    assertThat(claims(plain.at("/status/token").asString()).path("kubernetes.io").has("warnafter")).isFalse();
  }

  @Test
  void requestsAreRefusedAsUpstreamRefusesThem() {
    assertThatThrownBy(() -> TokenRequests.issue(request("{\"kind\":\"Pod\",\"name\":\"other\"}"), ctx))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("cannot bind token for serviceaccount \"robot\" to pod running with different serviceaccount name.");
    assertThatThrownBy(() -> TokenRequests.issue(request("{\"kind\":\"Pod\",\"name\":\"web\",\"uid\":\"old\"}"), ctx))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(409))
        .hasMessage("Operation cannot be fulfilled on Pod \"web\": the UID in the bound object reference (old) does not match the UID "
            + "in record. The object might have been deleted and then recreated");
    assertThatThrownBy(() -> TokenRequests.issue(request("{\"kind\":\"Pod\",\"name\":\"nope\"}"), ctx))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(404))
        .hasMessage("pods \"nope\" not found");
    assertThatThrownBy(() -> TokenRequests.issue(request("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"c\"}"), ctx))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("cannot bind token to object of type /v1, Kind=ConfigMap");
    assertThatThrownBy(() -> TokenRequests.issue(request("{\"apiVersion\":\"apps/v1\",\"kind\":\"Pod\",\"name\":\"web\"}"), ctx))
        .hasMessage("cannot bind token to object of type apps/v1, Kind=Pod");
  }
}
