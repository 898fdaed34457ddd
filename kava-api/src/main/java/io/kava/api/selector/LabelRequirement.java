package io.kava.api.selector;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One label requirement: a key, an operator and values (upstream's labels.Requirement). Values are kept as given;
 * {@link #toString()} sorts them. Construct with {@link #of} to get upstream's validation.
 */
public record LabelRequirement(String key, Operator operator, List<String> values) {

  public LabelRequirement {
    values = List.copyOf(values);
  }

  /**
   * NewRequirement: validates the key (a qualified name), the value count for the operator and each value (a label
   * value; an integer for gt/lt).
   *
   * @throws InvalidSelectorException with upstream's aggregated message, e.g.
   *     {@code values[0][app]: Invalid value: "-x": a valid label must be ...}
   */
  public static LabelRequirement of(String key, Operator op, List<String> values) {
    List<FieldError> errs = validate(key, op, values, null);
    if (!errs.isEmpty()) throw new InvalidSelectorException(aggregate(errs));
    return new LabelRequirement(key, op, values);
  }

  /** The validation of {@link #of} as field errors; {@code path} may be null (upstream's nil path). */
  public static List<FieldError> validate(String key, Operator op, List<String> vals, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(0);
    List<String> keyErrs = NameValidation.isQualifiedName(key);
    if (!keyErrs.isEmpty()) errs.add(FieldError.invalid(child(path, "key").toString(), key, String.join("; ", keyErrs)));
    FieldPath valuePath = child(path, "values");
    switch (op) {
      case IN, NOT_IN -> {
        if (vals.isEmpty()) errs.add(FieldError.invalid(valuePath.toString(), vals, "for 'in', 'notin' operators, values set can't be empty"));
      }
      case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
        if (vals.size() != 1) errs.add(FieldError.invalid(valuePath.toString(), vals, "exact-match compatibility requires one single value"));
      }
      case EXISTS, DOES_NOT_EXIST -> {
        if (!vals.isEmpty()) errs.add(FieldError.invalid(valuePath.toString(), vals, "values set must be empty for exists and does not exist"));
      }
      case GREATER_THAN, LESS_THAN -> {
        if (vals.size() != 1) errs.add(FieldError.invalid(valuePath.toString(), vals, "for 'Gt', 'Lt' operators, exactly one value is required"));
        for (int i = 0; i < vals.size(); i++) {
          if (parseInt64(vals.get(i)) == null) {
            errs.add(FieldError.invalid(valuePath.index(i).toString(), vals.get(i), "for 'Gt', 'Lt' operators, the value must be an integer"));
          }
        }
      }
    }
    for (int i = 0; i < vals.size(); i++) {
      List<String> valueErrs = NameValidation.isValidLabelValue(vals.get(i));
      if (!valueErrs.isEmpty()) {
        errs.add(FieldError.invalid(valuePath.index(i).key(key).toString(), vals.get(i), String.join("; ", valueErrs)));
      }
    }
    return errs;
  }

  static FieldPath child(FieldPath p, String name) { return p == null ? FieldPath.of(name) : p.child(name); }

  /** utilerrors.NewAggregate(...).Error(): one message, or "[a, b]" with duplicates dropped. */
  static String aggregate(List<FieldError> errs) {
    if (errs.size() == 1) return errs.get(0).message();
    Set<String> seen = new LinkedHashSet<>();
    for (FieldError e : errs) seen.add(e.message());
    if (seen.size() == 1) return seen.iterator().next();
    return "[" + String.join(", ", seen) + "]";
  }

  /** Go's strconv.ParseInt(s, 10, 64). */
  static Long parseInt64(String s) {
    if (s.isEmpty()) return null;
    int i = (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
    if (i == s.length()) return null;
    for (int k = i; k < s.length(); k++) if (s.charAt(k) < '0' || s.charAt(k) > '9') return null;
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether {@code labels} (may be null) satisfy this requirement. */
  public boolean matches(Map<String, String> labels) {
    String val = labels == null ? null : labels.get(key);
    boolean has = val != null || (labels != null && labels.containsKey(key));
    switch (operator) {
      case IN, EQUALS, DOUBLE_EQUALS -> {
        return has && values.contains(val);
      }
      case NOT_IN, NOT_EQUALS -> {
        return !has || !values.contains(val);
      }
      case EXISTS -> {
        return has;
      }
      case DOES_NOT_EXIST -> {
        return !has;
      }
      case GREATER_THAN, LESS_THAN -> {
        if (!has || values.size() != 1) return false;
        Long lv = parseInt64(val);
        Long rv = parseInt64(values.get(0));
        if (lv == null || rv == null) return false;
        return operator == Operator.GREATER_THAN ? lv > rv : lv < rv;
      }
      default -> {
        return false;
      }
    }
  }

  /** The single value of an {@code =}, {@code ==} or one-value {@code in} requirement, else null. */
  public String exactValue() {
    return (operator == Operator.EQUALS || operator == Operator.DOUBLE_EQUALS || operator == Operator.IN) && values.size() == 1
        ? values.get(0) : null;
  }

  /** Upstream's Requirement.String(): {@code !a}, {@code a}, {@code a=b}, {@code a in (x,y)} (values sorted). */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(key.length() + 8 + 5 * values.size());
    if (operator == Operator.DOES_NOT_EXIST) sb.append('!');
    sb.append(key);
    switch (operator) {
      case EQUALS -> sb.append('=');
      case DOUBLE_EQUALS -> sb.append("==");
      case NOT_EQUALS -> sb.append("!=");
      case IN -> sb.append(" in ");
      case NOT_IN -> sb.append(" notin ");
      case GREATER_THAN -> sb.append('>');
      case LESS_THAN -> sb.append('<');
      case EXISTS, DOES_NOT_EXIST -> {
        return sb.toString();
      }
    }
    boolean set = operator == Operator.IN || operator == Operator.NOT_IN;
    if (set) sb.append('(');
    if (values.size() == 1) {
      sb.append(values.get(0));
    } else {
      List<String> sorted = new ArrayList<>(values);
      sorted.sort(null);
      sb.append(String.join(",", sorted));
    }
    if (set) sb.append(')');
    return sb.toString();
  }
}
