package io.kava.client;

/** A non-success answer of the API server to a {@link RawApi} call, with the Status reason when there was one. */
public final class ApiException extends RuntimeException {
  private final int code;
  private final String reason;

  public ApiException(int code, String reason, String message) {
    super(code + " " + reason + ": " + message);
    this.code = code;
    this.reason = reason;
  }

  public int code() { return code; }

  public String reason() { return reason; }

  public boolean isNotFound() { return code == 404; }

  public boolean isConflict() { return code == 409; }
}
