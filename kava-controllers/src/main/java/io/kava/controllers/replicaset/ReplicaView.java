package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kava.api.selector.LabelSelector;

/**
 * What the replica logic reads of a ReplicaSet or ReplicationController.
 *
 * @param selector the pod selector, or null when it cannot be parsed ({@code selectorError} says why)
 */
public record ReplicaView(String namespace, String name, String uid, long generation, int replicas, int minReadySeconds,
                          LabelSelector selector, String selectorError, PodTemplateSpec template, boolean deleting,
                          OwnerReference controllerRef, ReplicaStatus status) {}
