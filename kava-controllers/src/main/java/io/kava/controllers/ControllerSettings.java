package io.kava.controllers;

import io.kava.controllers.serviceaccount.LegacyTokenSigner;
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
 * @param legacyTokenSigner         signs the tokens of {@code kubernetes.io/service-account-token} Secrets (upstream's
 *                                  --service-account-private-key-file); null (or no rootCaPem) runs no token controller
 */
public record ControllerSettings(Duration nodeMonitorGracePeriod, int terminatedPodGcThreshold, Duration podGcQuarantine, String rootCaPem,
                                 LegacyTokenSigner legacyTokenSigner) {
  public static final ControllerSettings DEFAULTS = new ControllerSettings(Duration.ofSeconds(40), 12500, Duration.ofSeconds(40), null, null);

  public ControllerSettings(Duration nodeMonitorGracePeriod, int terminatedPodGcThreshold, Duration podGcQuarantine, String rootCaPem) {
    this(nodeMonitorGracePeriod, terminatedPodGcThreshold, podGcQuarantine, rootCaPem, null);
  }

  public ControllerSettings withLegacyTokenSigner(LegacyTokenSigner s) { return new ControllerSettings(nodeMonitorGracePeriod, terminatedPodGcThreshold, podGcQuarantine, rootCaPem, s); }

  public ControllerSettings withNodeMonitorGracePeriod(Duration d) { return new ControllerSettings(d, terminatedPodGcThreshold, podGcQuarantine, rootCaPem, legacyTokenSigner); }

  public ControllerSettings withTerminatedPodGcThreshold(int n) { return new ControllerSettings(nodeMonitorGracePeriod, n, podGcQuarantine, rootCaPem, legacyTokenSigner); }

  public ControllerSettings withPodGcQuarantine(Duration d) { return new ControllerSettings(nodeMonitorGracePeriod, terminatedPodGcThreshold, d, rootCaPem, legacyTokenSigner); }

  public ControllerSettings withRootCaPem(String pem) { return new ControllerSettings(nodeMonitorGracePeriod, terminatedPodGcThreshold, podGcQuarantine, pem, legacyTokenSigner); }
}
