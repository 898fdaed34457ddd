package io.kava.controllers.workload;

import io.fabric8.kubernetes.api.model.IntOrString;

/** Upstream's intstr.GetScaledValueFromIntOrPercent for rollout budgets (maxSurge, maxUnavailable). */
public final class IntOrPercent {
  private IntOrPercent() {}

  /**
   * {@code v} as a count: an int as is, "N%" of {@code total} rounded up or down; null is {@code dflt}.
   *
   * @throws IllegalArgumentException for a string that is not a percentage
   */
  public static int scaled(IntOrString v, int total, boolean roundUp, int dflt) {
    if (v == null || (v.getIntVal() == null && v.getStrVal() == null)) return dflt;
    if (v.getIntVal() != null) return v.getIntVal();
    String s = v.getStrVal();
    if (!s.endsWith("%")) throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
    int pct;
    try {
      pct = Integer.parseInt(s.substring(0, s.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value \"" + s + "\": " + e.getMessage());
    }
    long scaled = (long) pct * total;
    return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
  }
}
