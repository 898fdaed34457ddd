package io.kava.api.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.quantity.Quantity.Format;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

  /** input | exact value | format (from upstream's TestQuantityParse table). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0 | 0 | DECIMAL_SI", "0n | 0 | DECIMAL_SI", "0Ki | 0 | BINARY_SI", "0M | 0 | DECIMAL_SI",
      "1 | 1 | DECIMAL_SI", "1Ki | 1024 | BINARY_SI", "7Mi | 7340032 | BINARY_SI", "3Ei | 3458764513820540928 | BINARY_SI",
      "5n | 5E-9 | DECIMAL_SI", "4u | 4E-6 | DECIMAL_SI", "3m | 0.003 | DECIMAL_SI", "50k | 50000 | DECIMAL_SI",
      "40T | 4E13 | DECIMAL_SI", "1E | 1E18 | DECIMAL_SI",
      "1E-3 | 0.001 | DECIMAL_EXPONENT", "1e3 | 1000 | DECIMAL_EXPONENT", "1E18 | 1E18 | DECIMAL_EXPONENT",
      "100.035k | 100035 | DECIMAL_SI", "0.0005k | 0.5 | DECIMAL_SI", "0.50000 | 0.5 | DECIMAL_SI",
      "0.5e-2 | 0.005 | DECIMAL_EXPONENT", "1.3E+6 | 1300000 | DECIMAL_EXPONENT", "1.7E18 | 1.7E18 | DECIMAL_EXPONENT",
      "6.987654321G | 6987654321 | DECIMAL_SI", "1.01E | 1.01E18 | DECIMAL_SI",
      "3.001n | 4E-9 | DECIMAL_SI", "1.1E-9 | 2E-9 | DECIMAL_EXPONENT", "0.0000000001 | 1E-9 | DECIMAL_SI",
      "0.00000012345 | 1.24E-7 | DECIMAL_SI", "9Ei | 9223372036854775807 | BINARY_SI",
      "9223372036854775807Ki | 9223372036854775807 | BINARY_SI", "12E | 1.2E19 | DECIMAL_SI",
      "100.035Ki | 102435.84 | BINARY_SI", "0.5Mi | 524288 | BINARY_SI", "0.05Gi | 53687091.2 | BINARY_SI",
      "0.000000000001Ki | 2E-9 | DECIMAL_SI", ".001 | 0.001 | DECIMAL_SI", ".0001k | 0.1 | DECIMAL_SI",
      "1. | 1 | DECIMAL_SI", "1.G | 1E9 | DECIMAL_SI", "-3m | -0.003 | DECIMAL_SI", "-0.5Ki | -512 | BINARY_SI",
      "+1Ki | 1024 | BINARY_SI", ". | 0 | DECIMAL_SI",
  })
  void parse(String in, String value, Format format) {
    Quantity q = Quantity.parse(in);
    assertThat(q.toBigDecimal()).isEqualByComparingTo(new BigDecimal(value));
    assertThat(q.format()).isEqualTo(format);
  }

  /** input | canonical String() */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1000m | 1", "1536Mi | 1536Mi", "0.5 | 500m", "1e3 | 1e3", "1000e0 | 1e3", "1Ki | 1Ki", "1024Mi | 1Gi",
      "1000M | 1G", ".001Ki | 1024m", ".000001Ki | 1024u", ".000000001Ki | 1024n", ".000000000001Ki | 2n",
      "100m | 100m", "1.5Gi | 1536Mi", "1.5 | 1500m", "10k | 10k", "1.5k | 1500", "0.1 | 100m", "2000Mi | 2000Mi",
      "1025Ki | 1025Ki", "1025 | 1025", "8Ki | 8Ki", "0.5Ki | 512", "9Ei | 9223372036854775807", "1.1E-9 | 2e-9",
      "+1Ki | +1Ki", "-1Gi | -1Gi", "-1000m | -1", "0Mi | 0", "-0 | 0", "01 | 01", "1. | 1.", "0.0 | 0",
      "100.035k | 100.035k", "100.0350k | 100035", "12E | 12E", "1000E | 1000E", "1e21 | 1e21",
  })
  void canonicalString(String in, String out) {
    assertThat(Quantity.parse(in).toString()).isEqualTo(out);
  }

  /** value | scale | format | String() (upstream's TestQuantityString). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1073741824 | 0 | BINARY_SI | 1Gi", "314572800 | 0 | BINARY_SI | 300Mi", "6144 | 0 | BINARY_SI | 6Ki",
      "1074815565824 | 0 | BINARY_SI | 1001Gi", "5 | 0 | BINARY_SI | 5", "500 | -3 | BINARY_SI | 500m",
      "1 | 9 | DECIMAL_SI | 1G", "1000 | 6 | DECIMAL_SI | 1G", "1 | -3 | DECIMAL_SI | 1m", "1080 | -3 | DECIMAL_SI | 1080m",
      "108 | -2 | DECIMAL_SI | 1080m", "1234567 | -3 | BINARY_SI | 1234567m", "1025 | 0 | BINARY_SI | 1025",
      "0 | 0 | BINARY_SI | 0", "1 | 9 | DECIMAL_EXPONENT | 1e9", "1 | -3 | DECIMAL_EXPONENT | 1e-3",
      "80 | -3 | DECIMAL_EXPONENT | 80e-3", "300 | 6 | DECIMAL_EXPONENT | 300e6", "3 | 3 | DECIMAL_SI | 3k",
      "108 | -8 | DECIMAL_SI | 1080n", "1080 | -6 | DECIMAL_SI | 1080u",
  })
  void stringOfValues(long value, int scale, Format format, String out) {
    Quantity q = Quantity.of(BigDecimal.valueOf(value).scaleByPowerOfTen(scale), format);
    assertThat(q.toString()).isEqualTo(out);
    // the canonical string parses back to the same value and is kept as is
    assertThat(Quantity.parse(out).toString()).isEqualTo(out);
    assertThat(Quantity.parse(out)).isEqualTo(q);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ", "", "1e", "1Ki3"})
  void invalid(String in) {
    assertThatThrownBy(() -> Quantity.parse(in)).isInstanceOf(QuantityFormatException.class);
  }

  @Test
  void messages() {
    assertThatThrownBy(() -> Quantity.parse("abc"))
        .hasMessage("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    assertThatThrownBy(() -> Quantity.parse("1i")).hasMessage("unable to parse quantity's suffix");
    assertThat(Quantity.tryParse("x")).isEmpty();
  }

  @Test
  void valuesAndArithmetic() {
    assertThat(Quantity.parse("100m").milliValue()).isEqualTo(100);
    assertThat(Quantity.parse("100m").value()).isEqualTo(1);
    assertThat(Quantity.parse("1.5").value()).isEqualTo(2);
    assertThat(Quantity.parse("-1.5").value()).isEqualTo(-2);
    assertThat(Quantity.parse("1Gi").value()).isEqualTo(1L << 30);
    assertThat(Quantity.parse("1n").milliValue()).isEqualTo(1);
    assertThat(Quantity.parse("2").add(Quantity.parse("500m")).toString()).isEqualTo("2500m");
    assertThat(Quantity.parse("1Gi").add(Quantity.parse("512Mi")).toString()).isEqualTo("1536Mi");
    assertThat(Quantity.ZERO.add(Quantity.parse("1Gi")).toString()).isEqualTo("1Gi");
    assertThat(Quantity.parse("1Gi").subtract(Quantity.parse("1Gi")).toString()).isEqualTo("0");
    assertThat(Quantity.parse("1").subtract(Quantity.parse("2")).toString()).isEqualTo("-1");
    assertThat(Quantity.parse("1k").compareTo(Quantity.parse("1000"))).isZero();
    assertThat(Quantity.parse("1k")).isEqualTo(Quantity.parse("1000")).hasSameHashCodeAs(Quantity.parse("1000"));
    assertThat(Quantity.parse("1Ki").compareTo(Quantity.parse("1k"))).isPositive();
    assertThat(Quantity.parse("100m").compareTo(Quantity.parse("50m"))).isPositive();
    assertThat(Quantity.ofMilli(1500, Format.DECIMAL_SI).toString()).isEqualTo("1500m");
    assertThat(Quantity.of(2048, Format.BINARY_SI).toString()).isEqualTo("2Ki");
    assertThat(Quantity.ofScaled(3, 3).toString()).isEqualTo("3k");
    assertThat(Quantity.parse("9.01").roundUp(0).toString()).isEqualTo("10");
    assertThat(Quantity.parse("9.01").roundUp(-1).toString()).isEqualTo("9100m");
    assertThat(Quantity.parse("2Gi").multiply(3).toString()).isEqualTo("6Gi");
    assertThat(Quantity.parse("1Mi").asLong()).contains(1048576L);
    assertThat(Quantity.parse("1m").asLong()).isEmpty();
  }
}
