package io.kava.apiserver.wire.protobuf;

import io.kava.apiserver.errors.StatusException;

/**
 * A request body in {@code application/vnd.kubernetes.protobuf} that cannot be decoded: no {@code k8s\0} prefix,
 * malformed protobuf, a missing or unknown apiVersion/kind. The message is written for a 400 BadRequest Status;
 * {@link #toStatusException()} makes that Status.
 */
public class ProtobufDecodeException extends IllegalArgumentException {
  public ProtobufDecodeException(String message) {
    super(message);
  }

  public ProtobufDecodeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** 400 BadRequest with this message. */
  public StatusException toStatusException() {
    return StatusException.badRequest(getMessage());
  }
}
