package io.kava.apiserver.table;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Canonical text of resource quantities ("1Gi", "500m", "1k"), as resource.Quantity.String() prints them after
 * kube-apiserver has parsed what the client sent: "1024Mi" prints "1Gi", "0.5" prints "500m", "1000" prints "1k".
 */
final class Quantities {
  private Quantities() {
  }

  private static final Pattern QUANTITY =
      Pattern.compile("([+-]?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)([a-zA-Z]*[-+]?[0-9]*)");

  private static final Map<String, Integer> BINARY =
      Map.of("Ki", 1, "Mi", 2, "Gi", 3, "Ti", 4, "Pi", 5, "Ei", 6);
  private static final Map<String, Integer> DECIMAL = Map.of(
      "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final String[] BINARY_SUFFIX = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final BigInteger KI = BigInteger.valueOf(1024);
  private static final BigDecimal MAX_INT64 = BigDecimal.valueOf(Long.MAX_VALUE);

  private enum Format { BINARY_SI, DECIMAL_SI, DECIMAL_EXPONENT }

  /** The canonical form of the quantity in {@code node}; "0" when missing (a zero Quantity). */
  static String canonical(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "0";
    }
    String raw = Nodes.text(node);
    return canonical(raw.trim());
  }

  /** The canonical form of {@code s}; {@code s} itself when it does not parse as a quantity. */
  static String canonical(String s) {
    if (s == null || s.isEmpty()) {
      return "0";
    }
    Matcher m = QUANTITY.matcher(s);
    if (!m.matches()) {
      return s;
    }
    String suffix = m.group(3);
    Format format;
    BigDecimal value;
    try {
      value = new BigDecimal(m.group(2).startsWith(".") ? "0" + m.group(2) : m.group(2));
    } catch (NumberFormatException e) {
      return s;
    }
    if (BINARY.containsKey(suffix)) {
      format = Format.BINARY_SI;
      value = value.multiply(new BigDecimal(KI.pow(BINARY.get(suffix))));
    } else if (DECIMAL.containsKey(suffix)) {
      format = Format.DECIMAL_SI;
      value = value.scaleByPowerOfTen(DECIMAL.get(suffix));
    } else if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      format = Format.DECIMAL_EXPONENT;
      try {
        value = value.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
      } catch (NumberFormatException e) {
        return s;
      }
    } else {
      return s;
    }
    // Non-zero values are rounded up to the smallest representable amount (one nano unit).
    if (value.signum() != 0 && value.scale() > 9) {
      value = value.setScale(9, RoundingMode.UP);
    }
    if (format == Format.BINARY_SI) {
      if (value.compareTo(MAX_INT64) > 0) {
        value = MAX_INT64;
      }
      if (value.compareTo(BigDecimal.ONE) < 0 && value.signum() > 0) {
        format = Format.DECIMAL_SI;
      }
    }
    if ("-".equals(m.group(1))) {
      value = value.negate();
    }
    return format(value, format);
  }

  private static String format(BigDecimal value, Format format) {
    if (value.signum() == 0) {
      return "0";
    }
    if (format == Format.BINARY_SI) {
      if (value.abs().compareTo(BigDecimal.valueOf(1024)) < 0) {
        format = Format.DECIMAL_SI;
      } else {
        BigInteger whole;
        try {
          whole = value.toBigIntegerExact();
        } catch (ArithmeticException e) {
          whole = null;
        }
        if (whole == null) {
          format = Format.DECIMAL_SI;
        } else {
          int exp = 0;
          while (whole.signum() != 0 && whole.mod(KI).signum() == 0 && exp < BINARY_SUFFIX.length - 1) {
            whole = whole.divide(KI);
            exp++;
          }
          return whole + BINARY_SUFFIX[exp];
        }
      }
    }
    BigDecimal stripped = value.stripTrailingZeros();
    BigInteger mantissa = stripped.unscaledValue();
    int exponent = -stripped.scale();
    int r = Math.floorMod(exponent, 3);
    if (r != 0) {
      mantissa = mantissa.multiply(BigInteger.TEN.pow(r));
      exponent -= r;
    }
    if (format == Format.DECIMAL_EXPONENT) {
      return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }
    String suffix = switch (exponent) {
      case -9 -> "n";
      case -6 -> "u";
      case -3 -> "m";
      case 0 -> "";
      case 3 -> "k";
      case 6 -> "M";
      case 9 -> "G";
      case 12 -> "T";
      case 15 -> "P";
      case 18 -> "E";
      default -> "e" + exponent;
    };
    return mantissa + suffix;
  }
}
