package io.kava.apiserver.registry.kinds;

import io.kava.api.json.Json;
import io.kava.api.validation.FieldError;
import io.kava.apiserver.auth.Authorizer;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ReviewContext;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * authorization.k8s.io/v1 reviews: "may this user do that?", answered by kava's {@link Authorizer} (the same policy
 * that guards every request), never stored.
 */
public final class AccessReviews {
  private AccessReviews() {}

  public static final String GROUP = "authorization.k8s.io";

  /** SelfSubjectAccessReview: may the caller do it? */
  public static ObjectNode self(ObjectNode review, ReviewContext ctx) {
    validateAttributes("SelfSubjectAccessReview", review.path("spec"));
    return answer(review, ctx.user().name(), ctx.user().groups());
  }

  /** SubjectAccessReview: may spec.user (in spec.groups) do it? */
  public static ObjectNode subject(ObjectNode review, ReviewContext ctx) {
    JsonNode spec = review.path("spec");
    List<FieldError> errors = new ArrayList<>(attributeErrors(spec));
    if (spec.path("user").asString("").isEmpty() && groups(spec).isEmpty()) {
      errors.add(FieldError.invalid("spec.user", "", "at least one of user or group must be specified"));
    }
    if (!errors.isEmpty()) throw StatusException.invalid(GROUP, "SubjectAccessReview", "", errors);
    return answer(review, spec.path("user").asString(""), groups(spec));
  }

  /** LocalSubjectAccessReview: a SubjectAccessReview confined to the URL's namespace. */
  public static ObjectNode local(ObjectNode review, ReviewContext ctx) {
    JsonNode spec = review.path("spec");
    if (spec.has("nonResourceAttributes")) {
      throw StatusException.invalid(GROUP, "LocalSubjectAccessReview", "", List.of(FieldError.invalid("spec.nonResourceAttributes",
          spec.get("nonResourceAttributes").toString(), "disallowed on this kind of request")));
    }
    String ns = spec.path("resourceAttributes").path("namespace").asString("");
    if (!ns.equals(ctx.namespace())) {
      throw StatusException.badRequest("spec.resourceAttributes.namespace must match namespace: " + ctx.namespace());
    }
    String metaNs = review.path("metadata").path("namespace").asString("");
    if (!metaNs.isEmpty() && !metaNs.equals(ctx.namespace())) {
      throw StatusException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    ObjectNode answered = subject(review, ctx);
    answered.withObject("metadata").put("namespace", ctx.namespace());
    return answered;
  }

  /** SelfSubjectRulesReview: what may the caller do in spec.namespace? Everything, when kava lets them in at all. */
  public static ObjectNode rules(ObjectNode review, ReviewContext ctx) {
    if (review.path("spec").path("namespace").asString("").isEmpty()) {
      throw StatusException.invalid(GROUP, "SelfSubjectRulesReview", "", List.of(FieldError.required("spec.namespace", "")));
    }
    ObjectNode status = Json.object();
    if (Authorizer.allowsAnything(ctx.user())) {
      ObjectNode r = status.putArray("resourceRules").addObject();
      r.putArray("verbs").add("*");
      r.putArray("apiGroups").add("*");
      r.putArray("resources").add("*");
      ObjectNode n = status.putArray("nonResourceRules").addObject();
      n.putArray("verbs").add("*");
      n.putArray("nonResourceURLs").add("*");
    } else {
      status.putArray("resourceRules");
      status.putArray("nonResourceRules");
    }
    status.put("incomplete", false);
    review.set("status", status);
    return review;
  }

  private static ObjectNode answer(ObjectNode review, String user, List<String> groups) {
    JsonNode spec = review.path("spec");
    Authorizer.Decision d;
    if (spec.has("resourceAttributes")) {
      d = Authorizer.resource(user, groups);
    } else {
      JsonNode n = spec.path("nonResourceAttributes");
      d = Authorizer.nonResource(user, groups, n.path("path").asString(""), n.path("verb").asString(""));
    }
    ObjectNode status = review.putObject("status");
    status.put("allowed", d.allowed());
    if (!d.reason().isEmpty()) status.put("reason", d.reason());
    return review;
  }

  private static void validateAttributes(String kind, JsonNode spec) {
    List<FieldError> errors = attributeErrors(spec);
    if (!errors.isEmpty()) throw StatusException.invalid(GROUP, kind, "", errors);
  }

  /** Upstream's rule: exactly one of resourceAttributes and nonResourceAttributes. */
  private static List<FieldError> attributeErrors(JsonNode spec) {
    boolean resource = spec.hasNonNull("resourceAttributes");
    boolean nonResource = spec.hasNonNull("nonResourceAttributes");
    if (resource && nonResource) {
      return List.of(FieldError.invalid("spec.nonResourceAttributes", spec.get("nonResourceAttributes").toString(),
          "cannot be specified in combination with resourceAttributes"));
    }
    if (!resource && !nonResource) {
      return List.of(FieldError.required("spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
    }
    return List.of();
  }

  private static List<String> groups(JsonNode spec) {
    List<String> g = new ArrayList<>();
    spec.path("groups").forEach(n -> g.add(n.asString()));
    return g;
  }
}
