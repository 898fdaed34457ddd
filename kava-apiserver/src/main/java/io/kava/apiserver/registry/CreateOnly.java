package io.kava.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * A kind or subresource that is never stored: a POST computes its answer from the request object and the caller and
 * returns it with 201, as upstream's reviews (SelfSubjectAccessReview, SelfSubjectReview...) and
 * serviceaccounts/token do. Every other verb is 405 and discovery lists only {@code create}.
 *
 * @param group   group of the request and answer kind
 * @param version version of the request and answer kind
 * @param kind    the request and answer kind, e.g. TokenRequest
 */
public record CreateOnly(String group, String version, String kind, Review review) {

  /** Computes the answer (usually the request with its status filled in); throw StatusException to refuse. */
  @FunctionalInterface
  public interface Review {
    ObjectNode answer(ObjectNode request, ReviewContext context);
  }

  public String apiVersion() { return group.isEmpty() ? version : group + "/" + version; }
}
