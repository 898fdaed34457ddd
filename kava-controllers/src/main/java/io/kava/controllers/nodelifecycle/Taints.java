package io.kava.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kava.api.time.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Taint and toleration rules (upstream's ToleratesTaint and the taint eviction controller's toleration time). */
public final class Taints {
  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String NO_EXECUTE = "NoExecute";

  private Taints() {}

  /** Whether {@code t} tolerates {@code taint}: same effect (or any), Exists on the key (or every key), or Equal value. */
  public static boolean tolerates(Toleration t, Taint taint) {
    String effect = t.getEffect();
    if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) return false;
    String key = t.getKey() == null ? "" : t.getKey();
    String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
    if (key.isEmpty()) return op.equals("Exists"); // an empty key with Exists tolerates everything
    if (!key.equals(taint.getKey())) return false;
    if (op.equals("Exists")) return true;
    return Objects.equals(emptyToNull(t.getValue()), emptyToNull(taint.getValue()));
  }

  /**
   * When a pod with {@code tolerations} must leave a node with the NoExecute {@code taints} (upstream's taint
   * eviction rules): at once ({@code now}) if some taint is not tolerated; else, per taint, its timeAdded (now when
   * unset) plus the smallest tolerationSeconds among the tolerations matching it, the earliest of these; null when
   * every taint is tolerated without a time limit.
   */
  public static Instant evictionTime(List<Taint> taints, List<Toleration> tolerations, Instant now) {
    Instant due = null;
    for (Taint taint : taints) {
      long min = Long.MAX_VALUE;
      boolean tolerated = false;
      for (Toleration t : tolerations) {
        if (!tolerates(t, taint)) continue;
        tolerated = true;
        if (t.getTolerationSeconds() != null) min = Math.min(min, Math.max(0, t.getTolerationSeconds()));
      }
      if (!tolerated) return now;
      if (min == Long.MAX_VALUE) continue; // tolerated forever
      Instant added = timeAdded(taint, now);
      Instant at = added.plus(Duration.ofSeconds(min));
      if (due == null || at.isBefore(due)) due = at;
    }
    return due;
  }

  private static Instant timeAdded(Taint t, Instant now) {
    if (t.getTimeAdded() == null || t.getTimeAdded().isEmpty()) return now;
    try {
      return Timestamps.parseTime(t.getTimeAdded());
    } catch (RuntimeException e) {
      return now;
    }
  }

  private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
