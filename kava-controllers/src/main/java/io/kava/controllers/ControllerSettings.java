package io.kava.controllers;

import java.time.Duration;

/**
 * Tunables of the controllers that upstream exposes as kube-controller-manager flags.
 *
 * @param nodeMonitorGracePeriod    --node-monitor-grace-period: how long a node may go without a heartbeat before
 *                                  it is marked Unknown (40 s)
 * @param terminatedPodGcThreshold  --terminated-pod-gc-threshold: terminated pods kept before the oldest are
 *                                  deleted (12500; 0 or less turns that off)
 * @param podGcQuarantine           how long a pod's node must be missing before PodGC deletes the pod (40 s)
 * @param rootCaPem                 --root-ca-file: the CA (PEM) published as ConfigMap kube-root-ca.crt in every
 *                                  namespace; null runs no root-ca-cert-publisher
 */
public record ControllerSettings(Duration nodeMonitorGracePeriod, int terminatedPodGcThreshold, Duration podGcQuarantine, String rootCaPem) {
  public static final ControllerSettings DEFAULTS = new ControllerSettings(Duration.ofSeconds(40), 12500, Duration.ofSeconds(40), null);

  public ControllerSettings withNodeMonitorGracePeriod(Duration d) { return new ControllerSettings(d, terminatedPodGcThreshold, podGcQuarantine, rootCaPem); }

  public ControllerSettings withTerminatedPodGcThreshold(int n) { return new ControllerSettings(nodeMonitorGracePeriod, n, podGcQuarantine, rootCaPem); }

  public ControllerSettings withPodGcQuarantine(Duration d) { return new ControllerSettings(nodeMonitorGracePeriod, terminatedPodGcThreshold, d, rootCaPem); }

  public ControllerSettings withRootCaPem(String pem) { return new ControllerSettings(nodeMonitorGracePeriod, terminatedPodGcThreshold, podGcQuarantine, pem); }
}
