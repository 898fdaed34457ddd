package io.kava.api.selector;

/**
 * One term of a field selector: {@code field=value} ({@link Operator#EQUALS}) or {@code field!=value}
 * ({@link Operator#NOT_EQUALS}). The value is unescaped.
 */
public record FieldRequirement(String field, Operator operator, String value) {
  public FieldRequirement {
    if (operator != Operator.EQUALS && operator != Operator.NOT_EQUALS) {
      throw new IllegalArgumentException("field selectors support only = and !=, not " + operator.token);
    }
  }

  /** A missing field reads as "" (as upstream's Fields.Get). */
  public boolean matches(String fieldValue) {
    String v = fieldValue == null ? "" : fieldValue;
    return operator == Operator.EQUALS ? v.equals(value) : !v.equals(value);
  }

  /** {@code field=escaped} / {@code field!=escaped}. */
  @Override
  public String toString() { return field + (operator == Operator.EQUALS ? "=" : "!=") + FieldSelector.escapeValue(value); }
}
