package io.kava.api.quantity;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * A resource quantity with upstream's parsing, arithmetic and canonical form (k8s.io/apimachinery api/resource).
 *
 * <p>Accepted: an optionally signed decimal number followed by a binary suffix (Ki Mi Gi Ti Pi Ei), a decimal SI
 * suffix (n u m "" k M G T P E) or a decimal exponent ({@code e3}, {@code E-2}). Values are exact, except that more
 * than nine decimal places round up (away from zero) to the next nano, and BinarySI values beyond 2^63-1 are
 * capped, as upstream does.
 *
 * <p>{@link #toString()} is upstream's String(): the format of the input is kept (binary stays binary when it can be
 * written exactly with a power-of-1024 suffix and is at least 1024; decimal SI picks the suffix for the largest
 * power of 1000 that keeps the number whole), e.g. "1000m" gives "1", "0.5" gives "500m", "1536Mi" stays "1536Mi",
 * "1e3" stays "1e3", "1000e0" gives "1e3". A parsed string already in canonical form is returned unchanged.
 *
 * <p>Immutable; {@link #equals} and {@link #compareTo} compare numeric values (as upstream's Equal and Cmp).
 */
public final class Quantity implements Comparable<Quantity> {

  /** How the quantity prints (upstream's Format). */
  public enum Format {
    /** {@code 12e6} */
    DECIMAL_EXPONENT("DecimalExponent"),
    /** {@code 12Mi} = 12 * 2^20 */
    BINARY_SI("BinarySI"),
    /** {@code 12M} = 12 * 10^6 */
    DECIMAL_SI("DecimalSI");

    public final String upstreamName;

    Format(String upstreamName) { this.upstreamName = upstreamName; }
  }

  public static final String SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
  /** ErrFormatWrong. */
  public static final String ERR_FORMAT_WRONG = "quantities must match the regular expression '" + SPLIT_RE + "'";
  /** ErrNumeric. */
  public static final String ERR_NUMERIC = "unable to parse numeric part of quantity";
  /** ErrSuffix. */
  public static final String ERR_SUFFIX = "unable to parse quantity's suffix";

  public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, null);

  private static final BigDecimal MAX_INT64 = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigInteger B1024 = BigInteger.valueOf(1024);
  private static final int NANO = 9;

  private final BigDecimal value;
  private final Format format;
  private final String cached; // the input string when it was already canonical, else computed lazily
  private volatile String string;

  private Quantity(BigDecimal value, Format format, String cached) {
    this.value = value;
    this.format = format;
    this.cached = cached;
  }

  // ---- construction ----------------------------------------------------------------------------------------------

  /** NewQuantity: {@code value} units in the given format. */
  public static Quantity of(long value, Format format) { return new Quantity(BigDecimal.valueOf(value), format, null); }

  /** NewMilliQuantity: {@code milli} thousandths. */
  public static Quantity ofMilli(long milli, Format format) { return new Quantity(BigDecimal.valueOf(milli, 3), format, null); }

  /** NewScaledQuantity: {@code value * 10^scale}, DecimalSI. */
  public static Quantity ofScaled(long value, int scale) {
    return new Quantity(roundToNano(BigDecimal.valueOf(value).scaleByPowerOfTen(scale)), Format.DECIMAL_SI, null);
  }

  /** An exact decimal value (rounded up to nano precision, as a parsed value would be). */
  public static Quantity of(BigDecimal value, Format format) { return new Quantity(roundToNano(value), format, null); }

  /** MustParse without the panic: like {@link #parse} but returns empty for invalid input. */
  public static Optional<Quantity> tryParse(String s) {
    try {
      return Optional.of(parse(s));
    } catch (QuantityFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * ParseQuantity. No surrounding whitespace is allowed (JSON decoding trims it before calling this).
   *
   * @throws QuantityFormatException with upstream's message
   */
  public static Quantity parse(String str) {
    if (str == null || str.isEmpty()) throw new QuantityFormatException(ERR_FORMAT_WRONG);
    if (str.equals("0")) return new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, "0");

    // split into sign, whole digits (leading zeros dropped), fraction digits and suffix, as parseQuantityString
    int end = str.length();
    int pos = 0;
    boolean positive = true;
    char c0 = str.charAt(0);
    if (c0 == '-') {
      positive = false;
      pos++;
    } else if (c0 == '+') {
      pos++;
    }
    while (pos < end && str.charAt(pos) == '0') pos++;
    int numStart = pos;
    while (pos < end && isDigit(str.charAt(pos))) pos++;
    String num = pos == numStart ? "0" : str.substring(numStart, pos);
    String denom = "";
    if (pos < end && str.charAt(pos) == '.') {
      pos++;
      int denomStart = pos;
      while (pos < end && isDigit(str.charAt(pos))) pos++;
      denom = str.substring(denomStart, pos);
    }
    int suffixStart = pos;
    while (pos < end && "eEinumkKMGTP".indexOf(str.charAt(pos)) >= 0) pos++;
    if (pos < end && (str.charAt(pos) == '-' || str.charAt(pos) == '+')) pos++;
    while (pos < end && isDigit(str.charAt(pos))) pos++;
    if (pos < end) throw new QuantityFormatException(ERR_FORMAT_WRONG);
    String suffix = str.substring(suffixStart);

    // interpret the suffix
    int base;
    int exponent;
    Format format;
    switch (suffix) {
      case "" -> { base = 10; exponent = 0; format = Format.DECIMAL_SI; }
      case "n" -> { base = 10; exponent = -9; format = Format.DECIMAL_SI; }
      case "u" -> { base = 10; exponent = -6; format = Format.DECIMAL_SI; }
      case "m" -> { base = 10; exponent = -3; format = Format.DECIMAL_SI; }
      case "k" -> { base = 10; exponent = 3; format = Format.DECIMAL_SI; }
      case "M" -> { base = 10; exponent = 6; format = Format.DECIMAL_SI; }
      case "G" -> { base = 10; exponent = 9; format = Format.DECIMAL_SI; }
      case "T" -> { base = 10; exponent = 12; format = Format.DECIMAL_SI; }
      case "P" -> { base = 10; exponent = 15; format = Format.DECIMAL_SI; }
      case "E" -> { base = 10; exponent = 18; format = Format.DECIMAL_SI; }
      case "Ki" -> { base = 2; exponent = 10; format = Format.BINARY_SI; }
      case "Mi" -> { base = 2; exponent = 20; format = Format.BINARY_SI; }
      case "Gi" -> { base = 2; exponent = 30; format = Format.BINARY_SI; }
      case "Ti" -> { base = 2; exponent = 40; format = Format.BINARY_SI; }
      case "Pi" -> { base = 2; exponent = 50; format = Format.BINARY_SI; }
      case "Ei" -> { base = 2; exponent = 60; format = Format.BINARY_SI; }
      default -> {
        if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
          Long e = parseInt64(suffix.substring(1));
          if (e == null || e > Integer.MAX_VALUE || e < Integer.MIN_VALUE) throw new QuantityFormatException(ERR_SUFFIX);
          base = 10;
          exponent = (int) (long) e;
          format = Format.DECIMAL_EXPONENT;
        } else {
          throw new QuantityFormatException(ERR_SUFFIX);
        }
      }
    }

    BigDecimal magnitude = new BigDecimal(new BigInteger(num + denom), denom.length());
    BigDecimal v = base == 10
        ? magnitude.scaleByPowerOfTen(exponent)
        : magnitude.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)));
    if (!positive) v = v.negate();
    v = roundToNano(v);
    if (format == Format.BINARY_SI && v.abs().compareTo(MAX_INT64) > 0) {
      v = v.signum() < 0 ? MAX_INT64.negate() : MAX_INT64;
    }
    if (format == Format.BINARY_SI && v.signum() != 0 && v.abs().compareTo(BigDecimal.ONE) < 0) {
      format = Format.DECIMAL_SI;
    }
    return new Quantity(v, format, isCanonicalInput(num, denom, exponent, format) ? str : null);
  }

  /**
   * Upstream keeps the input string when it took its int64 fast path and the input was already canonical; this
   * reproduces that decision so {@link #toString()} returns exactly what upstream returns.
   */
  private static boolean isCanonicalInput(String num, String denom, int exponent, Format format) {
    if (format == Format.BINARY_SI) {
      if (exponent < 0 || !denom.isEmpty()) return false;
      int precision = 15 - num.length() - exponent * 3 / 10 - 1;
      if (precision < 0) return false;
      long value = Long.parseLong(num);
      if (Long.numberOfLeadingZeros(value) <= exponent && value != 0) return false; // value << exponent overflows
      return exponent % 10 == 0 && (value & 0x07) != 0;
    }
    int precision = 18 - (num.length() + denom.length());
    if (precision < 0) return false;
    int scale = exponent - denom.length();
    if (scale < -NANO) return false;
    String shifted = num + denom;
    return scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
  }

  private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

  private static Long parseInt64(String s) {
    if (s.isEmpty()) return null;
    int i = (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
    if (i == s.length()) return null;
    for (int k = i; k < s.length(); k++) if (!isDigit(s.charAt(k))) return null;
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static BigDecimal roundToNano(BigDecimal v) {
    return v.scale() > NANO ? v.setScale(NANO, RoundingMode.UP) : v;
  }

  // ---- accessors -------------------------------------------------------------------------------------------------

  public Format format() { return format; }

  /** The exact value. */
  public BigDecimal toBigDecimal() { return value; }

  public int signum() { return value.signum(); }

  public boolean isZero() { return value.signum() == 0; }

  /** Value(): the value in units, rounded up (away from zero). */
  public long value() { return scaledValue(0); }

  /** MilliValue(): the value in thousandths, rounded up (away from zero). */
  public long milliValue() { return scaledValue(-3); }

  /** ScaledValue(scale): the value in units of 10^scale, rounded up (away from zero). Overflow wraps as upstream. */
  public long scaledValue(int scale) {
    return value.scaleByPowerOfTen(-scale).setScale(0, RoundingMode.UP).toBigInteger().longValue();
  }

  /** AsApproximateFloat64. */
  public double approximateDouble() { return value.doubleValue(); }

  /** AsInt64: the value when it is a whole number that fits a long. */
  public Optional<Long> asLong() {
    try {
      return Optional.of(value.longValueExact());
    } catch (ArithmeticException e) {
      return Optional.empty();
    }
  }

  // ---- arithmetic (new values; the receiver is unchanged) --------------------------------------------------------

  /** Add: the sum; takes {@code y}'s format when this one is zero. */
  public Quantity add(Quantity y) {
    return new Quantity(value.add(y.value), isZero() ? y.format : format, null);
  }

  /** Sub: the difference; takes {@code y}'s format when this one is zero. */
  public Quantity subtract(Quantity y) {
    return new Quantity(value.subtract(y.value), isZero() ? y.format : format, null);
  }

  /** Mul by an integer. */
  public Quantity multiply(long y) { return new Quantity(value.multiply(BigDecimal.valueOf(y)), format, null); }

  /** Neg. */
  public Quantity negate() { return new Quantity(value.negate(), format, null); }

  /** RoundUp(scale): rounds away from zero to a multiple of 10^scale. */
  public Quantity roundUp(int scale) {
    BigDecimal r = value.setScale(-scale, RoundingMode.UP);
    if (r.compareTo(value) == 0) return this;
    return new Quantity(r, format, null);
  }

  /** Cmp. */
  @Override
  public int compareTo(Quantity o) { return value.compareTo(o.value); }

  /** CmpInt64. */
  public int compareTo(long y) { return value.compareTo(BigDecimal.valueOf(y)); }

  @Override
  public boolean equals(Object o) { return o instanceof Quantity q && value.compareTo(q.value) == 0; }

  @Override
  public int hashCode() { return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode(); }

  // ---- canonical form --------------------------------------------------------------------------------------------

  /** Upstream's String(): the canonical form, e.g. {@code 1536Mi}, {@code 500m}, {@code 1e3}, {@code 0}. */
  @Override
  public String toString() {
    if (cached != null) return cached;
    String s = string;
    if (s == null) {
      s = canonicalize();
      string = s;
    }
    return s;
  }

  private String canonicalize() {
    if (value.signum() == 0) return "0";
    Format f = format;
    if (f == Format.BINARY_SI) {
      boolean small = value.compareTo(BigDecimal.valueOf(-1024)) > 0 && value.compareTo(BigDecimal.valueOf(1024)) < 0;
      if (small || value.stripTrailingZeros().scale() > 0) f = Format.DECIMAL_SI;
    }
    if (f == Format.BINARY_SI) {
      BigInteger n = value.toBigIntegerExact();
      int times = 0;
      while (n.signum() != 0 && times < 6) {
        BigInteger[] qr = n.divideAndRemainder(B1024);
        if (qr[1].signum() != 0) break;
        n = qr[0];
        times++;
      }
      return n + BINARY_SUFFIXES[times];
    }
    BigDecimal stripped = value.stripTrailingZeros();
    BigInteger mantissa = stripped.unscaledValue();
    int exponent = -stripped.scale();
    int down = Math.floorMod(exponent, 3);
    if (down != 0) {
      mantissa = mantissa.multiply(BigInteger.TEN.pow(down));
      exponent -= down;
    }
    if (f == Format.DECIMAL_EXPONENT) return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    if (exponent > 18) {
      // upstream has no suffix beyond E and would drop the exponent; keep the value right instead
      mantissa = mantissa.multiply(BigInteger.TEN.pow(exponent - 18));
      exponent = 18;
    }
    return mantissa + DECIMAL_SUFFIXES[(exponent + 9) / 3];
  }

  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final String[] DECIMAL_SUFFIXES = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
}
