package io.kava.controllers.workload;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Reading API errors as upstream's apierrors helpers do. */
public final class ApiErrors {
  /** The Status cause the API server gives when a namespace being deleted refuses new content. */
  public static final String NAMESPACE_TERMINATING = "NamespaceTerminating";

  private ApiErrors() {}

  public static int code(Throwable e) { return e instanceof KubernetesClientException k ? k.getCode() : 0; }

  public static boolean isNotFound(Throwable e) { return code(e) == 404; }

  public static boolean isAlreadyExists(Throwable e) {
    return e instanceof KubernetesClientException k && k.getCode() == 409 && k.getStatus() != null
        && "AlreadyExists".equals(k.getStatus().getReason());
  }

  public static boolean isConflict(Throwable e) { return code(e) == 409 && !isAlreadyExists(e); }

  /** apierrors.HasStatusCause(err, NamespaceTerminatingCause). */
  public static boolean isNamespaceTerminating(Throwable e) {
    if (!(e instanceof KubernetesClientException k) || k.getStatus() == null || k.getStatus().getDetails() == null) return false;
    if (k.getStatus().getDetails().getCauses() == null) return false;
    for (StatusCause c : k.getStatus().getDetails().getCauses()) {
      if (NAMESPACE_TERMINATING.equals(c.getReason())) return true;
    }
    return false;
  }

  /** The API server's own message (what upstream's err.Error() prints), not fabric8's request dump. */
  public static String message(Throwable e) {
    if (e instanceof KubernetesClientException k) {
      Status s = k.getStatus();
      if (s != null && s.getMessage() != null && !s.getMessage().isEmpty()) return s.getMessage();
    }
    return String.valueOf(e.getMessage());
  }
}
