package io.kava.apiserver.auth;

/**
 * Credentials were presented but are not valid (a bad client certificate, an unknown bearer token). The HTTP layer
 * answers 401 Unauthorized, as upstream does; the message is for the server log, not the client.
 */
public final class AuthenticationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) { super(message); }

  public AuthenticationException(String message, Throwable cause) { super(message, cause); }
}
