package io.kava.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.json.Json;
import io.kava.apiserver.cache.CachedObject;
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

/** Legacy (Secret-held, non-expiring) service-account tokens: their claims and upstream's check of their Secret. */
class LegacyTokensTest {
  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  private static final ServiceAccountTokens.Account ROBOT = new ServiceAccountTokens.Account("ns1", "robot", "sa-1");

  @TempDir Path dir;
  private final Map<String, ObjectNode> objects = new HashMap<>();
  private final AtomicLong revision = new AtomicLong();
  private ServiceAccountTokens signer;
  private BearerTokenAuthenticator authenticator;

  @BeforeEach
  void setUp() throws Exception {
    signer = ServiceAccountTokens.ensure(dir);
    put("serviceaccounts", "robot", "{\"metadata\":{\"name\":\"robot\",\"uid\":\"sa-1\"}}");
    CachedTokenBindings bindings = new CachedTokenBindings((plural, ns, name) -> {
      ObjectNode o = objects.get(plural + "/" + ns + "/" + name);
      return o == null ? null : CachedObject.compact(plural + "/" + ns + "/" + name, ns, name, Json.bytes(o), o.path("rev").asLong(), Map.of(), Map.of());
    });
    authenticator = new BearerTokenAuthenticator(signer, null, bindings, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private void put(String plural, String name, String json) {
    ObjectNode o = (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    o.put("rev", revision.incrementAndGet());
    objects.put(plural + "/ns1/" + name, o);
  }

  private void putSecret(String name, String token) {
    String b64 = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    put("secrets", name, "{\"metadata\":{\"name\":\"" + name + "\",\"uid\":\"s-1\"},\"data\":{\"token\":\"" + b64 + "\"}}");
  }

  @Test
  void legacyTokenHasUpstreamsClaimsAndNoExpiry() {
    String token = signer.issueLegacy(ROBOT, "robot-token");
    JsonNode claims = Json.parse(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertThat(claims.path("iss").asString()).isEqualTo("kubernetes/serviceaccount");
    assertThat(claims.path("sub").asString()).isEqualTo("system:serviceaccount:ns1:robot");
    assertThat(claims.path("kubernetes.io/serviceaccount/namespace").asString()).isEqualTo("ns1");
    assertThat(claims.path("kubernetes.io/serviceaccount/secret.name").asString()).isEqualTo("robot-token");
    assertThat(claims.path("kubernetes.io/serviceaccount/service-account.name").asString()).isEqualTo("robot");
    assertThat(claims.path("kubernetes.io/serviceaccount/service-account.uid").asString()).isEqualTo("sa-1");
    assertThat(claims.has("exp")).isFalse();
    assertThat(claims.has("aud")).isFalse();
  }

  @Test
  void authenticatesWhileTheSecretHoldsTheToken() {
    String token = signer.issueLegacy(ROBOT, "robot-token");
    putSecret("robot-token", token);
    UserInfo u = authenticator.authenticate(token, List.of()).user();
    assertThat(u.name()).isEqualTo("system:serviceaccount:ns1:robot");
    assertThat(u.groups()).contains("system:serviceaccounts", "system:serviceaccounts:ns1");
    assertThatThrownBy(() -> authenticator.authenticate(token, List.of("vault"))).isInstanceOf(AuthenticationException.class);
  }

  @Test
  void failsOnceTheSecretIsDeletedOrHoldsAnotherToken() {
    String token = signer.issueLegacy(ROBOT, "robot-token");
    assertThatThrownBy(() -> authenticator.authenticate(token, List.of())).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("secret ns1/robot-token has been deleted");
    putSecret("robot-token", signer.issueLegacy(ROBOT, "robot-token") + "x");
    assertThatThrownBy(() -> authenticator.authenticate(token, List.of())).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void failsOnceTheAccountIsGoneOrReplaced() {
    String token = signer.issueLegacy(ROBOT, "robot-token");
    putSecret("robot-token", token);
    put("serviceaccounts", "robot", "{\"metadata\":{\"name\":\"robot\",\"uid\":\"sa-2\"}}");
    assertThatThrownBy(() -> authenticator.authenticate(token, List.of())).isInstanceOf(AuthenticationException.class);
    objects.remove("serviceaccounts/ns1/robot");
    assertThatThrownBy(() -> authenticator.authenticate(token, List.of())).isInstanceOf(AuthenticationException.class);
  }
}
