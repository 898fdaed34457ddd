package io.kava.node.grpc;

/** gRPC's status codes, in their wire order (the {@code grpc-status} trailer carries the ordinal). */
public enum GrpcCode {
  OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED,
  FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED;

  private static final GrpcCode[] BY_VALUE = values();

  /** The code of a {@code grpc-status} value; anything unreadable is UNKNOWN, as gRPC's clients read it. */
  public static GrpcCode of(String value) {
    try {
      int v = Integer.parseInt(value.trim());
      return v >= 0 && v < BY_VALUE.length ? BY_VALUE[v] : UNKNOWN;
    } catch (NumberFormatException e) {
      return UNKNOWN;
    }
  }

  /** The code for a response without {@code grpc-status}, from its HTTP status (gRPC's "HTTP to gRPC status code mapping"). */
  public static GrpcCode ofHttpStatus(int status) {
    return switch (status) {
      case 400 -> INTERNAL;
      case 401 -> UNAUTHENTICATED;
      case 403 -> PERMISSION_DENIED;
      case 404 -> UNIMPLEMENTED;
      case 429, 502, 503, 504 -> UNAVAILABLE;
      default -> UNKNOWN;
    };
  }
}
