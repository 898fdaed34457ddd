package io.kava.node.probe;

/** The three probes of a container. */
public enum ProbeKind {
  LIVENESS, READINESS, STARTUP
}
