package io.kava.apiserver.apply;

/** An applied configuration that does not fit its schema (an associative-list item without its key, duplicates). */
final class InvalidObjectException extends RuntimeException {
  InvalidObjectException(String message) { super(message, null, false, false); }
}
