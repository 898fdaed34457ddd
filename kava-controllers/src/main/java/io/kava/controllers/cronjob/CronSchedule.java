package io.kava.controllers.cronjob;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * A CronJob schedule as upstream's parser (robfig/cron v3, standard spec) reads it: five fields (minute, hour,
 * day of month, month, day of week) with lists, ranges, steps and month/day names, or a descriptor (@yearly,
 * @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every DURATION), optionally prefixed by
 * {@code CRON_TZ=Zone} or {@code TZ=Zone}. Day of month and day of week are ORed unless either starts with
 * {@code *} or {@code ?}, as in cron.
 */
public final class CronSchedule {
  private static final long STAR = 1L << 63;
  private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3),
      Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8), Map.entry("sep", 9),
      Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
  private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);

  private final long minute;
  private final long hour;
  private final long dom;
  private final long month;
  private final long dow;
  /** Set for @every: a constant delay instead of fields. */
  private final Duration every;
  /** The zone of a CRON_TZ/TZ prefix, or null (the caller's zone applies). */
  private final ZoneId zone;

  private CronSchedule(long minute, long hour, long dom, long month, long dow, Duration every, ZoneId zone) {
    this.minute = minute;
    this.hour = hour;
    this.dom = dom;
    this.month = month;
    this.dow = dow;
    this.every = every;
    this.zone = zone;
  }

  /** The zone a TZ=/CRON_TZ= prefix named, or null. */
  public ZoneId zone() { return zone; }

  /**
   * Parses a schedule.
   *
   * @throws IllegalArgumentException with the upstream parser's wording when it is not valid
   */
  public static CronSchedule parse(String spec) {
    String s = spec.trim();
    if (s.isEmpty()) throw new IllegalArgumentException("empty spec string");
    ZoneId zone = null;
    if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
      int sp = s.indexOf(' ');
      String tz = s.substring(s.indexOf('=') + 1, sp < 0 ? s.length() : sp);
      try {
        zone = ZoneId.of(tz);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("provided bad location " + tz + ": unknown time zone " + tz);
      }
      s = sp < 0 ? "" : s.substring(sp).trim();
    }
    if (s.startsWith("@")) return descriptor(s, zone);
    String[] f = s.split("\\s+");
    if (f.length != 5) throw new IllegalArgumentException("expected exactly 5 fields, found " + f.length + ": [" + s + "]");
    return new CronSchedule(field(f[0], 0, 59, null), field(f[1], 0, 23, null), field(f[2], 1, 31, null),
        field(f[3], 1, 12, MONTHS), field(f[4], 0, 6, DAYS), null, zone);
  }

  private static CronSchedule descriptor(String d, ZoneId zone) {
    long all = STAR;
    return switch (d) {
      case "@yearly", "@annually" -> new CronSchedule(1L, 1L, 1L << 1, 1L << 1, bits(0, 6, 1) | all, null, zone);
      case "@monthly" -> new CronSchedule(1L, 1L, 1L << 1, bits(1, 12, 1) | all, bits(0, 6, 1) | all, null, zone);
      case "@weekly" -> new CronSchedule(1L, 1L, bits(1, 31, 1) | all, bits(1, 12, 1) | all, 1L, null, zone);
      case "@daily", "@midnight" -> new CronSchedule(1L, 1L, bits(1, 31, 1) | all, bits(1, 12, 1) | all, bits(0, 6, 1) | all, null, zone);
      case "@hourly" -> new CronSchedule(1L, bits(0, 23, 1) | all, bits(1, 31, 1) | all, bits(1, 12, 1) | all, bits(0, 6, 1) | all, null, zone);
      default -> {
        if (d.startsWith("@every ")) {
          Duration every = goDuration(d.substring("@every ".length()).trim());
          if (every == null) throw new IllegalArgumentException("failed to parse duration " + d);
          yield new CronSchedule(0, 0, 0, 0, 0, every.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : every, zone);
        }
        throw new IllegalArgumentException("unrecognized descriptor: " + d);
      }
    };
  }

  private static long field(String field, int min, int max, Map<String, Integer> names) {
    long bits = 0;
    for (String expr : field.split(",")) bits |= range(expr, min, max, names);
    return bits;
  }

  private static long range(String expr, int min, int max, Map<String, Integer> names) {
    String[] rangeAndStep = expr.split("/", -1);
    String[] lowAndHigh = rangeAndStep[0].split("-", -1);
    boolean single = lowAndHigh.length == 1;
    int start;
    int end;
    long extra = 0;
    if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
      start = min;
      end = max;
      extra = STAR;
    } else {
      start = value(lowAndHigh[0], names);
      if (lowAndHigh.length == 1) end = start;
      else if (lowAndHigh.length == 2) end = value(lowAndHigh[1], names);
      else throw new IllegalArgumentException("too many hyphens: " + expr);
    }
    int step = 1;
    if (rangeAndStep.length == 2) {
      step = value(rangeAndStep[1], null);
      if (single) end = max; // "N/step" means "N-max/step"
      if (step > 1) extra = 0;
    } else if (rangeAndStep.length > 2) {
      throw new IllegalArgumentException("too many slashes: " + expr);
    }
    if (start < min) throw new IllegalArgumentException("beginning of range (" + start + ") below minimum (" + min + "): " + expr);
    if (end > max) throw new IllegalArgumentException("end of range (" + end + ") above maximum (" + max + "): " + expr);
    if (start > end) throw new IllegalArgumentException("beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
    if (step == 0) throw new IllegalArgumentException("step of range should be a positive number: " + expr);
    return bits(start, end, step) | extra;
  }

  private static int value(String s, Map<String, Integer> names) {
    if (names != null) {
      Integer v = names.get(s.toLowerCase(Locale.ROOT));
      if (v != null) return v;
    }
    try {
      int v = Integer.parseInt(s);
      if (v < 0) throw new IllegalArgumentException("negative number (" + v + ") not allowed: " + s);
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("failed to parse int from " + s + ": strconv.Atoi: parsing \"" + s + "\": invalid syntax");
    }
  }

  private static long bits(int min, int max, int step) {
    long b = 0;
    for (int i = min; i <= max; i += step) b |= 1L << i;
    return b;
  }

  /** Go's time.ParseDuration for the units a schedule uses (h, m, s, ms), or null. */
  static Duration goDuration(String s) {
    var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s)").matcher(s);
    long nanos = 0;
    int at = 0;
    while (m.find() && m.start() == at) {
      double v = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "h" -> 3_600_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "s" -> 1_000_000_000L;
        default -> 1_000_000L;
      };
      nanos += (long) (v * unit);
      at = m.end();
    }
    return at == s.length() && at > 0 ? Duration.ofNanos(nanos) : null;
  }

  /**
   * The first activation strictly after {@code t}, in {@code zone} (unless the schedule names its own), or null
   * when there is none within five years (a schedule such as Feb 30).
   */
  public Instant next(Instant t, ZoneId zone) {
    ZoneId z = this.zone != null ? this.zone : zone;
    if (every != null) {
      // robfig's ConstantDelaySchedule: whole seconds after t.
      return t.plus(every).truncatedTo(ChronoUnit.SECONDS);
    }
    ZonedDateTime d = t.atZone(z).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
    if (d.getSecond() != 0) d = d.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    int yearLimit = d.getYear() + 5;
    boolean added = false;
    wrap:
    while (d.getYear() <= yearLimit) {
      while ((month & (1L << d.getMonthValue())) == 0) {
        if (!added) {
          added = true;
          d = d.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
        }
        d = d.plusMonths(1);
        if (d.getMonthValue() == 1) continue wrap;
      }
      while (!dayMatches(d)) {
        if (!added) {
          added = true;
          d = d.truncatedTo(ChronoUnit.DAYS);
        }
        d = d.plusDays(1);
        if (d.getDayOfMonth() == 1) continue wrap;
      }
      while ((hour & (1L << d.getHour())) == 0) {
        if (!added) {
          added = true;
          d = d.truncatedTo(ChronoUnit.HOURS);
        }
        d = d.plusHours(1);
        if (d.getHour() == 0) continue wrap;
      }
      while ((minute & (1L << d.getMinute())) == 0) {
        if (!added) {
          added = true;
          d = d.truncatedTo(ChronoUnit.MINUTES);
        }
        d = d.plusMinutes(1);
        if (d.getMinute() == 0) continue wrap;
      }
      return d.toInstant();
    }
    return null;
  }

  private boolean dayMatches(ZonedDateTime d) {
    boolean domMatch = (dom & (1L << d.getDayOfMonth())) != 0;
    boolean dowMatch = (dow & (1L << (d.getDayOfWeek().getValue() % 7))) != 0;
    if ((dom & STAR) != 0 || (dow & STAR) != 0) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }
}
