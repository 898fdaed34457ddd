package io.kava.node.containerd;

/** The container runtime cannot run here; the message says what to install or which flag to use instead. */
public final class RuntimeUnavailableException extends RuntimeException {
  public RuntimeUnavailableException(String message) { super(message); }

  public RuntimeUnavailableException(String message, Throwable cause) { super(message, cause); }
}
