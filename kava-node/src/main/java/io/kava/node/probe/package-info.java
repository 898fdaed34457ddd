/**
 * Container probes as the kubelet's prober runs them. {@link io.kava.node.probe.Prober} performs one exec,
 * tcpSocket or httpGet probe; {@link io.kava.node.probe.ProbeManager} runs a worker per container and probe
 * kind on a {@link io.kava.node.probe.ProbeClock} (timing, thresholds, startup gating) and tells a
 * {@link io.kava.node.probe.ProbeListener} when a result changes.
 */
package io.kava.node.probe;
