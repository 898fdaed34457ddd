package io.kava.api.time;

import java.time.Duration;
import java.time.Instant;

/**
 * Upstream's k8s.io/apimachinery/pkg/util/duration: the AGE-style durations the server writes into Table rows
 * (translateTimestampSince uses {@link #format}) and the shorter form some printers use.
 *
 * <p>{@link #format}: seconds below 2 minutes ("90s"), minutes and seconds below 10 minutes ("2m3s", "5m"), minutes
 * below 3 hours ("15m", "179m"), hours and minutes below 8 hours ("3h4m"), hours below 2 days ("47h"), days and
 * hours below 8 days ("2d3h"), days below 2 years ("10d", "400d"), years and days below 8 years ("3y45d"), then
 * years ("10y"). Negative durations down to -1s (clock skew) print "0s"; below that "&lt;invalid&gt;".
 */
public final class HumanDuration {
  /** Printed for a timestamp that is not set. */
  public static final String UNKNOWN = "<unknown>";

  /** Go's zero time.Time (0001-01-01T00:00:00Z) counts as "not set", as metav1.Time.IsZero does. */
  public static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private HumanDuration() {}

  /** duration.HumanDuration. */
  public static String format(Duration d) {
    long nanos = toNanos(d);
    long seconds = nanos / 1_000_000_000L;
    if (seconds < -1) return "<invalid>";
    if (seconds < 0) return "0s";
    if (seconds < 60 * 2) return seconds + "s";
    long minutes = nanos / 60_000_000_000L;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 60 * 3) return minutes + "m";
    long hours = nanos / 3_600_000_000_000L;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) return hours + "h";
    if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    }
    if (hours < 24 * 365 * 2) return hours / 24 + "d";
    if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }

  /** duration.ShortHumanDuration: one unit ("45s", "5m", "3h", "12d", "2y"). */
  public static String shortFormat(Duration d) {
    long nanos = toNanos(d);
    long seconds = nanos / 1_000_000_000L;
    if (seconds < -1) return "<invalid>";
    if (seconds < 0) return "0s";
    if (seconds < 60) return seconds + "s";
    long minutes = nanos / 60_000_000_000L;
    if (minutes < 60) return minutes + "m";
    long hours = nanos / 3_600_000_000_000L;
    if (hours < 24) return hours + "h";
    if (hours < 24 * 365) return hours / 24 + "d";
    return hours / 24 / 365 + "y";
  }

  /**
   * translateTimestampSince: the age of {@code timestamp} at {@code now} in {@link #format} form, or
   * {@code <unknown>} when the timestamp is unset.
   */
  public static String since(Instant timestamp, Instant now) {
    if (isUnset(timestamp)) return UNKNOWN;
    return format(Duration.between(timestamp, now));
  }

  /** translateTimestampUntil: the time left until {@code timestamp}, or {@code <unknown>} when it is unset. */
  public static String until(Instant timestamp, Instant now) {
    if (isUnset(timestamp)) return UNKNOWN;
    return format(Duration.between(now, timestamp));
  }

  /** True for a missing timestamp or Go's zero time, which metav1.Time treats alike. */
  public static boolean isUnset(Instant t) {
    return t == null || t.equals(GO_ZERO_TIME);
  }

  /** {@link #since} at the current time. */
  public static String since(Instant timestamp) { return since(timestamp, Instant.now()); }

  /** Go's Duration is int64 nanoseconds; saturate like time.Sub does. */
  private static long toNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
