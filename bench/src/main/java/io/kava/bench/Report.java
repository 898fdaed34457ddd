package io.kava.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one run: one row per measurement, one column per target, and kava/mock ratios. */
final class Report {
  /** A measured value; {@code higherIsBetter} decides how a ratio reads. */
  record Figure(double value, String note) {}

  record Row(String label, String unit, boolean higherIsBetter, Map<String, Figure> byTarget) {}

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> targets = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> ceiling = new ArrayList<>();

  synchronized void target(String name) {
    if (!targets.contains(name)) targets.add(name);
  }

  synchronized void put(String label, String unit, boolean higherIsBetter, String target, double value, String note) {
    target(target);
    rows.computeIfAbsent(label, l -> new Row(l, unit, higherIsBetter, new LinkedHashMap<>())).byTarget().put(target, new Figure(value, note));
  }

  synchronized void note(String line) { notes.add(line); }

  synchronized void ceiling(String line) { ceiling.add(line); }

  List<String> notes() { return notes; }

  /** The table as Markdown (it also reads well as plain text). */
  synchronized String table() {
    List<String> kavas = targets.stream().filter(t -> t.startsWith("kava")).toList();
    boolean mock = targets.contains("mock");
    List<String> header = new ArrayList<>();
    header.add("figure");
    header.addAll(targets);
    if (mock) for (String k : kavas) header.add(k + " / mock");
    List<List<String>> body = new ArrayList<>();
    for (Row r : rows.values()) {
      List<String> line = new ArrayList<>();
      line.add(r.label() + (r.unit().isEmpty() ? "" : " (" + r.unit() + ")") + (r.higherIsBetter() ? " ↑" : " ↓"));
      for (String t : targets) {
        Figure f = r.byTarget().get(t);
        String note = f == null || f.note() == null ? "" : f.note().trim();
        line.add(f == null ? "–" : format(f.value()) + (note.isEmpty() ? "" : " " + note));
      }
      if (mock) {
        Figure m = r.byTarget().get("mock");
        for (String k : kavas) {
          Figure f = r.byTarget().get(k);
          if (f == null || m == null || !(m.value() > 0) || Double.isNaN(f.value())) {
            line.add("–");
          } else {
            double ratio = f.value() / m.value();
            boolean better = r.higherIsBetter() ? ratio > 1 : ratio < 1;
            line.add(String.format(Locale.ROOT, "%.2f×", ratio) + (better ? " (kava better)" : " (mock better)"));
          }
        }
      }
      body.add(line);
    }
    return markdown(header, body);
  }

  synchronized List<String> ceilingLines() { return List.copyOf(ceiling); }

  static String markdown(List<String> header, List<List<String>> body) {
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) w[i] = Math.max(3, header.get(i).length());
    for (List<String> l : body) for (int i = 0; i < l.size(); i++) w[i] = Math.max(w[i], l.get(i).length());
    StringBuilder sb = new StringBuilder();
    line(sb, header, w);
    sb.append('|');
    for (int i = 0; i < w.length; i++) sb.append(i == 0 ? " :" : " ").append("-".repeat(i == 0 ? w[i] - 1 : w[i] - 1)).append(i == 0 ? " |" : ": |");
    sb.append('\n');
    for (List<String> l : body) line(sb, l, w);
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] w) {
    sb.append('|');
    for (int i = 0; i < w.length; i++) {
      String c = i < cells.size() ? cells.get(i) : "";
      sb.append(' ').append(c).append(" ".repeat(w[i] - c.length())).append(" |");
    }
    sb.append('\n');
  }

  static String format(double v) {
    if (Double.isNaN(v)) return "n/a";
    if (Math.abs(v) >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
    if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (Math.abs(v) >= 10) return String.format(Locale.ROOT, "%.1f", v);
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
