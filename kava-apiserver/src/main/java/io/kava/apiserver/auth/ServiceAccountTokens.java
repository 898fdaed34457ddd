package io.kava.apiserver.auth;

import io.kava.api.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Service-account tokens as upstream's TokenRequest issues them: ES256-signed JWTs with the claims iss, sub
 * ({@code system:serviceaccount:NS:NAME}), aud, exp, iat, nbf, jti and {@code kubernetes.io} (namespace, service
 * account name and uid, and the pod, secret or node the token is bound to). The P-256 key pair is generated once into {@code pki/sa.key} and {@code pki/sa.pub}
 * (upstream's names). Thread-safe; verification never touches the store (the caller checks that the account still
 * exists).
 */
public final class ServiceAccountTokens {
  /** upstream's default --service-account-issuer and API audience */
  public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";
  private static final String HEADER = b64(("{\"alg\":\"ES256\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
  private static final String ALGORITHM = "SHA256withECDSAinP1363Format";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String issuer;

  public ServiceAccountTokens(PrivateKey privateKey, PublicKey publicKey, String issuer) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.issuer = issuer;
  }

  /** Loads {@code dir/sa.key} and {@code dir/sa.pub}, generating them first when either is missing. */
  public static ServiceAccountTokens ensure(Path dir) throws IOException {
    Path keyFile = dir.resolve("sa.key");
    Path pubFile = dir.resolve("sa.pub");
    if (!Files.exists(keyFile) || !Files.exists(pubFile)) {
      KeyPair pair;
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        pair = g.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot generate the service-account signing key", e);
      }
      Files.createDirectories(dir);
      Path tmp = dir.resolve("sa.key.tmp");
      Files.writeString(tmp, Pem.encode(pair.getPrivate()));
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      Files.writeString(pubFile, Pem.encode(pair.getPublic()));
      Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new ServiceAccountTokens(pair.getPrivate(), pair.getPublic(), DEFAULT_ISSUER);
    }
    return new ServiceAccountTokens(Pem.readPrivateKey(Files.readString(keyFile)), Pem.readEcPublicKey(Files.readString(pubFile)), DEFAULT_ISSUER);
  }

  public String issuer() { return issuer; }

  /** The audiences a token must name to authenticate to this API server. */
  public List<String> apiAudiences() { return List.of(issuer); }

  /** The service account a token speaks for. */
  public record Account(String namespace, String name, String uid) {
    public String userName() { return "system:serviceaccount:" + namespace + ":" + name; }
  }

  /** An object named in a token's {@code kubernetes.io} claims: its name and uid. */
  public record BoundObject(String name, String uid) {}

  /**
   * What a token is bound to besides its account (upstream's pod, secret and node claims; each may be null). A token
   * bound to a pod on a node names both, as upstream's kube-apiserver does since 1.30.
   */
  public record Bindings(BoundObject pod, BoundObject secret, BoundObject node) {
    public static final Bindings NONE = new Bindings(null, null, null);

    public boolean isEmpty() { return pod == null && secret == null && node == null; }
  }

  /**
   * A verified token's account, the objects it is bound to, id, the audiences (of those asked for) it names and its
   * expiry (epoch seconds).
   */
  public record Verified(Account account, Bindings bindings, String jti, List<String> audiences, long expiresAt, LegacySecret legacy) {
    public Verified(Account account, Bindings bindings, String jti, List<String> audiences, long expiresAt) {
      this(account, bindings, jti, audiences, expiresAt, null);
    }
  }

  /**
   * The Secret a legacy (non-expiring) token was issued into and the token itself: upstream accepts such a token only
   * while that Secret still exists and still holds exactly this token.
   */
  public record LegacySecret(String name, String token) {}

  /** upstream's issuer of legacy tokens (those the token controller writes into Secrets) */
  public static final String LEGACY_ISSUER = "kubernetes/serviceaccount";
  private static final String LEGACY_PREFIX = "kubernetes.io/serviceaccount/";

  /**
   * A legacy token as upstream's token controller writes into a {@code kubernetes.io/service-account-token} Secret:
   * issuer {@value #LEGACY_ISSUER}, flat {@code kubernetes.io/serviceaccount/*} claims, no audience and no expiry.
   */
  public String issueLegacy(Account account, String secretName) {
    ObjectNode claims = Json.object();
    claims.put("iss", LEGACY_ISSUER);
    claims.put(LEGACY_PREFIX + "namespace", account.namespace());
    claims.put(LEGACY_PREFIX + "secret.name", secretName);
    claims.put(LEGACY_PREFIX + "service-account.name", account.name());
    claims.put(LEGACY_PREFIX + "service-account.uid", account.uid());
    claims.put("sub", account.userName());
    return sign(claims);
  }

  private String sign(ObjectNode claims) {
    String signingInput = HEADER + "." + b64(Json.bytes(claims));
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(privateKey);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a service-account token", e);
    }
  }

  /** Signs a token for {@code account}, valid from {@code now} for {@code expirationSeconds}. */
  public String issue(Account account, List<String> audiences, Instant now, long expirationSeconds) {
    return issue(account, Bindings.NONE, audiences, now, expirationSeconds);
  }

  /** Signs a token for {@code account} bound to {@code bindings}, valid from {@code now} for {@code expirationSeconds}. */
  public String issue(Account account, Bindings bindings, List<String> audiences, Instant now, long expirationSeconds) {
    return issue(account, bindings, audiences, now, expirationSeconds, 0);
  }

  /**
   * As {@link #issue(Account, Bindings, List, Instant, long)}, with upstream's {@code kubernetes.io/warnafter} claim
   * {@code warnAfterSeconds} after {@code now} (0: none): the moment a token whose lifetime the server extended should
   * have been replaced.
   */
  public String issue(Account account, Bindings bindings, List<String> audiences, Instant now, long expirationSeconds, long warnAfterSeconds) {
    ObjectNode claims = Json.object();
    claims.put("iss", issuer);
    claims.put("sub", account.userName());
    audiences.forEach(claims.putArray("aud")::add);
    long iat = now.getEpochSecond();
    claims.put("exp", iat + expirationSeconds);
    claims.put("iat", iat);
    claims.put("nbf", iat);
    claims.put("jti", UUID.randomUUID().toString());
    ObjectNode k8s = claims.putObject("kubernetes.io");
    k8s.put("namespace", account.namespace());
    ObjectNode sa = k8s.putObject("serviceaccount");
    sa.put("name", account.name());
    sa.put("uid", account.uid());
    putBound(k8s, "pod", bindings.pod());
    putBound(k8s, "secret", bindings.secret());
    putBound(k8s, "node", bindings.node());
    if (warnAfterSeconds > 0) k8s.put("warnafter", iat + warnAfterSeconds);
    return sign(claims);
  }

  /** Whether a bearer token is shaped like a JWT at all (three dot-separated parts); others belong to other authenticators. */
  public static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    return first > 0 && token.indexOf('.', first + 1) > first + 1 && token.chars().filter(c -> c == '.').count() == 2;
  }

  /**
   * Checks a token's signature, issuer, audience and validity period.
   *
   * @return empty when the token was not issued by this signer (another authenticator may know it)
   * @throws AuthenticationException when it was, but is expired, not yet valid, for another audience or malformed
   */
  public Optional<Verified> verify(String token, Instant now) { return verify(token, now, apiAudiences()); }

  /** As {@link #verify(String, Instant)}, for a token that must name one of {@code audiences}. */
  public Optional<Verified> verify(String token, Instant now, List<String> audiences) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) return Optional.empty();
    JsonNode claims;
    try {
      if (!parts[0].equals(HEADER)) {
        JsonNode header = Json.parse(Base64.getUrlDecoder().decode(parts[0]));
        if (!"ES256".equals(header.path("alg").asString(""))) return Optional.empty();
      }
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(publicKey);
      s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) return Optional.empty();
      claims = Json.parse(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IllegalArgumentException | GeneralSecurityException | tools.jackson.core.JacksonException e) {
      return Optional.empty();
    }
    if (LEGACY_ISSUER.equals(claims.path("iss").asString(""))) return Optional.of(legacy(token, claims, audiences));
    if (!issuer.equals(claims.path("iss").asString(""))) return Optional.empty();
    long t = now.getEpochSecond();
    if (!claims.path("exp").canConvertToLong() || t >= claims.path("exp").asLong()) throw new AuthenticationException("service account token has expired");
    if (claims.has("nbf") && t < claims.path("nbf").asLong()) throw new AuthenticationException("service account token is not valid yet");
    List<String> aud = new ArrayList<>();
    JsonNode a = claims.path("aud");
    if (a.isString()) aud.add(a.asString());
    else a.forEach(n -> aud.add(n.asString()));
    List<String> common = audiences.stream().filter(aud::contains).toList();
    if (common.isEmpty()) throw new AuthenticationException("service account token audiences " + aud + " do not include " + audiences);
    JsonNode k8s = claims.path("kubernetes.io");
    String ns = k8s.path("namespace").asString("");
    String name = k8s.path("serviceaccount").path("name").asString("");
    String uid = k8s.path("serviceaccount").path("uid").asString("");
    if (ns.isEmpty() || name.isEmpty() || !claims.path("sub").asString("").equals("system:serviceaccount:" + ns + ":" + name)) {
      throw new AuthenticationException("service account token has malformed claims");
    }
    Bindings bindings = new Bindings(bound(k8s, "pod"), bound(k8s, "secret"), bound(k8s, "node"));
    return Optional.of(new Verified(new Account(ns, name, uid), bindings, claims.path("jti").asString(""), common, claims.path("exp").asLong()));
  }

  /**
   * A legacy token's claims. It never expires and names no audience: as upstream's audience-agnostic wrapper, it is
   * valid for this API server's own audiences only.
   */
  private Verified legacy(String token, JsonNode claims, List<String> audiences) {
    String ns = claims.path(LEGACY_PREFIX + "namespace").asString("");
    String name = claims.path(LEGACY_PREFIX + "service-account.name").asString("");
    String uid = claims.path(LEGACY_PREFIX + "service-account.uid").asString("");
    String secret = claims.path(LEGACY_PREFIX + "secret.name").asString("");
    if (ns.isEmpty() || name.isEmpty() || uid.isEmpty() || secret.isEmpty()
        || !claims.path("sub").asString("").equals("system:serviceaccount:" + ns + ":" + name)) {
      throw new AuthenticationException("service account token has malformed claims");
    }
    List<String> common = audiences.stream().filter(apiAudiences()::contains).toList();
    if (common.isEmpty()) throw new AuthenticationException("legacy service account token is not valid for audiences " + audiences);
    return new Verified(new Account(ns, name, uid), Bindings.NONE, "", common, Long.MAX_VALUE, new LegacySecret(secret, token));
  }

  private static void putBound(ObjectNode k8s, String field, BoundObject o) {
    if (o == null) return;
    ObjectNode n = k8s.putObject(field);
    n.put("name", o.name());
    n.put("uid", o.uid());
  }

  private static BoundObject bound(JsonNode k8s, String field) {
    JsonNode n = k8s.get(field);
    if (n == null || !n.isObject()) return null;
    String name = n.path("name").asString("");
    if (name.isEmpty()) throw new AuthenticationException("service account token has malformed claims");
    return new BoundObject(name, n.path("uid").asString(""));
  }

  /**
   * upstream's user for a service account: its name, uid and the service-account groups, with the credential id and
   * the bound pod and node (name and uid) as extra.
   */
  public static UserInfo user(Verified v) {
    Account a = v.account();
    java.util.Map<String, List<String>> extra = new java.util.TreeMap<>();
    if (!v.jti().isEmpty()) extra.put(UserInfo.CREDENTIAL_ID_KEY, List.of("JTI=" + v.jti()));
    BoundObject pod = v.bindings().pod();
    if (pod != null) {
      extra.put("authentication.kubernetes.io/pod-name", List.of(pod.name()));
      extra.put("authentication.kubernetes.io/pod-uid", List.of(pod.uid()));
    }
    BoundObject node = v.bindings().node();
    if (node != null) {
      extra.put("authentication.kubernetes.io/node-name", List.of(node.name()));
      extra.put("authentication.kubernetes.io/node-uid", List.of(node.uid()));
    }
    return new UserInfo(a.userName(), a.uid(), List.of("system:serviceaccounts", "system:serviceaccounts:" + a.namespace()), extra).withAuthenticatedGroup();
  }

  private static String b64(byte[] bytes) { return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes); }
}
