package io.kava.apiserver.table;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The JSONPath subset custom resource printer columns use (Kubernetes' dialect, as in {@code kubectl -o
 * jsonpath}): {@code .field}, {@code .field\.with\.dots}, {@code ['field']}, {@code [0]}, {@code [-1]},
 * {@code [*]}, {@code [1:3]}, {@code ..field} and filters such as {@code [?(@.type=="Ready")]}.
 */
final class JsonPath {
  private sealed interface Step permits Field, Recursive, Index, Slice, All, Filter, Union {
  }

  private record Field(String name) implements Step {
  }

  private record Recursive(String name) implements Step {
  }

  private record Index(int index) implements Step {
  }

  private record Slice(Integer start, Integer end) implements Step {
  }

  private record All() implements Step {
  }

  private record Union(List<Step> parts) implements Step {
  }

  /** {@code left op right}; a null op tests that {@code left} exists. */
  private record Filter(List<Step> left, String op, Object right) implements Step {
  }

  /** A path relative to the filtered element ({@code @.x.y}), as a filter operand. */
  private record RelativePath(List<Step> steps) {
  }

  private final List<Step> steps;

  private JsonPath(List<Step> steps) {
    this.steps = steps;
  }

  /**
   * Parses {@code expression} ({@code .status.replicas}; an enclosing {@code {...}} and a leading {@code $} are
   * accepted).
   *
   * @throws IllegalArgumentException when the expression is not in the supported subset
   */
  static JsonPath parse(String expression) {
    String s = expression.trim();
    if (s.startsWith("{") && s.endsWith("}")) {
      s = s.substring(1, s.length() - 1).trim();
    }
    if (s.startsWith("$")) {
      s = s.substring(1);
    }
    return new JsonPath(new Parser(s).steps(false));
  }

  /** Every value the path selects, in document order; empty when nothing matches (missing keys are allowed). */
  List<JsonNode> find(JsonNode root) {
    return apply(steps, List.of(root));
  }

  private static List<JsonNode> apply(List<Step> steps, List<JsonNode> start) {
    List<JsonNode> current = start;
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : current) {
        applyStep(step, n, next);
      }
      current = next;
    }
    return current;
  }

  private static void applyStep(Step step, JsonNode n, List<JsonNode> out) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return;
    }
    switch (step) {
      case Field f -> {
        if (f.name().equals("*")) {
          applyStep(new All(), n, out);
        } else if (n.isObject() && n.has(f.name())) {
          out.add(n.get(f.name()));
        }
      }
      case All a -> {
        if (n.isArray()) {
          n.forEach(out::add);
        } else if (n.isObject()) {
          // Kubernetes' JSONPath walks map keys in sorted order.
          TreeMap<String, JsonNode> sorted = new TreeMap<>();
          for (Map.Entry<String, JsonNode> e : n.properties()) {
            sorted.put(e.getKey(), e.getValue());
          }
          out.addAll(sorted.values());
        }
      }
      case Index i -> {
        if (n.isArray()) {
          int idx = i.index() < 0 ? n.size() + i.index() : i.index();
          if (idx >= 0 && idx < n.size()) {
            out.add(n.get(idx));
          }
        }
      }
      case Slice sl -> {
        if (n.isArray()) {
          int size = n.size();
          int from = sl.start() == null ? 0 : clamp(sl.start() < 0 ? size + sl.start() : sl.start(), size);
          int to = sl.end() == null ? size : clamp(sl.end() < 0 ? size + sl.end() : sl.end(), size);
          for (int k = from; k < to; k++) {
            out.add(n.get(k));
          }
        }
      }
      case Union u -> {
        for (Step p : u.parts()) {
          applyStep(p, n, out);
        }
      }
      case Recursive r -> recurse(n, r.name(), out);
      case Filter f -> {
        List<JsonNode> elements = new ArrayList<>();
        if (n.isArray()) {
          n.forEach(elements::add);
        } else {
          elements.add(n);
        }
        for (JsonNode e : elements) {
          if (matches(f, e)) {
            out.add(e);
          }
        }
      }
    }
  }

  private static int clamp(int v, int size) {
    return Math.max(0, Math.min(v, size));
  }

  private static void recurse(JsonNode n, String name, List<JsonNode> out) {
    if (n.isObject()) {
      if (name.equals("*")) {
        n.properties().forEach(e -> out.add(e.getValue()));
      } else if (n.has(name)) {
        out.add(n.get(name));
      }
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        recurse(e.getValue(), name, out);
      }
    } else if (n.isArray()) {
      for (JsonNode e : n) {
        recurse(e, name, out);
      }
    }
  }

  private static boolean matches(Filter f, JsonNode element) {
    List<JsonNode> left = apply(f.left(), List.of(element));
    if (f.op() == null) {
      return !left.isEmpty() && !left.get(0).isNull();
    }
    if (left.isEmpty()) {
      return false;
    }
    Object right = f.right();
    JsonNode rightNode = null;
    if (right instanceof RelativePath rp) {
      List<JsonNode> r = apply(rp.steps(), List.of(element));
      if (r.isEmpty()) {
        return false;
      }
      rightNode = r.get(0);
    }
    JsonNode l = left.get(0);
    int cmp;
    if (rightNode != null) {
      cmp = compare(l, rightNode);
    } else if (right instanceof BigDecimal num) {
      if (!l.isNumber()) {
        return f.op().equals("!=");
      }
      cmp = l.decimalValue().compareTo(num);
    } else if (right instanceof Boolean b) {
      if (!l.isBoolean()) {
        return f.op().equals("!=");
      }
      cmp = Boolean.compare(l.booleanValue(), b);
    } else {
      if (!l.isString()) {
        return f.op().equals("!=");
      }
      cmp = l.stringValue().compareTo((String) right);
    }
    return switch (f.op()) {
      case "==" -> cmp == 0;
      case "!=" -> cmp != 0;
      case "<" -> cmp < 0;
      case "<=" -> cmp <= 0;
      case ">" -> cmp > 0;
      case ">=" -> cmp >= 0;
      default -> false;
    };
  }

  private static int compare(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return Nodes.text(a).compareTo(Nodes.text(b));
  }

  /** A recursive-descent parser over the expression text. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    /** Steps up to the end, or (inside a filter) up to an operator or the closing parenthesis. */
    List<Step> steps(boolean inFilter) {
      List<Step> steps = new ArrayList<>();
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (inFilter && (c == ' ' || c == ')' || c == '=' || c == '!' || c == '<' || c == '>')) {
          break;
        }
        if (c == '.') {
          pos++;
          if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            steps.add(new Recursive(name(inFilter)));
          } else {
            String name = name(inFilter);
            if (!name.isEmpty()) {
              steps.add(new Field(name));
            }
          }
        } else if (c == '[') {
          steps.add(bracket());
        } else {
          throw new IllegalArgumentException("unexpected '" + c + "' at " + pos + " in " + s);
        }
      }
      return steps;
    }

    private String name(boolean inFilter) {
      StringBuilder sb = new StringBuilder();
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '\\' && pos + 1 < s.length()) {
          sb.append(s.charAt(pos + 1));
          pos += 2;
          continue;
        }
        if (c == '.' || c == '[') {
          break;
        }
        if (inFilter && (c == ' ' || c == ')' || c == '=' || c == '!' || c == '<' || c == '>')) {
          break;
        }
        sb.append(c);
        pos++;
      }
      return sb.toString();
    }

    private Step bracket() {
      int close = matchingBracket(pos);
      String inner = s.substring(pos + 1, close).trim();
      pos = close + 1;
      if (inner.equals("*")) {
        return new All();
      }
      if (inner.startsWith("?")) {
        String body = inner.substring(1).trim();
        if (!body.startsWith("(") || !body.endsWith(")")) {
          throw new IllegalArgumentException("bad filter: " + inner);
        }
        return filter(body.substring(1, body.length() - 1).trim());
      }
      List<String> parts = splitTopLevel(inner);
      if (parts.size() > 1) {
        List<Step> union = new ArrayList<>();
        for (String p : parts) {
          union.add(single(p.trim()));
        }
        return new Union(union);
      }
      return single(inner);
    }

    private Step single(String inner) {
      if (inner.length() >= 2 && (inner.startsWith("'") && inner.endsWith("'")
          || inner.startsWith("\"") && inner.endsWith("\""))) {
        return new Field(inner.substring(1, inner.length() - 1));
      }
      if (inner.contains(":")) {
        String[] p = inner.split(":", -1);
        return new Slice(optionalInt(p[0]), optionalInt(p[1]));
      }
      try {
        return new Index(Integer.parseInt(inner.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad index: " + inner);
      }
    }

    private static Integer optionalInt(String t) {
      t = t.trim();
      return t.isEmpty() ? null : Integer.valueOf(t);
    }

    private Filter filter(String body) {
      Parser p = new Parser(body);
      List<Step> left = p.operandPath();
      p.skipSpaces();
      if (p.pos >= body.length()) {
        return new Filter(left, null, null);
      }
      String op = p.operator();
      p.skipSpaces();
      Object right = p.literal();
      return new Filter(left, op, right);
    }

    private List<Step> operandPath() {
      skipSpaces();
      if (pos >= s.length() || s.charAt(pos) != '@') {
        throw new IllegalArgumentException("filter must start with @: " + s);
      }
      pos++;
      return steps(true);
    }

    private String operator() {
      for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
        if (s.startsWith(op, pos)) {
          pos += op.length();
          return op;
        }
      }
      throw new IllegalArgumentException("unsupported filter operator in " + s);
    }

    private Object literal() {
      String rest = s.substring(pos).trim();
      pos = s.length();
      if (rest.startsWith("@")) {
        Parser p = new Parser(rest.substring(1));
        return new RelativePath(p.steps(false));
      }
      if (rest.length() >= 2 && (rest.startsWith("'") && rest.endsWith("'")
          || rest.startsWith("\"") && rest.endsWith("\""))) {
        return rest.substring(1, rest.length() - 1);
      }
      if (rest.equals("true") || rest.equals("false")) {
        return Boolean.valueOf(rest);
      }
      try {
        return new BigDecimal(rest);
      } catch (NumberFormatException e) {
        return rest;
      }
    }

    private void skipSpaces() {
      while (pos < s.length() && s.charAt(pos) == ' ') {
        pos++;
      }
    }

    private int matchingBracket(int open) {
      int depth = 0;
      char quote = 0;
      for (int i = open; i < s.length(); i++) {
        char c = s.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '[') {
          depth++;
        } else if (c == ']') {
          depth--;
          if (depth == 0) {
            return i;
          }
        }
      }
      throw new IllegalArgumentException("unclosed [ in " + s);
    }

    private static List<String> splitTopLevel(String inner) {
      List<String> parts = new ArrayList<>();
      char quote = 0;
      int start = 0;
      for (int i = 0; i < inner.length(); i++) {
        char c = inner.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == ',') {
          parts.add(inner.substring(start, i));
          start = i + 1;
        }
      }
      parts.add(inner.substring(start));
      return parts;
    }
  }
}
