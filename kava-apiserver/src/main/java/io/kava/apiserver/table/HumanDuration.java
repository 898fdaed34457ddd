package io.kava.apiserver.table;

import java.time.Duration;
import java.time.Instant;

/**
 * Human-readable approximations of durations, as kubectl and kube-apiserver print ages ("45s", "3m10s", "5h",
 * "2d3h", "367d", "2y1d"). The rules are upstream's (apimachinery util/duration): about two to three significant
 * figures, with the finer unit dropped as the duration grows.
 */
public final class HumanDuration {
  /** Printed for a timestamp that is not set. */
  public static final String UNKNOWN = "<unknown>";

  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;

  private HumanDuration() {
  }

  /**
   * Upstream's HumanDuration: a negative duration of up to (but excluding) two seconds is clock skew and prints
   * as "0s"; anything more negative is {@code <invalid>}.
   */
  public static String format(Duration d) {
    long nanos = saturatedNanos(d);
    long seconds = nanos / SECOND; // truncates toward zero, as Go's int(d.Seconds())
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = nanos / MINUTE;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = nanos / HOUR;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? (hours / 24) + "d" : (hours / 24) + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return (hours / 24) + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? (hours / 24 / 365) + "y" : (hours / 24 / 365) + "y" + dy + "d";
    }
    return (hours / 24 / 365) + "y";
  }

  /**
   * Upstream's ShortHumanDuration: a single unit ("59s", "1m", "23h", "364d", "1y").
   */
  public static String formatShort(Duration d) {
    long nanos = saturatedNanos(d);
    long seconds = nanos / SECOND;
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60) {
      return seconds + "s";
    }
    long minutes = nanos / MINUTE;
    if (minutes < 60) {
      return minutes + "m";
    }
    long hours = nanos / HOUR;
    if (hours < 24) {
      return hours + "h";
    } else if (hours < 24 * 365) {
      return (hours / 24) + "d";
    }
    return (hours / 24 / 365) + "y";
  }

  /** Age of {@code timestamp} at {@code now}; {@code <unknown>} when the timestamp is not set. */
  public static String since(Instant timestamp, Instant now) {
    if (timestamp == null || isZero(timestamp)) {
      return UNKNOWN;
    }
    return format(Duration.between(timestamp, now));
  }

  /** Time left until {@code timestamp}; {@code <unknown>} when the timestamp is not set. */
  public static String until(Instant timestamp, Instant now) {
    if (timestamp == null || isZero(timestamp)) {
      return UNKNOWN;
    }
    return format(Duration.between(now, timestamp));
  }

  /** Go's zero time.Time (0001-01-01T00:00:00Z) counts as "not set", as metav1.Time.IsZero does. */
  static boolean isZero(Instant t) {
    return t.equals(GO_ZERO_TIME);
  }

  static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private static long saturatedNanos(Duration d) {
    // Go's time.Duration is int64 nanoseconds and time.Sub saturates; do the same.
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
