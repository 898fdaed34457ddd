package io.kava.api.selector;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A label selector with upstream's semantics (k8s.io/apimachinery/pkg/labels and metav1 LabelSelector helpers).
 *
 * <ul>
 *   <li>{@link #parse}: the string syntax of {@code ?labelSelector=} and {@code kubectl -l}: {@code a=b}, {@code a==b},
 *       {@code a!=b}, {@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a}, {@code a>1}, {@code a<1},
 *       comma-separated, whitespace tolerant, with upstream's error messages.</li>
 *   <li>{@link #fromJson}: the structured form ({@code matchLabels} + {@code matchExpressions}) of Deployments,
 *       Services' pod selection, PDBs... ({@code LabelSelectorAsSelector}); {@link #validate(JsonNode, FieldPath)} gives
 *       its field errors ({@code ValidateLabelSelector}).</li>
 * </ul>
 *
 * Requirements are kept sorted by key (stable), so {@link #toString()} is canonical. Immutable and thread-safe.
 */
public final class LabelSelector {
  private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
  private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

  private final List<LabelRequirement> requirements;
  private final boolean nothing;

  private LabelSelector(List<LabelRequirement> requirements, boolean nothing) {
    this.requirements = requirements;
    this.nothing = nothing;
  }

  /** Matches every label set (the empty selector). */
  public static LabelSelector everything() { return EVERYTHING; }

  /** Matches nothing (a nil structured selector). */
  public static LabelSelector nothing() { return NOTHING; }

  /** SelectorFromSet: one {@code k=v} per entry; not validated. Empty or null gives {@link #everything()}. */
  public static LabelSelector fromSet(Map<String, String> set) {
    if (set == null || set.isEmpty()) return EVERYTHING;
    List<LabelRequirement> reqs = new ArrayList<>(set.size());
    set.forEach((k, v) -> reqs.add(new LabelRequirement(k, Operator.EQUALS, List.of(v))));
    return sorted(reqs);
  }

  /** Builds from requirements (e.g. made with {@link LabelRequirement#of}); sorts them by key. */
  public static LabelSelector of(List<LabelRequirement> requirements) {
    return requirements.isEmpty() ? EVERYTHING : sorted(new ArrayList<>(requirements));
  }

  /** Adds requirements (upstream's Selector.Add). On {@link #nothing()} returns nothing. */
  public LabelSelector add(LabelRequirement... more) {
    if (nothing) return this;
    List<LabelRequirement> all = new ArrayList<>(requirements);
    all.addAll(List.of(more));
    return sorted(all);
  }

  private static LabelSelector sorted(List<LabelRequirement> reqs) {
    reqs.sort(Comparator.comparing(LabelRequirement::key));
    return new LabelSelector(List.copyOf(reqs), false);
  }

  // ---- string syntax ---------------------------------------------------------------------------------------------

  /**
   * Parses the string form. Empty or null gives {@link #everything()}.
   *
   * @throws InvalidSelectorException with upstream's message, e.g. {@code unable to parse requirement: found '',
   *     expected: identifier} or {@code found ',', expected: !, identifier, or 'end of string'}
   */
  public static LabelSelector parse(String selector) {
    if (selector == null || selector.isEmpty()) return EVERYTHING;
    List<LabelRequirement> reqs = new Parser(selector).parse();
    return reqs.isEmpty() ? EVERYTHING : sorted(reqs);
  }

  private enum Tok {
    ERROR, END, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER, IN, LESS_THAN,
    NOT_EQUALS, NOT_IN, OPEN_PAR
  }

  private record Item(Tok tok, String lit) {}

  private static Tok keyword(String s) {
    return switch (s) {
      case ")" -> Tok.CLOSED_PAR;
      case "," -> Tok.COMMA;
      case "!" -> Tok.DOES_NOT_EXIST;
      case "==" -> Tok.DOUBLE_EQUALS;
      case "=" -> Tok.EQUALS;
      case ">" -> Tok.GREATER_THAN;
      case "in" -> Tok.IN;
      case "<" -> Tok.LESS_THAN;
      case "!=" -> Tok.NOT_EQUALS;
      case "notin" -> Tok.NOT_IN;
      case "(" -> Tok.OPEN_PAR;
      default -> null;
    };
  }

  private static boolean isWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

  private static boolean isSpecial(char c) {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
  }

  /** Upstream's lexer + recursive-descent parser, same tokens, same lookahead contexts, same messages. */
  private static final class Parser {
    private final List<Item> items = new ArrayList<>();
    private int position;

    Parser(String s) {
      int pos = 0;
      int n = s.length();
      while (true) {
        while (pos < n && isWhitespace(s.charAt(pos))) pos++;
        if (pos >= n || s.charAt(pos) == 0) {
          items.add(new Item(Tok.END, ""));
          return;
        }
        char c = s.charAt(pos);
        if (isSpecial(c)) {
          // longest run of special symbols that still forms a known token
          Item last = null;
          int start = pos;
          while (pos < n && isSpecial(s.charAt(pos))) {
            String buf = s.substring(start, pos + 1);
            Tok t = keyword(buf);
            if (t != null) {
              last = new Item(t, buf);
            } else if (last != null) {
              break;
            }
            pos++;
          }
          if (last == null) {
            items.add(new Item(Tok.ERROR, "error expected: keyword found '" + s.substring(start, pos) + "'"));
          } else {
            pos = start + last.lit().length();
            items.add(last);
          }
        } else {
          int start = pos;
          while (pos < n && !isSpecial(s.charAt(pos)) && !isWhitespace(s.charAt(pos)) && s.charAt(pos) != 0) pos++;
          String word = s.substring(start, pos);
          Tok t = keyword(word);
          items.add(new Item(t != null ? t : Tok.IDENTIFIER, word));
        }
      }
    }

    private Item lookahead(boolean values) { return ctx(items.get(position), values); }

    private Item consume(boolean values) { return ctx(items.get(position++), values); }

    /** In the Values context the keywords "in" and "notin" are plain identifiers. */
    private static Item ctx(Item it, boolean values) {
      if (values && (it.tok == Tok.IN || it.tok == Tok.NOT_IN)) return new Item(Tok.IDENTIFIER, it.lit);
      return it;
    }

    List<LabelRequirement> parse() {
      List<LabelRequirement> reqs = new ArrayList<>();
      while (true) {
        Item it = lookahead(true);
        switch (it.tok) {
          case IDENTIFIER, DOES_NOT_EXIST -> {
            LabelRequirement r;
            try {
              r = parseRequirement();
            } catch (InvalidSelectorException e) {
              throw new InvalidSelectorException("unable to parse requirement: " + e.getMessage());
            }
            reqs.add(r);
            Item t = consume(true);
            switch (t.tok) {
              case END -> {
                return reqs;
              }
              case COMMA -> {
                Item t2 = lookahead(true);
                if (t2.tok != Tok.IDENTIFIER && t2.tok != Tok.DOES_NOT_EXIST) {
                  throw new InvalidSelectorException("found '" + t2.lit + "', expected: identifier after ','");
                }
              }
              default -> throw new InvalidSelectorException("found '" + t.lit + "', expected: ',' or 'end of string'");
            }
          }
          case END -> {
            return reqs;
          }
          default -> throw new InvalidSelectorException("found '" + it.lit + "', expected: !, identifier, or 'end of string'");
        }
      }
    }

    private LabelRequirement parseRequirement() {
      Operator op = null;
      Item t = consume(true);
      if (t.tok == Tok.DOES_NOT_EXIST) {
        op = Operator.DOES_NOT_EXIST;
        t = consume(true);
      }
      if (t.tok != Tok.IDENTIFIER) throw new InvalidSelectorException("found '" + t.lit + "', expected: identifier");
      String key = t.lit;
      List<String> keyErrs = NameValidation.isQualifiedName(key);
      if (!keyErrs.isEmpty()) {
        throw new InvalidSelectorException(
            FieldError.invalid(FieldPath.NIL_STRING, key, String.join("; ", keyErrs)).message());
      }
      Tok next = lookahead(true).tok;
      if ((next == Tok.END || next == Tok.COMMA) && op != Operator.DOES_NOT_EXIST) op = Operator.EXISTS;
      if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) return LabelRequirement.of(key, op, List.of());

      Item o = consume(false);
      op = switch (o.tok) {
        case IN -> Operator.IN;
        case EQUALS -> Operator.EQUALS;
        case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
        case GREATER_THAN -> Operator.GREATER_THAN;
        case LESS_THAN -> Operator.LESS_THAN;
        case NOT_IN -> Operator.NOT_IN;
        case NOT_EQUALS -> Operator.NOT_EQUALS;
        default -> throw new InvalidSelectorException(
            "found '" + o.lit + "', expected: in, notin, =, ==, !=, gt, lt");
      };
      TreeSet<String> values = (op == Operator.IN || op == Operator.NOT_IN) ? parseValues() : parseExactValue();
      return LabelRequirement.of(key, op, new ArrayList<>(values));
    }

    private TreeSet<String> parseValues() {
      Item t = consume(true);
      if (t.tok != Tok.OPEN_PAR) throw new InvalidSelectorException("found '" + t.lit + "' expected: '('");
      Item la = lookahead(true);
      switch (la.tok) {
        case IDENTIFIER, COMMA -> {
          TreeSet<String> s = parseIdentifiersList();
          if (consume(true).tok != Tok.CLOSED_PAR) {
            throw new InvalidSelectorException("found '" + la.lit + "', expected: ')'");
          }
          return s;
        }
        case CLOSED_PAR -> {
          consume(true);
          TreeSet<String> s = new TreeSet<>();
          s.add("");
          return s;
        }
        default -> throw new InvalidSelectorException("found '" + la.lit + "', expected: ',', ')' or identifier");
      }
    }

    private TreeSet<String> parseIdentifiersList() {
      TreeSet<String> s = new TreeSet<>();
      while (true) {
        Item t = consume(true);
        switch (t.tok) {
          case IDENTIFIER -> {
            s.add(t.lit);
            Item t2 = lookahead(true);
            switch (t2.tok) {
              case COMMA -> {
                continue;
              }
              case CLOSED_PAR -> {
                return s;
              }
              default -> throw new InvalidSelectorException("found '" + t2.lit + "', expected: ',' or ')'");
            }
          }
          case COMMA -> {
            if (s.isEmpty()) s.add("");
            Tok t2 = lookahead(true).tok;
            if (t2 == Tok.CLOSED_PAR) {
              s.add("");
              return s;
            }
            if (t2 == Tok.COMMA) s.add("");
          }
          default -> throw new InvalidSelectorException("found '" + t.lit + "', expected: ',', or identifier");
        }
      }
    }

    private TreeSet<String> parseExactValue() {
      TreeSet<String> s = new TreeSet<>();
      Tok la = lookahead(true).tok;
      if (la == Tok.END || la == Tok.COMMA) {
        s.add("");
        return s;
      }
      Item t = consume(true);
      if (t.tok == Tok.IDENTIFIER) {
        s.add(t.lit);
        return s;
      }
      throw new InvalidSelectorException("found '" + t.lit + "', expected: identifier");
    }
  }

  // ---- structured (JSON) form ------------------------------------------------------------------------------------

  /**
   * LabelSelectorAsSelector: null/missing/JSON null gives {@link #nothing()}, {@code {}} gives {@link #everything()}.
   * Operators are In, NotIn, Exists and DoesNotExist.
   *
   * @throws InvalidSelectorException e.g. {@code "Foo" is not a valid label selector operator}
   */
  public static LabelSelector fromJson(JsonNode selector) {
    if (selector == null || selector.isMissingNode() || selector.isNull()) return NOTHING;
    JsonNode labels = selector.get("matchLabels");
    JsonNode exprs = selector.get("matchExpressions");
    List<LabelRequirement> reqs = new ArrayList<>();
    if (labels != null && labels.isObject()) {
      for (Map.Entry<String, JsonNode> e : labels.properties()) {
        reqs.add(LabelRequirement.of(e.getKey(), Operator.EQUALS, List.of(text(e.getValue()))));
      }
    }
    if (exprs != null && exprs.isArray()) {
      for (JsonNode expr : exprs) {
        String opName = text(expr.get("operator"));
        Operator op = switch (opName) {
          case "In" -> Operator.IN;
          case "NotIn" -> Operator.NOT_IN;
          case "Exists" -> Operator.EXISTS;
          case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
          default -> throw new InvalidSelectorException(quote(opName) + " is not a valid label selector operator");
        };
        reqs.add(LabelRequirement.of(text(expr.get("key")), op, strings(expr.get("values"))));
      }
    }
    return reqs.isEmpty() ? EVERYTHING : sorted(reqs);
  }

  /**
   * ValidateLabelSelector (default options): {@code matchLabels} keys and values, and per expression the operator,
   * the values count, the key and each value. {@code path} is the selector's own path (e.g. {@code spec.selector}).
   */
  public static List<FieldError> validate(JsonNode selector, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(0);
    if (selector == null || selector.isMissingNode() || selector.isNull()) return errs;
    JsonNode labels = selector.get("matchLabels");
    if (labels != null && labels.isObject()) {
      FieldPath lp = path.child("matchLabels");
      for (Map.Entry<String, JsonNode> e : labels.properties()) {
        for (String msg : NameValidation.isQualifiedName(e.getKey())) errs.add(FieldError.invalid(lp.toString(), e.getKey(), msg));
        String v = text(e.getValue());
        for (String msg : NameValidation.isValidLabelValue(v)) errs.add(FieldError.invalid(lp.toString(), v, msg));
      }
    }
    JsonNode exprs = selector.get("matchExpressions");
    if (exprs != null && exprs.isArray()) {
      for (int i = 0; i < exprs.size(); i++) {
        JsonNode expr = exprs.get(i);
        FieldPath ep = path.child("matchExpressions").index(i);
        String op = text(expr.get("operator"));
        List<String> values = strings(expr.get("values"));
        switch (op) {
          case "In", "NotIn" -> {
            if (values.isEmpty()) {
              errs.add(FieldError.required(ep.child("values").toString(), "must be specified when `operator` is 'In' or 'NotIn'"));
            }
          }
          case "Exists", "DoesNotExist" -> {
            if (!values.isEmpty()) {
              errs.add(FieldError.forbidden(ep.child("values").toString(), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
            }
          }
          default -> errs.add(FieldError.invalid(ep.child("operator").toString(), op, "not a valid selector operator"));
        }
        String key = text(expr.get("key"));
        for (String msg : NameValidation.isQualifiedName(key)) errs.add(FieldError.invalid(ep.child("key").toString(), key, msg));
        for (int v = 0; v < values.size(); v++) {
          for (String msg : NameValidation.isValidLabelValue(values.get(v))) {
            errs.add(FieldError.invalid(ep.child("values").index(v).toString(), values.get(v), msg));
          }
        }
      }
    }
    return errs;
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return "";
    return n.isValueNode() ? n.asString() : n.toString();
  }

  private static List<String> strings(JsonNode n) {
    if (n == null || !n.isArray()) return List.of();
    List<String> out = new ArrayList<>(n.size());
    for (JsonNode v : n) out.add(text(v));
    return out;
  }

  private static String quote(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }

  // ---- queries ---------------------------------------------------------------------------------------------------

  /** Whether {@code labels} (null means none) satisfy every requirement. */
  public boolean matches(Map<String, String> labels) {
    if (nothing) return false;
    for (LabelRequirement r : requirements) {
      if (!r.matches(labels)) return false;
    }
    return true;
  }

  /** True for the selector that matches everything (no requirements). {@link #nothing()} is not empty. */
  public boolean isEmpty() { return !nothing && requirements.isEmpty(); }

  /** True for {@link #nothing()}. */
  public boolean matchesNothing() { return nothing; }

  /** The requirements, sorted by key. */
  public List<LabelRequirement> requirements() { return requirements; }

  /**
   * Upstream's RequiresExactMatch: looks at the first requirement on {@code key}; gives its value if it is
   * {@code =}, {@code ==} or a one-value {@code in}.
   */
  public Optional<String> requiresExactMatch(String key) {
    for (LabelRequirement r : requirements) {
      if (r.key().equals(key)) return Optional.ofNullable(r.exactValue());
    }
    return Optional.empty();
  }

  /**
   * All exact-equality requirements (key to the single value it must have), for choosing an index. Every object the
   * selector matches has these labels; the selector must still be applied to the candidates.
   */
  public Map<String, String> exactMatches() {
    Map<String, String> out = new LinkedHashMap<>();
    for (LabelRequirement r : requirements) {
      String v = r.exactValue();
      if (v != null && !out.containsKey(r.key())) out.put(r.key(), v);
    }
    return out;
  }

  /** Canonical string form: requirements sorted by key, joined by ","; "" for everything and nothing. */
  @Override
  public String toString() {
    if (requirements.isEmpty()) return "";
    StringBuilder sb = new StringBuilder();
    for (LabelRequirement r : requirements) {
      if (sb.length() > 0) sb.append(',');
      sb.append(r);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSelector l && l.nothing == nothing && l.requirements.equals(requirements);
  }

  @Override
  public int hashCode() { return requirements.hashCode() * 31 + (nothing ? 1 : 0); }
}
