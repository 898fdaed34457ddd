package io.kava.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.function.Predicate;

/** Upstream's toleration matching. */
public final class Tolerations {
  private Tolerations() {}

  /**
   * Whether {@code t} tolerates {@code taint}: the effect is empty or equal; the key is equal, or empty with
   * operator Exists (which tolerates everything); operator Exists ignores the value, Equal (the default) compares it.
   */
  public static boolean tolerates(Toleration t, Taint taint) {
    String effect = nz(t.getEffect());
    if (!effect.isEmpty() && !effect.equals(nz(taint.getEffect()))) return false;
    String key = nz(t.getKey());
    String op = nz(t.getOperator());
    if (!key.isEmpty() && !key.equals(nz(taint.getKey()))) return false;
    if (key.isEmpty() && !op.equals("Exists")) return false;
    return switch (op) {
      case "Exists" -> true;
      case "", "Equal" -> nz(t.getValue()).equals(nz(taint.getValue()));
      default -> false;
    };
  }

  public static boolean tolerated(List<Toleration> tolerations, Taint taint) {
    for (Toleration t : tolerations) if (tolerates(t, taint)) return true;
    return false;
  }

  /** The first taint among {@code taints} that {@code filter} selects and no toleration tolerates, or null. */
  public static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> filter) {
    for (Taint taint : taints) if (filter.test(taint) && !tolerated(tolerations, taint)) return taint;
    return null;
  }

  static String nz(String s) { return s == null ? "" : s; }
}
