package io.kava.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Quantities as the scheduler counts them: rounded up, as upstream's MilliValue()/Value() do. */
public final class Quantities {
  private Quantities() {}

  /** Millicores (or milli-units) of {@code q}; 0 for null or unparsable. */
  public static long milli(Quantity q) {
    if (q == null || q.getAmount() == null) return 0;
    long fast = plainMilli(q.getAmount(), q.getFormat());
    if (fast >= 0) return fast;
    BigDecimal d = amount(q);
    return d == null ? 0 : d.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Whole units of {@code q} (bytes, counts); 0 for null or unparsable. */
  public static long value(Quantity q) {
    if (q == null || q.getAmount() == null) return 0;
    long fast = plainMilli(q.getAmount(), q.getFormat());
    if (fast >= 0) return fast / 1000 + (fast % 1000 == 0 ? 0 : 1);
    BigDecimal d = amount(q);
    return d == null ? 0 : d.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /**
   * Milli-units of the common forms — whole digits with no suffix, {@code m}, or a binary or decimal multiple
   * ({@code 500m}, {@code 2}, {@code 128Mi}, {@code 1G}) — without BigDecimal, which was most of what the scheduler
   * allocated per pod; -1 for anything else (fractions, exponents, signs, overflow), which takes the exact path.
   */
  static long plainMilli(String amount, String format) {
    int n = amount.length();
    if (n == 0 || n > 15) return -1;
    long digits = 0;
    for (int i = 0; i < n; i++) {
      char c = amount.charAt(i);
      if (c < '0' || c > '9') return -1;
      digits = digits * 10 + (c - '0');
    }
    long perUnit = switch (format == null ? "" : format) {
      case "" -> 1000;
      case "m" -> 1;
      case "k" -> 1000L * 1000;
      case "M" -> 1000L * 1000_000;
      case "G" -> 1000L * 1000_000_000;
      case "Ki" -> 1000L << 10;
      case "Mi" -> 1000L << 20;
      case "Gi" -> 1000L << 30;
      case "Ti" -> 1000L << 40;
      default -> -1;
    };
    if (perUnit < 0) return -1;
    try {
      return Math.multiplyExact(digits, perUnit);
    } catch (ArithmeticException tooLarge) {
      return -1;
    }
  }

  private static BigDecimal amount(Quantity q) {
    try {
      return q.getNumericalAmount();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
