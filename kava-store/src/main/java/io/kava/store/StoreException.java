package io.kava.store;

/** Base of the store's failures. Unchecked: a failed store is fatal to the request, not to the caller's design. */
public class StoreException extends RuntimeException {
  public StoreException(String message) { super(message); }

  public StoreException(String message, Throwable cause) { super(message, cause); }
}
