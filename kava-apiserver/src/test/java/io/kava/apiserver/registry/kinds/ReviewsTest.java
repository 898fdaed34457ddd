package io.kava.apiserver.registry.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.api.json.Json;
import io.kava.apiserver.auth.UserInfo;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ReviewContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ReviewsTest {
  private static final UserInfo ADMIN = new UserInfo("kava-admin", "", List.of("system:masters", "system:authenticated"),
      Map.of(UserInfo.CREDENTIAL_ID_KEY, List.of("X509SHA256=ab")));

  private static ObjectNode json(String s) { return (ObjectNode) Json.parse(s.getBytes(StandardCharsets.UTF_8)); }

  private static ReviewContext ctx(UserInfo user, String ns) { return new ReviewContext(user, ns, null, Instant.parse("2026-01-02T03:04:05Z"), false, null); }

  @Test
  void selfAccessReviewAllowsAnAuthenticatedCaller() {
    ObjectNode r = AccessReviews.self(json("{\"spec\":{\"resourceAttributes\":{\"verb\":\"create\",\"resource\":\"pods\",\"namespace\":\"default\"}}}"), ctx(ADMIN, null));
    assertTrue(r.path("status").path("allowed").asBoolean());
    assertFalse(r.path("status").has("reason"));
  }

  @Test
  void selfAccessReviewNeedsExactlyOneKindOfAttributes() {
    StatusException none = assertThrows(StatusException.class, () -> AccessReviews.self(json("{\"spec\":{}}"), ctx(ADMIN, null)));
    assertEquals(422, none.code());
    assertThrows(StatusException.class, () -> AccessReviews.self(json(
        "{\"spec\":{\"resourceAttributes\":{},\"nonResourceAttributes\":{\"path\":\"/api\",\"verb\":\"get\"}}}"), ctx(ADMIN, null)));
  }

  @Test
  void subjectAccessReviewDeniesTheAnonymousUserExceptPublicPaths() {
    ObjectNode denied = AccessReviews.subject(json("{\"spec\":{\"user\":\"system:anonymous\",\"groups\":[\"system:unauthenticated\"],"
        + "\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"pods\"}}}"), ctx(ADMIN, null));
    assertFalse(denied.path("status").path("allowed").asBoolean());
    assertFalse(denied.path("status").path("reason").asString("").isEmpty());
    ObjectNode healthz = AccessReviews.subject(json("{\"spec\":{\"user\":\"system:anonymous\","
        + "\"nonResourceAttributes\":{\"verb\":\"get\",\"path\":\"/healthz\"}}}"), ctx(ADMIN, null));
    assertTrue(healthz.path("status").path("allowed").asBoolean());
    ObjectNode bob = AccessReviews.subject(json("{\"spec\":{\"user\":\"bob\",\"resourceAttributes\":{\"verb\":\"delete\",\"resource\":\"nodes\"}}}"), ctx(ADMIN, null));
    assertTrue(bob.path("status").path("allowed").asBoolean());
  }

  @Test
  void subjectAccessReviewNeedsAUserOrGroup() {
    StatusException e = assertThrows(StatusException.class, () -> AccessReviews.subject(json("{\"spec\":{\"resourceAttributes\":{}}}"), ctx(ADMIN, null)));
    assertEquals(422, e.code());
  }

  @Test
  void localAccessReviewMustNameTheUrlNamespace() {
    StatusException e = assertThrows(StatusException.class, () -> AccessReviews.local(json(
        "{\"spec\":{\"user\":\"bob\",\"resourceAttributes\":{\"namespace\":\"other\"}}}"), ctx(ADMIN, "default")));
    assertEquals(400, e.code());
    ObjectNode ok = AccessReviews.local(json("{\"spec\":{\"user\":\"bob\",\"resourceAttributes\":{\"namespace\":\"default\"}}}"), ctx(ADMIN, "default"));
    assertTrue(ok.path("status").path("allowed").asBoolean());
    assertEquals("default", ok.path("metadata").path("namespace").asString());
  }

  @Test
  void rulesReviewListsEverythingForAnAuthenticatedCaller() {
    ObjectNode r = AccessReviews.rules(json("{\"spec\":{\"namespace\":\"default\"}}"), ctx(ADMIN, null));
    assertEquals("*", r.at("/status/resourceRules/0/verbs/0").asString());
    assertEquals("*", r.at("/status/nonResourceRules/0/nonResourceURLs/0").asString());
    assertFalse(r.at("/status/incomplete").asBoolean());
  }

  @Test
  void selfSubjectReviewReportsTheCaller() {
    ObjectNode r = UserReviews.self(json("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}"), ctx(ADMIN, null));
    assertEquals("kava-admin", r.at("/status/userInfo/username").asString());
    assertEquals("system:masters", r.at("/status/userInfo/groups/0").asString());
    assertEquals("X509SHA256=ab", r.at("/status/userInfo/extra/authentication.kubernetes.io~1credential-id/0").asString());
    assertFalse(r.at("/status/userInfo").has("uid"));
    assertEquals("2026-01-02T03:04:05Z", r.at("/metadata/creationTimestamp").asString());
  }

  private static io.kava.apiserver.registry.ServerServices services(io.kava.apiserver.auth.ServiceAccountTokens signer,
      io.kava.apiserver.auth.BearerTokenAuthenticator authenticator, boolean accountExists) {
    return new io.kava.apiserver.registry.ServerServices() {
      public String allocateClusterIp(String requested, boolean dryRun) { throw new UnsupportedOperationException(); }
      public void releaseClusterIp(String ip) {}
      public int allocateNodePort(int requested, boolean dryRun) { throw new UnsupportedOperationException(); }
      public void releaseNodePort(int port) {}
      public tools.jackson.databind.JsonNode lookup(String group, String plural, String namespace, String name) {
        return accountExists && plural.equals("serviceaccounts") ? json("{\"metadata\":{\"name\":\"" + name + "\",\"uid\":\"uid-9\"}}") : null;
      }
      public List<tools.jackson.databind.JsonNode> all(String group, String plural) { return List.of(); }
      public io.kava.apiserver.auth.ServiceAccountTokens serviceAccountTokens() { return signer; }
      public io.kava.apiserver.auth.BearerTokenAuthenticator tokenAuthenticator() { return authenticator; }
    };
  }

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  @Test
  void tokenRequestIssuesATokenThatTokenReviewAccepts() throws Exception {
    var signer = io.kava.apiserver.auth.ServiceAccountTokens.ensure(dir);
    Instant now = Instant.parse("2026-01-02T03:04:05Z");
    var authenticator = new io.kava.apiserver.auth.BearerTokenAuthenticator(signer, null, io.kava.apiserver.auth.TokenBindings.accountsOnly(a -> a.uid().equals("uid-9")),
        java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    var services = services(signer, authenticator, true);
    ReviewContext ctx = new ReviewContext(ADMIN, "ns1", "robot", now, false, services);
    ObjectNode answered = TokenRequests.issue(json("{\"spec\":{}}"), ctx);
    assertEquals(3600, answered.at("/spec/expirationSeconds").asLong());
    assertEquals(io.kava.apiserver.auth.ServiceAccountTokens.DEFAULT_ISSUER, answered.at("/spec/audiences/0").asString());
    assertEquals("2026-01-02T04:04:05Z", answered.at("/status/expirationTimestamp").asString());
    assertEquals("robot", answered.at("/metadata/name").asString());
    String token = answered.at("/status/token").asString();

    ObjectNode review = UserReviews.token(json("{\"spec\":{\"token\":\"" + token + "\"}}"), ctx);
    assertTrue(review.at("/status/authenticated").asBoolean());
    assertEquals("system:serviceaccount:ns1:robot", review.at("/status/user/username").asString());
    assertEquals("uid-9", review.at("/status/user/uid").asString());
    ObjectNode bad = UserReviews.token(json("{\"spec\":{\"token\":\"nope\"}}"), ctx);
    assertFalse(bad.at("/status/authenticated").asBoolean());
    assertFalse(bad.at("/status/error").asString("").isEmpty());
    assertEquals(400, assertThrows(StatusException.class, () -> UserReviews.token(json("{\"spec\":{}}"), ctx)).code());
  }

  @Test
  void tokenRequestRefusesShortLivesMissingBoundObjectsAndMissingAccounts() throws Exception {
    var signer = io.kava.apiserver.auth.ServiceAccountTokens.ensure(dir);
    ReviewContext ctx = new ReviewContext(ADMIN, "ns1", "robot", Instant.now(), false, services(signer, null, true));
    assertEquals(422, assertThrows(StatusException.class, () -> TokenRequests.issue(json("{\"spec\":{\"expirationSeconds\":60}}"), ctx)).code());
    assertEquals(404, assertThrows(StatusException.class, () -> TokenRequests.issue(
        json("{\"spec\":{\"boundObjectRef\":{\"kind\":\"Pod\",\"name\":\"p\"}}}"), ctx)).code());
    ReviewContext gone = new ReviewContext(ADMIN, "ns1", "robot", Instant.now(), false, services(signer, null, false));
    assertEquals(404, assertThrows(StatusException.class, () -> TokenRequests.issue(json("{\"spec\":{}}"), gone)).code());
  }
}
