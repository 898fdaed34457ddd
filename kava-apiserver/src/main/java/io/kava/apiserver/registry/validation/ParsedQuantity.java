package io.kava.apiserver.registry.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A resource quantity (resource.Quantity) as kube-apiserver parses and prints it: "0.5" prints "500m", "1024Mi"
 * prints "1Gi", "1000m" prints "1"; values finer than a nanounit round up. Exact (BigDecimal), with the format taken
 * from the suffix the client wrote.
 *
 * <p>Minimal stand-in for {@code io.kava.api.quantity.Quantity} until that exists; replace when merging.
 */
public final class ParsedQuantity implements Comparable<ParsedQuantity> {
  public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

  /** resource.ErrFormatWrong. */
  public static final String FORMAT_ERROR =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  /** resource.ErrSuffix. */
  public static final String SUFFIX_ERROR = "unable to parse quantity's suffix";

  private static final Pattern SHAPE = Pattern.compile("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$");
  private static final Map<String, Integer> DECIMAL = Map.of(
      "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BINARY = Map.of("Ki", 1, "Mi", 2, "Gi", 3, "Ti", 4, "Pi", 5, "Ei", 6);
  private static final String[] DECIMAL_SUFFIX = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  private static final String[] BINARY_SUFFIX = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final BigInteger KI = BigInteger.valueOf(1024);
  private static final BigDecimal KI_DEC = new BigDecimal(1024);

  private final BigDecimal value;
  private final Format format;

  private ParsedQuantity(BigDecimal value, Format format) {
    this.value = value;
    this.format = format;
  }

  public BigDecimal value() { return value; }

  public Format format() { return format; }

  public static ParsedQuantity of(long v) { return new ParsedQuantity(BigDecimal.valueOf(v), Format.DECIMAL_SI); }

  /** Parses a quantity; throws IllegalArgumentException with upstream's message when it does not parse. */
  public static ParsedQuantity parse(String raw) {
    String s = raw == null ? "" : raw.trim();
    if (s.isEmpty() || !SHAPE.matcher(s).matches()) throw new IllegalArgumentException(FORMAT_ERROR);
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      negative = s.charAt(0) == '-';
      i++;
    }
    int numStart = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
    String whole = s.substring(numStart, i);
    String frac = "";
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      int fracStart = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
      frac = s.substring(fracStart, i);
    }
    if (whole.isEmpty() && frac.isEmpty()) throw new IllegalArgumentException(FORMAT_ERROR);
    String suffix = s.substring(i);
    if (suffix.indexOf('.') >= 0) throw new IllegalArgumentException(FORMAT_ERROR);
    BigDecimal number = new BigDecimal((whole.isEmpty() ? "0" : whole) + (frac.isEmpty() ? "" : "." + frac));
    Format format;
    BigDecimal v;
    if (DECIMAL.containsKey(suffix)) {
      format = Format.DECIMAL_SI;
      v = number.scaleByPowerOfTen(DECIMAL.get(suffix));
    } else if (BINARY.containsKey(suffix)) {
      format = Format.BINARY_SI;
      v = number.multiply(KI_DEC.pow(BINARY.get(suffix)));
    } else if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      int exp;
      try {
        exp = Integer.parseInt(suffix.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(SUFFIX_ERROR);
      }
      format = Format.DECIMAL_EXPONENT;
      v = number.scaleByPowerOfTen(exp);
    } else {
      throw new IllegalArgumentException(SUFFIX_ERROR);
    }
    if (negative) v = v.negate();
    // upstream keeps at most nano precision, rounding away from zero so tiny requests stay non-zero
    if (v.scale() > 9) v = v.setScale(9, RoundingMode.UP);
    return new ParsedQuantity(v, format);
  }

  /** Parses a JSON value (string or number); null when absent or not a quantity. */
  public static ParsedQuantity parseOrNull(JsonNode v) {
    if (v == null || v.isNull() || v.isContainer()) return null;
    try {
      return parse(v.isNumber() ? v.numberValue().toString() : v.asString());
    } catch (IllegalArgumentException | ArithmeticException e) {
      return null;
    }
  }

  /** The parse error message for a JSON value, or null when it parses. */
  public static String parseError(JsonNode v) {
    if (v == null || v.isNull()) return null;
    if (v.isContainer()) return FORMAT_ERROR;
    try {
      parse(v.isNumber() ? v.numberValue().toString() : v.asString());
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** SetDefaults_ResourceList's RoundUp(-3): values finer than a milliunit round up, away from zero. */
  public ParsedQuantity roundUpToMilli() {
    if (value.scale() <= 3) return this;
    return new ParsedQuantity(value.setScale(3, RoundingMode.UP), format);
  }

  public int signum() { return value.signum(); }

  public boolean isZero() { return value.signum() == 0; }

  /** Value(): rounded up to an integer. */
  public long ceilValue() { return value.setScale(0, RoundingMode.UP).longValue(); }

  /** MilliValue(): rounded up to milli units. */
  public long milliValue() { return value.movePointRight(3).setScale(0, RoundingMode.UP).longValue(); }

  public ParsedQuantity add(ParsedQuantity o) { return new ParsedQuantity(value.add(o.value), format); }

  @Override
  public int compareTo(ParsedQuantity o) { return value.compareTo(o.value); }

  @Override
  public boolean equals(Object o) { return o instanceof ParsedQuantity q && q.value.compareTo(value) == 0; }

  @Override
  public int hashCode() { return value.stripTrailingZeros().hashCode(); }

  /** The canonical text (Quantity.String()). */
  @Override
  public String toString() {
    if (value.signum() == 0) return "0";
    Format f = format;
    if (f == Format.BINARY_SI) {
      if (value.abs().compareTo(KI_DEC) < 0 || value.stripTrailingZeros().scale() > 0) f = Format.DECIMAL_SI;
    }
    if (f == Format.BINARY_SI) {
      BigInteger n = value.toBigIntegerExact();
      int sign = n.signum();
      n = n.abs();
      int times = 0;
      while (times < BINARY_SUFFIX.length - 1 && n.compareTo(KI) >= 0 && n.mod(KI).signum() == 0) {
        n = n.divide(KI);
        times++;
      }
      return (sign < 0 ? "-" : "") + n + BINARY_SUFFIX[times];
    }
    BigDecimal stripped = value.stripTrailingZeros();
    BigInteger mantissa = stripped.unscaledValue();
    int exponent = -stripped.scale();
    int r = Math.floorMod(exponent, 3);
    if (r != 0) {
      mantissa = mantissa.multiply(BigInteger.TEN.pow(r));
      exponent -= r;
    }
    if (f == Format.DECIMAL_EXPONENT) {
      return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }
    if (exponent > 18) {
      mantissa = mantissa.multiply(BigInteger.TEN.pow(exponent - 18));
      exponent = 18;
    }
    return mantissa + DECIMAL_SUFFIX[exponent / 3 + 3];
  }
}
