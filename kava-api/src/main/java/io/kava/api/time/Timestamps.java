package io.kava.api.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The RFC 3339 timestamp forms Kubernetes puts on the wire, always written in UTC with "Z":
 *
 * <ul>
 *   <li>metav1.Time ({@code creationTimestamp}, conditions...): seconds, {@code 2006-01-02T15:04:05Z};</li>
 *   <li>metav1.MicroTime (Lease renewTime, Event eventTime): six fraction digits,
 *       {@code 2006-01-02T15:04:05.000000Z};</li>
 *   <li>RFC3339Nano (log timestamps): up to nine digits, trailing zeros dropped.</li>
 * </ul>
 *
 * Formatting truncates (as Go's Format does). Parsing accepts any RFC 3339 date-time: a "Z" or "±hh:mm" offset and
 * an optional fraction of 1 to 9 digits (Go accepts a fraction even when the layout has none).
 */
public final class Timestamps {
  private Timestamps() {}

  /** metav1.Time form; null gives null (the JSON null of an unset time). */
  public static String formatTime(Instant t) {
    if (t == null) return null;
    StringBuilder sb = new StringBuilder(20);
    appendDateTime(sb, t);
    return sb.append('Z').toString();
  }

  /** metav1.MicroTime form. */
  public static String formatMicroTime(Instant t) {
    if (t == null) return null;
    StringBuilder sb = new StringBuilder(27);
    appendDateTime(sb, t);
    sb.append('.');
    appendPadded(sb, t.getNano() / 1000, 6);
    return sb.append('Z').toString();
  }

  /** Go's RFC3339Nano: fraction with trailing zeros removed (none when whole seconds). */
  public static String formatRfc3339Nano(Instant t) {
    if (t == null) return null;
    StringBuilder sb = new StringBuilder(30);
    appendDateTime(sb, t);
    int nanos = t.getNano();
    if (nanos != 0) {
      int digits = 9;
      while (nanos % 10 == 0) {
        nanos /= 10;
        digits--;
      }
      sb.append('.');
      appendPadded(sb, nanos, digits);
    }
    return sb.append('Z').toString();
  }

  /** Parses an RFC 3339 date-time (a metav1.Time); the result keeps any fraction given. */
  public static Instant parseTime(String s) { return parse(s); }

  /** Parses a MicroTime; the result keeps any fraction given. */
  public static Instant parseMicroTime(String s) { return parse(s); }

  /** The instant truncated to what metav1.Time stores (whole seconds). */
  public static Instant truncateToTime(Instant t) { return t.truncatedTo(ChronoUnit.SECONDS); }

  /** The instant truncated to what metav1.MicroTime stores. */
  public static Instant truncateToMicroTime(Instant t) { return t.truncatedTo(ChronoUnit.MICROS); }

  /** Now, in metav1.Time form. */
  public static String nowTime() { return formatTime(Instant.now()); }

  /** Now, in metav1.MicroTime form. */
  public static String nowMicroTime() { return formatMicroTime(Instant.now()); }

  private static void appendDateTime(StringBuilder sb, Instant t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    appendPadded(sb, d.getYear(), 4);
    sb.append('-');
    appendPadded(sb, d.getMonthValue(), 2);
    sb.append('-');
    appendPadded(sb, d.getDayOfMonth(), 2);
    sb.append('T');
    appendPadded(sb, d.getHour(), 2);
    sb.append(':');
    appendPadded(sb, d.getMinute(), 2);
    sb.append(':');
    appendPadded(sb, d.getSecond(), 2);
  }

  private static void appendPadded(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) sb.append('0');
    sb.append(s);
  }

  private static Instant parse(String s) {
    if (s == null) throw new DateTimeParseException("null timestamp", "", 0);
    // yyyy-mm-ddThh:mm:ss[.f{1,9}](Z|±hh:mm)
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      throw bad(s);
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    int i = 19;
    int nanos = 0;
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
      int count = i - start;
      if (count == 0 || count > 9) throw bad(s);
      nanos = digits(s, start, count);
      for (int k = count; k < 9; k++) nanos *= 10;
    }
    int offsetSeconds;
    if (i < n && s.charAt(i) == 'Z' && i + 1 == n) {
      offsetSeconds = 0;
    } else if (i + 6 == n && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh > 23 || om > 59) throw bad(s);
      offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
    } else {
      throw bad(s);
    }
    try {
      LocalDateTime ldt = LocalDateTime.of(LocalDate.of(year, month, day), LocalTime.of(hour, minute, second, nanos));
      return ldt.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    } catch (java.time.DateTimeException e) {
      throw bad(s);
    }
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') throw bad(s);
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static DateTimeParseException bad(String s) {
    return new DateTimeParseException("not an RFC 3339 date-time: \"" + s + "\"", s, 0);
  }
}
