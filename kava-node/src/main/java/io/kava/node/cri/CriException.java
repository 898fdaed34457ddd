package io.kava.node.cri;

import io.kava.node.grpc.GrpcCode;

/** A CRI call that failed: the gRPC status code and the runtime's message. */
public final class CriException extends RuntimeException {
  private final GrpcCode code;

  public CriException(String call, GrpcCode code, String description, Throwable cause) {
    super(call + ": " + code + (description == null || description.isEmpty() ? "" : ": " + description), cause);
    this.code = code;
  }

  public GrpcCode code() { return code; }

  /** The runtime's own words, without the call name and code (what the kubelet shows in a status message). */
  public String runtimeMessage() {
    String m = getMessage();
    int i = m.indexOf(": ", m.indexOf(": ") + 2);
    return i < 0 ? m : m.substring(i + 2);
  }

  public boolean isNotFound() { return code == GrpcCode.NOT_FOUND; }

  public boolean isUnavailable() { return code == GrpcCode.UNAVAILABLE; }

  public boolean isDeadlineExceeded() { return code == GrpcCode.DEADLINE_EXCEEDED; }
}
