package io.kava.apiserver.registry.kinds;

import io.kava.api.time.Timestamps;
import io.kava.apiserver.auth.AuthenticationException;
import io.kava.apiserver.auth.BearerTokenAuthenticator;
import io.kava.apiserver.auth.UserInfo;
import io.kava.apiserver.errors.StatusException;
import java.util.ArrayList;
import io.kava.apiserver.registry.ReviewContext;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * authentication.k8s.io reviews: SelfSubjectReview ({@code kubectl auth whoami}, the caller as kava's authenticator saw
 * it) and TokenReview (whom a bearer token authenticates as, by the same authenticator requests go through).
 */
public final class UserReviews {
  private UserReviews() {}

  public static ObjectNode self(ObjectNode review, ReviewContext ctx) {
    review.withObject("metadata").put("creationTimestamp", Timestamps.formatTime(ctx.now()));
    review.putObject("status").set("userInfo", userInfo(review, ctx.user()));
    return review;
  }

  public static ObjectNode token(ObjectNode review, ReviewContext ctx) {
    String token = review.path("spec").path("token").asString("");
    if (token.isEmpty()) throw StatusException.badRequest("token is required for TokenReview in authentication");
    BearerTokenAuthenticator authenticator = ctx.services() == null ? null : ctx.services().tokenAuthenticator();
    if (authenticator == null) throw new StatusException(503, "ServiceUnavailable", "this server has no token authenticator");
    List<String> audiences = new ArrayList<>();
    review.path("spec").path("audiences").forEach(a -> audiences.add(a.asString()));
    ObjectNode status = review.putObject("status");
    try {
      BearerTokenAuthenticator.Authenticated a = authenticator.authenticate(token, audiences);
      status.put("authenticated", true);
      status.set("user", userInfo(review, a.user()));
      a.audiences().forEach(status.putArray("audiences")::add);
    } catch (AuthenticationException e) {
      status.put("authenticated", false);
      status.put("error", e.getMessage());
    }
    return review;
  }

  /** upstream's authentication.k8s.io UserInfo: username, uid, groups, extra (omitted when empty) */
  public static ObjectNode userInfo(ObjectNode factory, UserInfo user) {
    ObjectNode u = factory.objectNode();
    u.put("username", user.name());
    if (!user.uid().isEmpty()) u.put("uid", user.uid());
    if (!user.groups().isEmpty()) user.groups().forEach(u.putArray("groups")::add);
    if (!user.extra().isEmpty()) {
      ObjectNode extra = u.putObject("extra");
      for (Map.Entry<String, List<String>> e : user.extra().entrySet()) e.getValue().forEach(extra.withArray(e.getKey())::add);
    }
    return u;
  }
}
