package io.kava.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Quantities as the scheduler counts them: rounded up, as upstream's MilliValue()/Value() do. */
public final class Quantities {
  private Quantities() {}

  /** Millicores (or milli-units) of {@code q}; 0 for null or unparsable. */
  public static long milli(Quantity q) {
    BigDecimal d = amount(q);
    return d == null ? 0 : d.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Whole units of {@code q} (bytes, counts); 0 for null or unparsable. */
  public static long value(Quantity q) {
    BigDecimal d = amount(q);
    return d == null ? 0 : d.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  private static BigDecimal amount(Quantity q) {
    if (q == null || q.getAmount() == null) return null;
    try {
      return q.getNumericalAmount();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
