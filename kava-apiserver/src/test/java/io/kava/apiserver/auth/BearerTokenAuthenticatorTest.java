package io.kava.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenAuthenticatorTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final ServiceAccountTokens.Account ROBOT = new ServiceAccountTokens.Account("ns1", "robot", "uid-1");

  @TempDir Path dir;
  ServiceAccountTokens signer;
  final Set<ServiceAccountTokens.Account> accounts = new HashSet<>();
  BearerTokenAuthenticator authenticator;

  @BeforeEach
  void setUp() throws Exception {
    signer = ServiceAccountTokens.ensure(dir);
    accounts.add(ROBOT);
    TokenAuthenticator file = TokenAuthenticator.of(Map.of("static-token", UserInfo.of("alice", List.of("devs"))));
    authenticator = new BearerTokenAuthenticator(signer, file, TokenBindings.accountsOnly(accounts::contains), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void serviceAccountTokensAuthenticateWhileTheAccountExists() {
    String token = signer.issue(ROBOT, signer.apiAudiences(), NOW, 3600);
    assertEquals("system:serviceaccount:ns1:robot", authenticator.authenticateHeader("Bearer " + token).orElseThrow().name());
    accounts.clear();
    assertThrows(AuthenticationException.class, () -> authenticator.authenticateHeader("Bearer " + token));
    accounts.add(new ServiceAccountTokens.Account("ns1", "robot", "uid-of-a-new-robot"));
    assertThrows(AuthenticationException.class, () -> authenticator.authenticateHeader("Bearer " + token));
  }

  @Test
  void aCachedTokenStillExpires() {
    java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(NOW);
    Clock moving = new Clock() {
      public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
      public Clock withZone(java.time.ZoneId zone) { return this; }
      public Instant instant() { return now.get(); }
    };
    BearerTokenAuthenticator a = new BearerTokenAuthenticator(signer, null, TokenBindings.accountsOnly(accounts::contains), moving);
    String token = signer.issue(ROBOT, signer.apiAudiences(), NOW, 600);
    assertTrue(a.authenticateHeader("Bearer " + token).isPresent());
    assertTrue(a.authenticateHeader("Bearer " + token).isPresent());
    now.set(NOW.plusSeconds(600));
    assertThrows(AuthenticationException.class, () -> a.authenticateHeader("Bearer " + token));
  }

  @Test
  void staticTokensStillWorkAndUnknownTokensFail() {
    assertEquals("alice", authenticator.authenticateHeader("Bearer static-token").orElseThrow().name());
    assertThrows(AuthenticationException.class, () -> authenticator.authenticateHeader("Bearer a.b.c"));
    assertThrows(AuthenticationException.class, () -> authenticator.authenticateHeader("Bearer nobody"));
    assertTrue(authenticator.authenticateHeader(null).isEmpty());
  }

  @Test
  void audiencesAreThoseAskedForThatTheTokenNames() {
    String token = signer.issue(ROBOT, List.of("vault", "other"), NOW, 3600);
    assertEquals(List.of("vault"), authenticator.authenticate(token, List.of("vault", "x")).audiences());
    assertThrows(AuthenticationException.class, () -> authenticator.authenticate(token, List.of()));
    assertThrows(AuthenticationException.class, () -> authenticator.authenticate("static-token", List.of("vault")));
  }
}
