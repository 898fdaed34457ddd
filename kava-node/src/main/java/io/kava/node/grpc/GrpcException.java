package io.kava.node.grpc;

/**
 * A gRPC call that failed: its status code and the server's message (or what went wrong below gRPC). {@link
 * #connectFailed()} tells a call that never reached the server (no connection) from one the server answered.
 */
public final class GrpcException extends RuntimeException {
  private final String method;
  private final GrpcCode code;
  private final String description;
  private final boolean connectFailed;

  GrpcException(String method, GrpcCode code, String description, boolean connectFailed, Throwable cause) {
    super(method + ": " + code + (description == null || description.isEmpty() ? "" : ": " + description), cause, true, false);
    this.method = method;
    this.code = code;
    this.description = description == null ? "" : description;
    this.connectFailed = connectFailed;
  }

  GrpcException(String method, GrpcCode code, String description, Throwable cause) { this(method, code, description, false, cause); }

  public String method() { return method; }

  public GrpcCode code() { return code; }

  /** The server's grpc-message, or the transport's error; empty when there was none. */
  public String description() { return description; }

  public boolean connectFailed() { return connectFailed; }
}
