package io.kava.api.selector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A field selector ({@code metadata.name=x,status.phase!=Running}) with upstream's syntax, escaping and messages
 * (k8s.io/apimachinery/pkg/fields). Operators are {@code =}, {@code ==} (same as {@code =}) and {@code !=}; in
 * values, {@code \\}, {@code \,} and {@code \=} escape those characters. Terms are kept sorted by their text, as
 * upstream does, so {@link #toString()} is canonical.
 *
 * <p>Which field names a kind supports is the caller's business: check {@link #fields()} or call
 * {@link #requireSupported(Set)} (upstream's "field label not supported: x"), or {@link #transform} to rename.
 * Immutable and thread-safe.
 */
public final class FieldSelector {
  private static final FieldSelector EVERYTHING = new FieldSelector(List.of(), false);
  private static final FieldSelector NOTHING = new FieldSelector(List.of(), true);

  private final List<FieldRequirement> requirements;
  private final boolean nothing;

  private FieldSelector(List<FieldRequirement> requirements, boolean nothing) {
    this.requirements = requirements;
    this.nothing = nothing;
  }

  /** Matches every object. */
  public static FieldSelector everything() { return EVERYTHING; }

  /** Matches no object. */
  public static FieldSelector nothing() { return NOTHING; }

  /** {@code field=value} (OneTermEqualSelector). */
  public static FieldSelector oneTermEqual(String field, String value) {
    return new FieldSelector(List.of(new FieldRequirement(field, Operator.EQUALS, value)), false);
  }

  /** Builds a selector from requirements (kept in the given order). */
  public static FieldSelector of(List<FieldRequirement> requirements) {
    return requirements.isEmpty() ? EVERYTHING : new FieldSelector(List.copyOf(requirements), false);
  }

  /**
   * ParseSelector. An empty or null string gives {@link #everything()}.
   *
   * @throws InvalidSelectorException with upstream's message, e.g.
   *     {@code invalid selector: 'a'; can't understand 'a'}
   */
  public static FieldSelector parse(String selector) {
    if (selector == null || selector.isEmpty()) return EVERYTHING;
    List<String> parts = splitTerms(selector);
    Collections.sort(parts);
    List<FieldRequirement> items = new ArrayList<>(parts.size());
    for (String part : parts) {
      if (part.isEmpty()) continue;
      int opAt = -1;
      int opLen = 0;
      Operator op = null;
      for (int i = 0; i < part.length() && op == null; i++) {
        if (part.startsWith("!=", i)) {
          op = Operator.NOT_EQUALS;
          opLen = 2;
        } else if (part.startsWith("==", i)) {
          op = Operator.EQUALS;
          opLen = 2;
        } else if (part.charAt(i) == '=') {
          op = Operator.EQUALS;
          opLen = 1;
        }
        if (op != null) opAt = i;
      }
      if (op == null) {
        throw new InvalidSelectorException("invalid selector: '" + selector + "'; can't understand '" + part + "'");
      }
      String lhs = part.substring(0, opAt);
      String rhs = unescapeValue(part.substring(opAt + opLen));
      items.add(new FieldRequirement(lhs, op, rhs));
    }
    return items.isEmpty() ? EVERYTHING : new FieldSelector(List.copyOf(items), false);
  }

  /** Splits on commas that are not escaped; backslashes stay in the terms. */
  private static List<String> splitTerms(String s) {
    List<String> terms = new ArrayList<>(2);
    int start = 0;
    boolean inSlash = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inSlash) {
        inSlash = false;
      } else if (c == '\\') {
        inSlash = true;
      } else if (c == ',') {
        terms.add(s.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(s.substring(start));
    return terms;
  }

  /** EscapeValue: {@code \} to {@code \\}, {@code ,} to {@code \,}, {@code =} to {@code \=}. */
  public static String escapeValue(String s) {
    if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) return s;
    StringBuilder sb = new StringBuilder(s.length() + 4);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == ',' || c == '=') sb.append('\\');
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * UnescapeValue. Messages as upstream: {@code invalid field selector: invalid escape sequence: \x} and
   * {@code invalid field selector: unescaped character in value: 61} (the rune is printed as a number, as Go's %v does).
   */
  public static String unescapeValue(String s) {
    if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) return s;
    StringBuilder v = new StringBuilder(s.length());
    boolean inSlash = false;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (inSlash) {
        if (c == '\\' || c == ',' || c == '=') {
          v.appendCodePoint(c);
        } else {
          throw new InvalidSelectorException("invalid field selector: invalid escape sequence: \\" + Character.toString(c));
        }
        inSlash = false;
        continue;
      }
      switch (c) {
        case '\\' -> inSlash = true;
        case ',', '=' -> throw new InvalidSelectorException("invalid field selector: unescaped character in value: " + c);
        default -> v.appendCodePoint(c);
      }
    }
    if (inSlash) throw new InvalidSelectorException("invalid field selector: invalid escape sequence: \\");
    return v.toString();
  }

  /** True if this selector matches everything (no terms). */
  public boolean isEmpty() { return !nothing && requirements.isEmpty(); }

  /** True for {@link #nothing()}. */
  public boolean matchesNothing() { return nothing; }

  /** The terms, sorted as parsed. */
  public List<FieldRequirement> requirements() { return requirements; }

  /** The distinct field names used, in term order; check them against the kind's supported fields. */
  public Set<String> fields() {
    Set<String> s = new LinkedHashSet<>();
    for (FieldRequirement r : requirements) s.add(r.field());
    return s;
  }

  /**
   * Throws upstream's per-kind conversion error ({@code field label not supported: x}) for the first field not in
   * {@code supported}.
   */
  public FieldSelector requireSupported(Set<String> supported) {
    for (FieldRequirement r : requirements) {
      if (!supported.contains(r.field())) throw new InvalidSelectorException("field label not supported: " + r.field());
    }
    return this;
  }

  /** Rewrites each term (upstream's Transform); a result with empty field and value drops the term. */
  public FieldSelector transform(Transform fn) {
    if (nothing || requirements.isEmpty()) return this;
    List<FieldRequirement> out = new ArrayList<>(requirements.size());
    for (FieldRequirement r : requirements) {
      Map.Entry<String, String> t = fn.apply(r.field(), r.value());
      if (t.getKey().isEmpty() && t.getValue().isEmpty()) continue;
      out.add(new FieldRequirement(t.getKey(), r.operator(), t.getValue()));
    }
    return out.isEmpty() ? EVERYTHING : new FieldSelector(List.copyOf(out), false);
  }

  /** A term rewrite: returns the new (field, value); may throw {@link InvalidSelectorException}. */
  @FunctionalInterface
  public interface Transform {
    Map.Entry<String, String> apply(String field, String value);
  }

  /** Upstream's RequiresExactMatch: the value of the first {@code field=value} term on this field. */
  public Optional<String> requiresExactMatch(String field) {
    for (FieldRequirement r : requirements) {
      if (r.operator() == Operator.EQUALS && r.field().equals(field)) return Optional.of(r.value());
    }
    return Optional.empty();
  }

  /**
   * Whether an object matches; {@code fieldValue} returns a field's value (null or "" when absent).
   */
  public boolean matches(Function<String, String> fieldValue) {
    if (nothing) return false;
    for (FieldRequirement r : requirements) {
      if (!r.matches(fieldValue.apply(r.field()))) return false;
    }
    return true;
  }

  /** Convenience for {@link #matches(Function)} over a map of field values. */
  public boolean matches(Map<String, String> fields) { return matches(fields::get); }

  /** Canonical form: the terms joined by ",", values escaped; "" for everything and nothing. */
  @Override
  public String toString() {
    if (requirements.isEmpty()) return "";
    if (requirements.size() == 1) return requirements.get(0).toString();
    StringBuilder sb = new StringBuilder();
    for (FieldRequirement r : requirements) {
      if (sb.length() > 0) sb.append(',');
      sb.append(r);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSelector f && f.nothing == nothing && f.requirements.equals(requirements);
  }

  @Override
  public int hashCode() { return requirements.hashCode() * 31 + (nothing ? 1 : 0); }
}
