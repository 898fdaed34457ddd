package io.kava.controllers.workload;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kava.api.time.Timestamps;
import java.time.Duration;
import java.time.Instant;

/** Upstream's pod helpers (pkg/api/v1/pod, controller_utils) as the workload controllers read them. */
public final class Pods {
  public static final String PHASE_PENDING = "Pending";
  public static final String PHASE_RUNNING = "Running";
  public static final String PHASE_SUCCEEDED = "Succeeded";
  public static final String PHASE_FAILED = "Failed";
  public static final String PHASE_UNKNOWN = "Unknown";

  private Pods() {}

  /** Counts toward a controller's replicas: not finished and not being deleted (upstream's IsPodActive). */
  public static boolean isActive(Pod p) {
    String phase = phase(p);
    return !PHASE_SUCCEEDED.equals(phase) && !PHASE_FAILED.equals(phase) && p.getMetadata().getDeletionTimestamp() == null;
  }

  public static String phase(Pod p) { return p.getStatus() == null ? null : p.getStatus().getPhase(); }

  public static PodCondition readyCondition(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) return null;
    for (PodCondition c : p.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) return c;
    }
    return null;
  }

  public static boolean isReady(Pod p) {
    PodCondition c = readyCondition(p);
    return c != null && "True".equals(c.getStatus());
  }

  /** When the pod became ready, or null if it is not ready or does not say. */
  public static Instant readySince(Pod p) {
    PodCondition c = readyCondition(p);
    if (c == null || !"True".equals(c.getStatus())) return null;
    return time(c.getLastTransitionTime());
  }

  /**
   * Ready for at least {@code minReadySeconds} (upstream's IsPodAvailable): with 0 every ready pod is available;
   * otherwise the Ready condition must have turned true strictly more than that long before {@code now}.
   */
  public static boolean isAvailable(Pod p, int minReadySeconds, Instant now) {
    if (!isReady(p)) return false;
    if (minReadySeconds == 0) return true;
    Instant since = readySince(p);
    return since != null && since.plus(Duration.ofSeconds(minReadySeconds)).isBefore(now);
  }

  /** The key expectations use for a pod: "namespace/name". */
  public static String key(Pod p) { return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(); }

  /** A Kubernetes timestamp, or null when absent or unreadable. */
  public static Instant time(String s) {
    if (s == null || s.isEmpty()) return null;
    try {
      return Timestamps.parseTime(s);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
