package io.kava.node.probe;

/**
 * The result of one probe, as upstream's probe.Result: WARNING counts as success (e.g. a redirect to another
 * host); UNKNOWN means the probe could not be run (e.g. a named port the container does not declare) and
 * leaves the previous result in place.
 */
public enum ProbeResult {
  SUCCESS, WARNING, FAILURE, UNKNOWN;

  /** Whether this counts as a success for thresholds and readiness. */
  public boolean isSuccess() { return this == SUCCESS || this == WARNING; }
}
