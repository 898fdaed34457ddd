package io.kava.apiserver.registry.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The standard cron parser CronJob schedules are checked with (five fields, or a descriptor such as @hourly, with
 * an optional TZ=/CRON_TZ= prefix), reporting errors in the words the upstream parser (robfig/cron v3,
 * ParseStandard) uses.
 */
public final class Cron {
  private Cron() {}

  private record Bounds(int min, int max, Map<String, Integer> names) {}

  private static final Bounds MINUTES = new Bounds(0, 59, null);
  private static final Bounds HOURS = new Bounds(0, 23, null);
  private static final Bounds DOM = new Bounds(1, 31, null);
  private static final Bounds MONTHS = new Bounds(1, 12, Map.ofEntries(
      Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5),
      Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10),
      Map.entry("nov", 11), Map.entry("dec", 12)));
  private static final Bounds DOW = new Bounds(0, 6, Map.of(
      "sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6));

  /** Parses a schedule; returns null when valid, else the parser's error text. */
  public static String parseError(String spec) {
    if (spec.isEmpty()) return "empty spec string";
    String s = spec;
    if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
      int sp = s.indexOf(' ');
      int eq = s.indexOf('=');
      String tz = sp < 0 ? s.substring(eq + 1) : s.substring(eq + 1, sp);
      if (!TimeZones.known(tz)) return "provided bad location " + tz + ": unknown time zone " + tz;
      s = sp < 0 ? "" : s.substring(sp).strip();
    }
    if (s.startsWith("@")) return descriptor(s);
    String[] fields = s.isBlank() ? new String[0] : s.strip().split("\\s+");
    if (fields.length != 5) {
      return "expected exactly 5 fields, found " + fields.length + ": [" + String.join(" ", fields) + "]";
    }
    Bounds[] bounds = {MINUTES, HOURS, DOM, MONTHS, DOW};
    for (int i = 0; i < 5; i++) {
      String err = field(fields[i], bounds[i]);
      if (err != null) return err;
    }
    return null;
  }

  private static String descriptor(String d) {
    switch (d) {
      case "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly" -> {
        return null;
      }
      default -> { }
    }
    if (d.startsWith("@every ")) {
      String dur = d.substring("@every ".length());
      if (!GoDuration.valid(dur)) return "failed to parse duration " + d + ": time: invalid duration " + GoValue.quote(dur);
      return null;
    }
    return "unrecognized descriptor: " + d;
  }

  private static String field(String field, Bounds b) {
    for (String expr : field.split(",")) {
      if (expr.isEmpty()) continue;
      String err = range(expr, b);
      if (err != null) return err;
    }
    return null;
  }

  private static String range(String expr, Bounds b) {
    String[] rangeAndStep = expr.split("/", -1);
    String[] lowAndHigh = rangeAndStep[0].split("-", -1);
    boolean single = lowAndHigh.length == 1;
    long start;
    long end;
    if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
      start = b.min;
      end = b.max;
    } else {
      Object s = intOrName(lowAndHigh[0], b.names);
      if (s instanceof String err) return err;
      start = (Long) s;
      switch (lowAndHigh.length) {
        case 1 -> end = start;
        case 2 -> {
          Object e = intOrName(lowAndHigh[1], b.names);
          if (e instanceof String err) return err;
          end = (Long) e;
        }
        default -> {
          return "too many hyphens: " + expr;
        }
      }
    }
    long step;
    switch (rangeAndStep.length) {
      case 1 -> step = 1;
      case 2 -> {
        Object st = mustParseInt(rangeAndStep[1]);
        if (st instanceof String err) return err;
        step = (Long) st;
        if (single) end = b.max;
      }
      default -> {
        return "too many slashes: " + expr;
      }
    }
    if (start < b.min) return "beginning of range (" + start + ") below minimum (" + b.min + "): " + expr;
    if (end > b.max) return "end of range (" + end + ") above maximum (" + b.max + "): " + expr;
    if (start > end) return "beginning of range (" + start + ") beyond end of range (" + end + "): " + expr;
    if (step == 0) return "step of range should be a positive number: " + expr;
    return null;
  }

  private static Object intOrName(String expr, Map<String, Integer> names) {
    if (names != null) {
      Integer v = names.get(expr.toLowerCase(Locale.ROOT));
      if (v != null) return (long) v;
    }
    return mustParseInt(expr);
  }

  /** strconv.Atoi semantics and messages. */
  private static Object mustParseInt(String expr) {
    long num;
    try {
      String digits = expr.startsWith("+") ? expr.substring(1) : expr;
      if (digits.isEmpty() || digits.startsWith("+")) throw new NumberFormatException();
      num = Long.parseLong(expr.startsWith("+") ? digits : expr);
    } catch (NumberFormatException e) {
      boolean numeric = expr.matches("[+-]?[0-9]+");
      String reason = numeric ? "value out of range" : "invalid syntax";
      return "failed to parse int from " + expr + ": strconv.Atoi: parsing " + GoValue.quote(expr) + ": " + reason;
    }
    if (num < 0) return "negative number (" + num + ") not allowed: " + expr;
    return num;
  }

  /** Go's time.ParseDuration acceptance (units ns, us, µs, ms, s, m, h; optional sign; decimal numbers). */
  static final class GoDuration {
    private GoDuration() {}

    static boolean valid(String s) {
      String d = s;
      if (d.startsWith("-") || d.startsWith("+")) d = d.substring(1);
      if (d.equals("0")) return true;
      if (d.isEmpty()) return false;
      List<String> units = new ArrayList<>(List.of("ns", "us", "µs", "μs", "ms", "s", "m", "h"));
      int i = 0;
      while (i < d.length()) {
        int start = i;
        while (i < d.length() && (Character.isDigit(d.charAt(i)) || d.charAt(i) == '.')) i++;
        String num = d.substring(start, i);
        if (num.isEmpty() || num.equals(".") || num.chars().filter(c -> c == '.').count() > 1) return false;
        int ustart = i;
        while (i < d.length() && !Character.isDigit(d.charAt(i)) && d.charAt(i) != '.') i++;
        if (!units.contains(d.substring(ustart, i))) return false;
      }
      return true;
    }
  }
}
