package io.kava.controllers.disruption;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kava.controllers.workload.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status a PodDisruptionBudget should have (upstream's disruption controller trySync, minus the I/O): how many
 * pods are expected, how many must stay healthy, how many are, and so how many may be disrupted now.
 */
final class DisruptionBudgetStatus {
  /** How long an eviction's entry in status.disruptedPods counts a pod as gone before its deletion is seen. */
  static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);
  static final String CONDITION = "DisruptionAllowed";
  static final String SUFFICIENT_PODS = "SufficientPods";
  static final String INSUFFICIENT_PODS = "InsufficientPods";
  static final String SYNC_FAILED = "SyncFailed";

  private DisruptionBudgetStatus() {}

  /**
   * @param expectedPods   pods the budget protects (the pods' controllers' scale, or the pod count for an integer
   *                       minAvailable)
   * @param disruptedPods  evicted pods whose deletion has not been seen yet, with the eviction time
   * @param recheckAt      when an entry of disruptedPods expires (and the budget must be looked at again), or null
   */
  record Computed(int expectedPods, int desiredHealthy, int currentHealthy, int disruptionsAllowed,
                  Map<String, Instant> disruptedPods, Instant recheckAt) {}

  /** The expected pod count could not be found out (e.g. a pod without a controller under a percentage budget). */
  static final class ExpectedCountException extends Exception {
    ExpectedCountException(String message) { super(message); }
  }

  /** Looks up the scale of the pods' controllers (the expected count for maxUnavailable and percentages). */
  interface Scales {
    int expectedScale(PodDisruptionBudget pdb, List<Pod> pods) throws ExpectedCountException;
  }

  static Computed compute(PodDisruptionBudget pdb, List<Pod> pods, Scales scales, Instant now) throws ExpectedCountException {
    int expected;
    int desired;
    IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
    IntOrString minAvailable = pdb.getSpec().getMinAvailable();
    if (maxUnavailable != null) {
      expected = scales.expectedScale(pdb, pods);
      int unavailable = scaled(maxUnavailable, expected);
      desired = Math.max(0, expected - unavailable);
    } else if (minAvailable != null && minAvailable.getIntVal() != null) {
      desired = minAvailable.getIntVal();
      expected = pods.size();
    } else if (minAvailable != null) {
      expected = scales.expectedScale(pdb, pods);
      desired = scaled(minAvailable, expected);
    } else {
      expected = pods.size();
      desired = 0;
    }
    Map<String, Instant> disrupted = new TreeMap<>();
    Instant recheck = null;
    Map<String, String> previous = pdb.getStatus() == null || pdb.getStatus().getDisruptedPods() == null ? Map.of() : pdb.getStatus().getDisruptedPods();
    Map<String, Pod> byName = new java.util.HashMap<>();
    for (Pod p : pods) byName.put(p.getMetadata().getName(), p);
    for (Map.Entry<String, String> e : previous.entrySet()) {
      Pod p = byName.get(e.getKey());
      if (p == null || p.getMetadata().getDeletionTimestamp() != null) continue; // its deletion was seen
      Instant at = Pods.time(e.getValue());
      if (at == null) continue;
      Instant expires = at.plus(DELETION_TIMEOUT);
      if (!expires.isAfter(now)) continue; // the eviction did not lead to a deletion in time: count the pod again
      disrupted.put(e.getKey(), at);
      if (recheck == null || expires.isBefore(recheck)) recheck = expires;
    }
    int healthy = 0;
    for (Pod p : pods) {
      if (p.getMetadata().getDeletionTimestamp() != null) continue;
      if (disrupted.containsKey(p.getMetadata().getName())) continue;
      if (Pods.isReady(p)) healthy++;
    }
    int allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
    return new Computed(expected, desired, healthy, allowed, disrupted, recheck);
  }

  /** An int, or a percentage of {@code total} rounded up (intstr.GetScaledValueFromIntOrPercent with roundUp). */
  static int scaled(IntOrString v, int total) throws ExpectedCountException {
    if (v.getIntVal() != null) return v.getIntVal();
    String s = v.getStrVal() == null ? "" : v.getStrVal().trim();
    if (!s.endsWith("%")) throw new ExpectedCountException("invalid value for IntOrString: invalid type: string is not a percentage");
    try {
      int pct = Integer.parseInt(s.substring(0, s.length() - 1));
      return (int) Math.ceil(pct * (double) total / 100.0);
    } catch (NumberFormatException e) {
      throw new ExpectedCountException("invalid value \"" + s + "\": " + e.getMessage());
    }
  }
}
