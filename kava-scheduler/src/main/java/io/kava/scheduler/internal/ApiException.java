package io.kava.scheduler.internal;

/** A non-2xx answer of the API server. */
public final class ApiException extends Exception {
  private final int code;

  public ApiException(int code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public int code() { return code; }

  public boolean isNotFound() { return code == 404; }

  public boolean isConflict() { return code == 409; }
}
