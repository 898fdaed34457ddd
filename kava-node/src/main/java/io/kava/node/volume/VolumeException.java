package io.kava.node.volume;

/** A volume could not be set up or mounted; the message is worded as the kubelet's event would be. */
public class VolumeException extends RuntimeException {
  public VolumeException(String message) { super(message); }
  public VolumeException(String message, Throwable cause) { super(message, cause); }
}
