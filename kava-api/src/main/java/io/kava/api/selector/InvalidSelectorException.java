package io.kava.api.selector;

/**
 * A label or field selector that does not parse or validate. The message is upstream's, e.g.
 * {@code unable to parse requirement: found '', expected: identifier}; the API server returns it in a 400 BadRequest.
 */
public final class InvalidSelectorException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidSelectorException(String message) { super(message); }
}
