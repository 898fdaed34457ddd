package io.kava.apiserver.registry;

/**
 * Where a kind keeps what its /scale subresource exposes (JSON pointers), as a CRD's scale subresource declares it.
 *
 * @param labelSelectorPath pointer to a label selector (object form) or null
 */
public record ScaleSpec(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {
  public static final ScaleSpec WORKLOAD = new ScaleSpec("/spec/replicas", "/status/replicas", "/spec/selector");
}
