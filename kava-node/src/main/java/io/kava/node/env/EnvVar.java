package io.kava.node.env;

/** One resolved environment variable, as handed to CRI's {@code KeyValue}. */
public record EnvVar(String name, String value) {
  /** The CRI {@code KeyValue} message (its value is bytes in the current CRI proto). */
  public io.kava.node.cri.v1.KeyValue toCri() {
    return io.kava.node.cri.v1.KeyValue.newBuilder().setKey(name)
        .setValue(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
  }
}
