package io.kava.apiserver.auth;

import java.util.Set;

/**
 * kava's whole authorization policy, in one place so that request handling and the access reviews
 * (SelfSubjectAccessReview and friends) give the same answer: every authenticated user may do everything (as
 * upstream's {@code --authorization-mode=AlwaysAllow}); an unauthenticated caller may only read the public health and
 * version paths (as upstream's system:public-info-viewer role). RBAC objects are stored but not enforced.
 */
public final class Authorizer {
  private Authorizer() {}

  /** Paths anyone may read, as upstream's system:public-info-viewer role allows. */
  public static final Set<String> PUBLIC_PATHS = Set.of("/healthz", "/livez", "/readyz", "/version", "/healthz/ping",
      "/livez/ping", "/readyz/ping");

  static final String DENIED_UNAUTHENTICATED = "kava allows every request of an authenticated user and none of an unauthenticated one";

  /** An authorization answer; {@code reason} is empty when allowed, as upstream's AlwaysAllow leaves it. */
  public record Decision(boolean allowed, String reason) {}

  /** May {@code user} (name and groups) make a resource request, any verb and resource? */
  public static Decision resource(String user, java.util.List<String> groups) {
    return authenticated(user, groups) ? new Decision(true, "") : new Decision(false, DENIED_UNAUTHENTICATED);
  }

  /** May {@code user} call a non-resource path ({@code /healthz}, {@code /api}...) with {@code verb}? */
  public static Decision nonResource(String user, java.util.List<String> groups, String path, String verb) {
    if (authenticated(user, groups)) return new Decision(true, "");
    if (PUBLIC_PATHS.contains(path) && verb.equals("get")) return new Decision(true, "");
    return new Decision(false, DENIED_UNAUTHENTICATED);
  }

  /** Whether a request of {@code user} gets past authorization at all. */
  public static boolean allowsAnything(UserInfo user) { return authenticated(user.name(), user.groups()); }

  private static boolean authenticated(String user, java.util.List<String> groups) {
    if (UserInfo.ANONYMOUS.equals(user) || groups.contains(UserInfo.ALL_UNAUTHENTICATED)) return false;
    return !user.isEmpty() || !groups.isEmpty();
  }
}
