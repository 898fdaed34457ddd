package io.kava.api.selector;

/** upstream's selection.Operator; {@link #token} is its string value (used in messages). */
public enum Operator {
  DOES_NOT_EXIST("!"),
  EQUALS("="),
  DOUBLE_EQUALS("=="),
  IN("in"),
  NOT_EQUALS("!="),
  NOT_IN("notin"),
  EXISTS("exists"),
  GREATER_THAN("gt"),
  LESS_THAN("lt");

  public final String token;

  Operator(String token) { this.token = token; }

  /** True for {@code =}, {@code ==} and {@code in} with one value: requirements an exact-match index can serve. */
  public boolean isEquality() { return this == EQUALS || this == DOUBLE_EQUALS; }
}
