package io.kava.node.cri;

import io.grpc.Status;

/** A CRI call that failed: the gRPC status code and the runtime's message. */
public final class CriException extends RuntimeException {
  private final Status.Code code;

  public CriException(String call, Status status, Throwable cause) {
    super(call + ": " + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()), cause);
    this.code = status.getCode();
  }

  public Status.Code code() { return code; }

  /** The runtime's own words, without the call name and code (what the kubelet shows in a status message). */
  public String runtimeMessage() {
    String m = getMessage();
    int i = m.indexOf(": ", m.indexOf(": ") + 2);
    return i < 0 ? m : m.substring(i + 2);
  }

  public boolean isNotFound() { return code == Status.Code.NOT_FOUND; }

  public boolean isUnavailable() { return code == Status.Code.UNAVAILABLE; }
}
