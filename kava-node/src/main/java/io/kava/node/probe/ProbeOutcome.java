package io.kava.node.probe;

/** A probe's result and its message (command output, HTTP status, connection error), shown in events. */
public record ProbeOutcome(ProbeResult result, String output) {
  static ProbeOutcome success(String output) { return new ProbeOutcome(ProbeResult.SUCCESS, output); }
  static ProbeOutcome failure(String output) { return new ProbeOutcome(ProbeResult.FAILURE, output); }
  static ProbeOutcome unknown(String output) { return new ProbeOutcome(ProbeResult.UNKNOWN, output); }
}
