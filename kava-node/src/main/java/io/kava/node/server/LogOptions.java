package io.kava.node.server;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * What a log request asks for, as in upstream's PodLogOptions.
 *
 * @param tailLines  the last N lines only; -1 for all
 * @param since      only entries at or after this time; null for all
 * @param limitBytes stop after this many bytes of output; -1 for no limit
 */
public record LogOptions(boolean follow, boolean previous, long tailLines, Instant since, boolean timestamps, long limitBytes) {
  public static final LogOptions ALL = new LogOptions(false, false, -1, null, false, -1);

  /** Reads the query parameters of {@code /containerLogs}; throws {@link IllegalArgumentException} with upstream's wording. */
  public static LogOptions fromQuery(Function<String, String> param, Clock clock) {
    long tail = number(param.apply("tailLines"), "tailLines", -1);
    if (param.apply("tailLines") != null && tail < 0) throw new IllegalArgumentException("tailLines: Invalid value: " + tail + ": must be greater than or equal to 0");
    long limit = number(param.apply("limitBytes"), "limitBytes", -1);
    if (param.apply("limitBytes") != null && limit < 1) throw new IllegalArgumentException("limitBytes: Invalid value: " + limit + ": must be greater than 0");
    String sinceSeconds = param.apply("sinceSeconds");
    String sinceTime = param.apply("sinceTime");
    if (sinceSeconds != null && sinceTime != null) throw new IllegalArgumentException("at most one of `sinceTime` or `sinceSeconds` may be specified");
    Instant since = null;
    if (sinceSeconds != null) {
      long s = number(sinceSeconds, "sinceSeconds", 0);
      if (s < 1) throw new IllegalArgumentException("sinceSeconds: Invalid value: " + s + ": must be greater than 0");
      since = clock.instant().minusSeconds(s);
    } else if (sinceTime != null) {
      try {
        since = OffsetDateTime.parse(sinceTime, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("sinceTime: Invalid value: \"" + sinceTime + "\": must be an RFC3339 time");
      }
    }
    return new LogOptions(flag(param.apply("follow")), flag(param.apply("previous")), tail, since, flag(param.apply("timestamps")), limit);
  }

  private static boolean flag(String v) { return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1")); }

  private static long number(String v, String name, long dflt) {
    if (v == null) return dflt;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": Invalid value: \"" + v + "\": must be an integer");
    }
  }
}
