package io.kava.apiserver.registry;

/**
 * Server-side state that some kinds need while being written (IP and port allocation, lookups of other objects).
 * Implemented by the server; strategies receive it through {@link WriteContext}.
 */
public interface ServerServices {
  /** Allocates a ClusterIP from the service CIDR; {@code requested} may be null for "any". */
  String allocateClusterIp(String requested, boolean dryRun);

  void releaseClusterIp(String ip);

  /** Allocates a NodePort in the configured range; {@code requested} 0 means "any". */
  int allocateNodePort(int requested, boolean dryRun);

  void releaseNodePort(int port);

  /** The current object at {@code key} of another resource (e.g. a PriorityClass), or null. */
  tools.jackson.databind.JsonNode lookup(String group, String plural, String namespace, String name);

  /**
   * Every current object of a cluster-scoped resource (e.g. all PriorityClasses), from the watch cache. Read-only:
   * the trees may be shared with other callers.
   */
  java.util.List<tools.jackson.databind.JsonNode> all(String group, String plural);

  /** The signer of service-account tokens (serviceaccounts/token), or null when this server issues none. */
  default io.kava.apiserver.auth.ServiceAccountTokens serviceAccountTokens() { return null; }

  /** What accepts bearer tokens (TokenReview), or null when this server accepts none. */
  default io.kava.apiserver.auth.BearerTokenAuthenticator tokenAuthenticator() { return null; }
}
