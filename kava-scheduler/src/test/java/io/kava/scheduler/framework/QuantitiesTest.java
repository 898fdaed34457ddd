package io.kava.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

class QuantitiesTest {
  /** The fast path must give what the exact BigDecimal path gives, for every form it takes and those it leaves. */
  @Test
  void fastPathAgreesWithTheExactOne() {
    String[] samples = {"0", "1", "2", "100m", "500m", "1001m", "1m", "999m", "128Mi", "1Gi", "3Ti", "1k", "2M", "5G",
        "64", "250", "1.5", "0.1", "1e3", "1E6", "2.5Gi", "100Ki", "7T", "12345678901234", "-1", "1P"};
    for (String s : samples) {
      Quantity q = new Quantity(s);
      BigDecimal exact = q.getNumericalAmount();
      assertEquals(exact.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact(), Quantities.milli(q), "milli of " + s);
      assertEquals(exact.setScale(0, RoundingMode.CEILING).longValueExact(), Quantities.value(q), "value of " + s);
    }
  }

  @Test
  void fastPathLeavesWhatItCannotDoExactly() {
    assertEquals(-1, Quantities.plainMilli("1.5", ""));
    assertEquals(-1, Quantities.plainMilli("1", "P"));
    assertEquals(-1, Quantities.plainMilli("999999999999999", "Ti"));
    assertEquals(500, Quantities.plainMilli("500", "m"));
    assertEquals(128L * 1024 * 1024 * 1000, Quantities.plainMilli("128", "Mi"));
  }

  @Test
  void nullAndUnparsableCountAsZero() {
    assertEquals(0, Quantities.milli(null));
    assertEquals(0, Quantities.value(new Quantity()));
  }
}
