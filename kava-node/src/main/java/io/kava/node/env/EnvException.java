package io.kava.node.env;

/**
 * A container's environment cannot be built (a missing ConfigMap, Secret or key that is not optional, a bad
 * field reference); the message is the kubelet's, which it reports as CreateContainerConfigError.
 */
public class EnvException extends RuntimeException {
  public EnvException(String message) { super(message); }
}
