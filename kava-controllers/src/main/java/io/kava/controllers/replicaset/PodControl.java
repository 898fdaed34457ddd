package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * How a replica controller creates and deletes pods (upstream's PodControlInterface); the seam unit tests replace.
 * Implementations record the upstream events on {@code owner}: SuccessfulCreate / FailedCreate / SuccessfulDelete /
 * FailedDelete.
 */
public interface PodControl {
  /**
   * Creates a pod from {@code template} in {@code namespace}, named {@code <owner name>-<random>}, with
   * {@code controllerRef} as its controller reference.
   *
   * @return the pod as created
   */
  Pod create(String namespace, PodTemplateSpec template, OwnerReference controllerRef, ObjectReference owner);

  /** Deletes pod {@code namespace/name}; a missing pod throws (404) so expectations can be lowered. */
  void delete(String namespace, String name, ObjectReference owner);
}
