package io.kava.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.api.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ServiceAccountTokensTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final ServiceAccountTokens.Account DEFAULT = new ServiceAccountTokens.Account("ns1", "default", "uid-1");

  @TempDir Path dir;

  @Test
  void theKeyIsGeneratedOnceAndReused() throws Exception {
    ServiceAccountTokens first = ServiceAccountTokens.ensure(dir);
    String key = Files.readString(dir.resolve("sa.key"));
    assertTrue(Files.readString(dir.resolve("sa.pub")).startsWith("-----BEGIN PUBLIC KEY-----"));
    String token = first.issue(DEFAULT, first.apiAudiences(), NOW, 3600);
    ServiceAccountTokens again = ServiceAccountTokens.ensure(dir);
    assertEquals(key, Files.readString(dir.resolve("sa.key")));
    assertEquals(DEFAULT, again.verify(token, NOW.plusSeconds(10)).orElseThrow().account());
  }

  @Test
  void claimsAreUpstreams() throws Exception {
    ServiceAccountTokens t = ServiceAccountTokens.ensure(dir);
    String[] parts = t.issue(DEFAULT, List.of("api", "vault"), NOW, 7200).split("\\.");
    assertEquals(3, parts.length);
    assertEquals("ES256", Json.parse(Base64.getUrlDecoder().decode(parts[0])).path("alg").asString());
    JsonNode c = Json.parse(Base64.getUrlDecoder().decode(parts[1]));
    assertEquals(ServiceAccountTokens.DEFAULT_ISSUER, c.path("iss").asString());
    assertEquals("system:serviceaccount:ns1:default", c.path("sub").asString());
    assertEquals("vault", c.path("aud").get(1).asString());
    assertEquals(NOW.getEpochSecond() + 7200, c.path("exp").asLong());
    assertEquals(NOW.getEpochSecond(), c.path("iat").asLong());
    assertEquals(NOW.getEpochSecond(), c.path("nbf").asLong());
    assertEquals("ns1", c.at("/kubernetes.io/namespace").asString());
    assertEquals("default", c.at("/kubernetes.io/serviceaccount/name").asString());
    assertEquals("uid-1", c.at("/kubernetes.io/serviceaccount/uid").asString());
  }

  @Test
  void expiredTokensAndOtherAudiencesAreRejected() throws Exception {
    ServiceAccountTokens t = ServiceAccountTokens.ensure(dir);
    String token = t.issue(DEFAULT, t.apiAudiences(), NOW, 600);
    assertThrows(AuthenticationException.class, () -> t.verify(token, NOW.plusSeconds(600)));
    assertThrows(AuthenticationException.class, () -> t.verify(token, NOW.minusSeconds(5)));
    String vault = t.issue(DEFAULT, List.of("vault"), NOW, 600);
    assertThrows(AuthenticationException.class, () -> t.verify(vault, NOW));
  }

  @Test
  void tokensOfAnotherKeyOrTamperedOnesAreNotThisSignersTokens(@TempDir Path other) throws Exception {
    ServiceAccountTokens t = ServiceAccountTokens.ensure(dir);
    String foreign = ServiceAccountTokens.ensure(other).issue(DEFAULT, t.apiAudiences(), NOW, 3600);
    assertFalse(t.verify(foreign, NOW).isPresent());
    String[] parts = t.issue(DEFAULT, t.apiAudiences(), NOW, 3600).split("\\.");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1])).replace("default", "admin").getBytes()) + "." + parts[2];
    assertFalse(t.verify(forged, NOW).isPresent());
    assertFalse(t.verify("not-a-jwt", NOW).isPresent());
    assertFalse(ServiceAccountTokens.looksLikeJwt("abc"));
  }

  @Test
  void theUserIsTheServiceAccount() throws Exception {
    ServiceAccountTokens t = ServiceAccountTokens.ensure(dir);
    UserInfo u = ServiceAccountTokens.user(t.verify(t.issue(DEFAULT, t.apiAudiences(), NOW, 3600), NOW).orElseThrow());
    assertEquals("system:serviceaccount:ns1:default", u.name());
    assertEquals("uid-1", u.uid());
    assertEquals(List.of("system:serviceaccounts", "system:serviceaccounts:ns1", "system:authenticated"), u.groups());
    assertTrue(u.extra().get(UserInfo.CREDENTIAL_ID_KEY).get(0).startsWith("JTI="));
  }
}
