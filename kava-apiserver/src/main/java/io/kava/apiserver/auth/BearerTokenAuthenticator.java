package io.kava.apiserver.auth;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Every bearer token kava accepts, in upstream's order: service-account JWTs signed by this server (while the account
 * and the objects the token is bound to still exist with the token's uids), then the static token file. Used for requests and by TokenReview, so both give
 * the same answer.
 */
public final class BearerTokenAuthenticator {
  private final ServiceAccountTokens serviceAccounts;
  private final TokenAuthenticator staticTokens;
  private final TokenBindings bindings;
  private final Clock clock;
  /**
   * Tokens already verified for this server's audiences: a signature check costs far more than the request it guards
   * (upstream caches token results too). Expiry and the bound objects are still checked on every use.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, ServiceAccountTokens.Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();
  static final int MAX_CACHED = 4096;

  /**
   * @param staticTokens  the token file's tokens, or null when there is none
   * @param bindings      whether a token's account and bound objects are current (must not block: it runs on the
   *                      event loop)
   */
  public BearerTokenAuthenticator(ServiceAccountTokens serviceAccounts, TokenAuthenticator staticTokens,
                                  TokenBindings bindings, Clock clock) {
    this.serviceAccounts = serviceAccounts;
    this.staticTokens = staticTokens;
    this.bindings = bindings;
    this.clock = clock;
  }

  /** A token's user and the audiences it is valid for. */
  public record Authenticated(UserInfo user, List<String> audiences) {}

  /**
   * The user of {@code token} for any of {@code audiences} (empty = this API server's audiences).
   *
   * @throws AuthenticationException when no authenticator accepts the token, with the reason
   */
  public Authenticated authenticate(String token, List<String> audiences) {
    List<String> wanted = audiences.isEmpty() ? serviceAccounts.apiAudiences() : audiences;
    if (ServiceAccountTokens.looksLikeJwt(token)) {
      Optional<ServiceAccountTokens.Verified> v = audiences.isEmpty() ? verifiedForApi(token) : serviceAccounts.verify(token, clock.instant(), wanted);
      if (v.isPresent()) {
        String invalid = bindings.invalidReason(v.get(), clock.instant());
        if (invalid != null) throw new AuthenticationException(invalid);
        return new Authenticated(ServiceAccountTokens.user(v.get()), v.get().audiences());
      }
    }
    Optional<UserInfo> u = staticTokens == null ? Optional.empty() : staticTokens.authenticateToken(token);
    // static tokens are valid for this API server's audiences only
    List<String> common = audiences.isEmpty() ? wanted : wanted.stream().filter(serviceAccounts.apiAudiences()::contains).toList();
    if (u.isEmpty() || common.isEmpty()) throw new AuthenticationException(TokenAuthenticator.INVALID_BEARER_TOKEN);
    return new Authenticated(u.get(), common);
  }

  private Optional<ServiceAccountTokens.Verified> verifiedForApi(String token) {
    ServiceAccountTokens.Verified v = verified.get(token);
    if (v != null) {
      if (clock.instant().getEpochSecond() < v.expiresAt()) return Optional.of(v);
      verified.remove(token);
    }
    Optional<ServiceAccountTokens.Verified> fresh = serviceAccounts.verify(token, clock.instant());
    if (fresh.isPresent()) {
      if (verified.size() >= MAX_CACHED) verified.clear(); // crude bound; refilling costs one verification per token
      verified.put(token, fresh.get());
    }
    return fresh;
  }

  /**
   * The user of an {@code Authorization} header: empty without a bearer token (another authenticator may try).
   *
   * @throws AuthenticationException when the bearer token is not accepted
   */
  public Optional<UserInfo> authenticateHeader(String authorization) {
    String token = TokenAuthenticator.bearerToken(authorization);
    return token == null ? Optional.empty() : Optional.of(authenticate(token, List.of()).user());
  }
}
