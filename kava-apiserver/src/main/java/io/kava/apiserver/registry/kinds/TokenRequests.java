package io.kava.apiserver.registry.kinds;

import io.kava.api.time.Timestamps;
import io.kava.api.validation.FieldError;
import io.kava.apiserver.auth.ServiceAccountTokens;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ReviewContext;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** serviceaccounts/token: an authentication.k8s.io/v1 TokenRequest answered with a signed token, never stored. */
public final class TokenRequests {
  private TokenRequests() {}

  /** upstream's default and bounds of spec.expirationSeconds */
  static final long DEFAULT_EXPIRATION = 3600;
  static final long MIN_EXPIRATION = 600;
  static final long MAX_EXPIRATION = 1L << 32;

  public static ObjectNode issue(ObjectNode request, ReviewContext ctx) {
    ServiceAccountTokens tokens = ctx.services() == null ? null : ctx.services().serviceAccountTokens();
    if (tokens == null) throw new StatusException(503, "ServiceUnavailable", "this server has no service-account signing key");
    ObjectNode meta = request.withObject("metadata");
    String name = meta.path("name").asString("");
    if (!name.isEmpty() && !name.equals(ctx.name())) {
      throw StatusException.badRequest("the name of the object (" + name + ") does not match the name on the URL (" + ctx.name() + ")");
    }
    ObjectNode spec = request.withObject("spec");
    JsonNode bound = spec.get("boundObjectRef");
    if (bound != null && !bound.isNull()) {
      throw StatusException.badRequest("spec.boundObjectRef: tokens bound to an object are not supported by kava yet");
    }
    long expiration = spec.path("expirationSeconds").canConvertToLong() ? spec.path("expirationSeconds").asLong() : DEFAULT_EXPIRATION;
    if (expiration < MIN_EXPIRATION) {
      throw StatusException.invalid("authentication.k8s.io", "TokenRequest", ctx.name(), List.of(FieldError.invalid("spec.expirationSeconds",
          expiration, "may not specify a duration less than 10 minutes")));
    }
    if (expiration > MAX_EXPIRATION) {
      throw StatusException.invalid("authentication.k8s.io", "TokenRequest", ctx.name(), List.of(FieldError.invalid("spec.expirationSeconds",
          expiration, "may not specify a duration larger than 2^32 seconds")));
    }
    List<String> audiences = new ArrayList<>();
    spec.path("audiences").forEach(a -> audiences.add(a.asString()));
    if (audiences.isEmpty()) audiences.addAll(tokens.apiAudiences());
    JsonNode account = ctx.services().lookup("", "serviceaccounts", ctx.namespace(), ctx.name());
    if (account == null) throw StatusException.notFound("", "serviceaccounts", ctx.name());
    String uid = account.path("metadata").path("uid").asString("");
    String token = tokens.issue(new ServiceAccountTokens.Account(ctx.namespace(), ctx.name(), uid), audiences, ctx.now(), expiration);
    meta.put("name", ctx.name());
    meta.put("namespace", ctx.namespace());
    meta.put("creationTimestamp", Timestamps.formatTime(ctx.now()));
    audiences.forEach(spec.putArray("audiences")::add);
    spec.put("expirationSeconds", expiration);
    spec.putNull("boundObjectRef");
    ObjectNode status = request.putObject("status");
    status.put("token", token);
    status.put("expirationTimestamp", Timestamps.formatTime(ctx.now().plusSeconds(expiration)));
    return request;
  }
}
