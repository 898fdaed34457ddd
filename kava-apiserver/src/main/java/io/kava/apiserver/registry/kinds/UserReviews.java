package io.kava.apiserver.registry.kinds;

import io.kava.api.time.Timestamps;
import io.kava.apiserver.auth.UserInfo;
import io.kava.apiserver.registry.ReviewContext;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** authentication.k8s.io SelfSubjectReview ({@code kubectl auth whoami}): the caller as kava's authenticator saw it. */
public final class UserReviews {
  private UserReviews() {}

  public static ObjectNode self(ObjectNode review, ReviewContext ctx) {
    review.withObject("metadata").put("creationTimestamp", Timestamps.formatTime(ctx.now()));
    review.putObject("status").set("userInfo", userInfo(review, ctx.user()));
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
