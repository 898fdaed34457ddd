package io.kava.api.quantity;

/** A string that is not a quantity; the message is upstream's (ErrFormatWrong, ErrSuffix or ErrNumeric). */
public final class QuantityFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public QuantityFormatException(String message) { super(message); }
}
