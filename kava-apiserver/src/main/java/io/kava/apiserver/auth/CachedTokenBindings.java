package io.kava.apiserver.auth;

import io.kava.api.json.Json;
import io.kava.apiserver.cache.CachedObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * {@link TokenBindings} over the API server's watch cache: one keyed lookup per named object, no list and no wait.
 * The uid and deletion mark of each object are parsed once per revision and remembered, so a token used for many
 * requests costs map lookups only.
 */
public final class CachedTokenBindings implements TokenBindings {
  /** The current object of a core/v1 resource, or null; must not block. */
  @FunctionalInterface
  public interface Objects {
    CachedObject get(String plural, String namespace, String name);
  }

  /** What a check needs of an object, at one revision. */
  private record Identity(long revision, String uid, Instant deletionTimestamp, String token) {}

  static final int MAX_REMEMBERED = 8192;

  private final Objects objects;
  private final ConcurrentHashMap<String, Identity> identities = new ConcurrentHashMap<>();

  public CachedTokenBindings(Objects objects) { this.objects = objects; }

  /** A Secret's decoded {@code data.token}, or null (other objects, or no or malformed token). */
  private static String secretToken(JsonNode obj) {
    String b64 = obj.path("data").path("token").asString("");
    if (b64.isEmpty()) return null;
    try {
      return new String(java.util.Base64.getDecoder().decode(b64), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String invalidReason(ServiceAccountTokens.Verified token, Instant now) {
    ServiceAccountTokens.Account a = token.account();
    Instant deletedBefore = now.minusSeconds(DELETION_GRACE_SECONDS);
    String why = check("serviceaccounts", "service account", a.namespace(), new ServiceAccountTokens.BoundObject(a.name(), a.uid()), deletedBefore);
    if (why == null && token.legacy() != null) why = checkLegacySecret(a.namespace(), token.legacy(), deletedBefore);
    ServiceAccountTokens.Bindings b = token.bindings();
    if (why == null && b.pod() != null) why = check("pods", "pod", a.namespace(), b.pod(), deletedBefore);
    if (why == null && b.secret() != null) why = check("secrets", "secret", a.namespace(), b.secret(), deletedBefore);
    // A pod-bound token names its pod's node for information only (upstream); a node-bound one depends on the node.
    if (why == null && b.node() != null && b.pod() == null) why = check("nodes", "node", null, b.node(), deletedBefore);
    return why;
  }

  private String check(String plural, String what, String namespace, ServiceAccountTokens.BoundObject claim, Instant deletedBefore) {
    String label = namespace == null ? claim.name() : namespace + "/" + claim.name();
    CachedObject o = objects.get(plural, namespace, claim.name());
    if (o == null) return what + " " + label + " has been deleted";
    Identity id = identity(o);
    if (!id.uid().equals(claim.uid())) return what + " UID (" + id.uid() + ") does not match claim (" + claim.uid() + ")";
    if (id.deletionTimestamp() != null && id.deletionTimestamp().isBefore(deletedBefore)) {
      return what + " " + label + " is marked for deletion";
    }
    return null;
  }

  /** upstream's legacy validator: the token's Secret still exists and still holds exactly this token. */
  private String checkLegacySecret(String namespace, ServiceAccountTokens.LegacySecret secret, Instant deletedBefore) {
    CachedObject o = objects.get("secrets", namespace, secret.name());
    if (o == null) return "secret " + namespace + "/" + secret.name() + " has been deleted";
    Identity id = identity(o);
    if (!secret.token().equals(id.token())) return "token does not match the one in secret " + namespace + "/" + secret.name();
    if (id.deletionTimestamp() != null && id.deletionTimestamp().isBefore(deletedBefore)) {
      return "secret " + namespace + "/" + secret.name() + " is marked for deletion";
    }
    return null;
  }

  private Identity identity(CachedObject o) {
    Identity id = identities.get(o.key());
    if (id != null && id.revision() == o.revision()) return id;
    JsonNode obj = o.isCompact() ? Json.parse(o.bytes()) : o.object();
    JsonNode meta = obj.path("metadata");
    String ts = meta.path("deletionTimestamp").asString("");
    id = new Identity(o.revision(), meta.path("uid").asString(""), ts.isEmpty() ? null : OffsetDateTime.parse(ts).toInstant(), secretToken(obj));
    if (identities.size() >= MAX_REMEMBERED) identities.clear(); // crude bound; refilling costs one parse per object
    identities.put(o.key(), id);
    return id;
  }
}
