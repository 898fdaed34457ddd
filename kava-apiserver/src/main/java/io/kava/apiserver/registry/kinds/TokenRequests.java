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

/**
 * serviceaccounts/token: an authentication.k8s.io/v1 TokenRequest answered with a signed token, never stored. A
 * request may bind the token to a Pod, Secret or Node (spec.boundObjectRef); the token then names that object and
 * stops authenticating once it is gone (see {@link io.kava.apiserver.auth.TokenBindings}).
 */
public final class TokenRequests {
  private TokenRequests() {}

  /** upstream's default and bounds of spec.expirationSeconds */
  static final long DEFAULT_EXPIRATION = 3600;
  static final long MIN_EXPIRATION = 600;
  static final long MAX_EXPIRATION = 1L << 32;
  /**
   * upstream's --service-account-extend-token-expiration (on by default): a pod-bound token for the API server asked
   * for with the automounted volume's lifetime (3607 s) is valid for a year, so programs that read the token file
   * once keep working; the answer still names the requested expiry, which the node refreshes by, and the token
   * carries the {@code warnafter} claim.
   */
  static final long EXTENDED_EXPIRATION = 365L * 24 * 60 * 60;

  public static ObjectNode issue(ObjectNode request, ReviewContext ctx) {
    ServiceAccountTokens tokens = ctx.services() == null ? null : ctx.services().serviceAccountTokens();
    if (tokens == null) throw new StatusException(503, "ServiceUnavailable", "this server has no service-account signing key");
    ObjectNode meta = request.withObject("metadata");
    String name = meta.path("name").asString("");
    if (!name.isEmpty() && !name.equals(ctx.name())) {
      throw StatusException.badRequest("the name of the object (" + name + ") does not match the name on the URL (" + ctx.name() + ")");
    }
    ObjectNode spec = request.withObject("spec");
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
    JsonNode ref = spec.get("boundObjectRef");
    ServiceAccountTokens.Bindings bindings = ref == null || ref.isNull() ? ServiceAccountTokens.Bindings.NONE : bindings(ref, ctx);
    boolean extend = bindings.pod() != null && expiration == ServiceAccountAdmission.TOKEN_EXPIRATION_SECONDS
        && audiences.equals(tokens.apiAudiences());
    String token = tokens.issue(new ServiceAccountTokens.Account(ctx.namespace(), ctx.name(), uid), bindings, audiences, ctx.now(),
        extend ? EXTENDED_EXPIRATION : expiration, extend ? expiration : 0);
    meta.put("name", ctx.name());
    meta.put("namespace", ctx.namespace());
    meta.put("uid", uid);
    meta.put("creationTimestamp", Timestamps.formatTime(ctx.now()));
    audiences.forEach(spec.putArray("audiences")::add);
    spec.put("expirationSeconds", expiration);
    if (ref == null) spec.putNull("boundObjectRef");
    ObjectNode status = request.putObject("status");
    status.put("token", token);
    status.put("expirationTimestamp", Timestamps.formatTime(ctx.now().plusSeconds(expiration)));
    return request;
  }

  /**
   * Upstream's bound objects: a Pod (running as this account; the token also names the pod's node, with an empty uid
   * when the Node is gone), a Secret or a Node, in the request's namespace; the uid must match when given.
   */
  static ServiceAccountTokens.Bindings bindings(JsonNode ref, ReviewContext ctx) {
    String apiVersion = ref.path("apiVersion").asString("");
    String kind = ref.path("kind").asString("");
    String name = ref.path("name").asString("");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String plural = group.isEmpty() ? switch (kind) {
      case "Pod" -> "pods";
      case "Secret" -> "secrets";
      case "Node" -> "nodes";
      default -> null;
    } : null;
    if (plural == null) {
      String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
      throw StatusException.badRequest("cannot bind token to object of type " + group + "/" + version + ", Kind=" + kind);
    }
    JsonNode object = ctx.services().lookup("", plural, plural.equals("nodes") ? null : ctx.namespace(), name);
    if (object == null) throw StatusException.notFound("", plural, name);
    String uid = object.path("metadata").path("uid").asString("");
    ServiceAccountTokens.BoundObject bound = new ServiceAccountTokens.BoundObject(name, uid);
    ServiceAccountTokens.Bindings bindings = switch (plural) {
      case "pods" -> {
        if (!ctx.name().equals(object.path("spec").path("serviceAccountName").asString(""))) {
          throw StatusException.badRequest("cannot bind token for serviceaccount \"" + ctx.name() + "\" to pod running with different serviceaccount name.");
        }
        String nodeName = object.path("spec").path("nodeName").asString("");
        ServiceAccountTokens.BoundObject node = null;
        if (!nodeName.isEmpty()) {
          JsonNode n = ctx.services().lookup("", "nodes", null, nodeName);
          node = new ServiceAccountTokens.BoundObject(nodeName, n == null ? "" : n.path("metadata").path("uid").asString(""));
        }
        yield new ServiceAccountTokens.Bindings(bound, null, node);
      }
      case "secrets" -> new ServiceAccountTokens.Bindings(null, bound, null);
      default -> new ServiceAccountTokens.Bindings(null, null, bound);
    };
    // after the kind's own checks, as upstream orders them
    String wantedUid = ref.path("uid").asString("");
    if (!wantedUid.isEmpty() && !wantedUid.equals(uid)) {
      throw StatusException.conflict("", kind, name, "the UID in the bound object reference (" + wantedUid
          + ") does not match the UID in record. The object might have been deleted and then recreated");
    }
    return bindings;
  }
}
