package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The kind-specific half of a replica controller: apps/v1 ReplicaSet or core/v1 ReplicationController. Upstream runs
 * the ReplicationController through the ReplicaSet code by converting; here the shared code reads a
 * {@link ReplicaView} and writes a {@link ReplicaStatus} through this adapter.
 */
public interface ReplicaKind<T extends HasMetadata> {
  Class<T> type();

  /** apiVersion and kind as written in owner references and events. */
  String apiVersion();

  String kind();

  /** The event source (upstream's controller names). */
  String component();

  ReplicaView view(T object);

  /** A copy of {@code object} carrying {@code status}; the cached object is not changed. */
  T withStatus(T object, ReplicaStatus status);

  /** PUT of the status subresource (optimistic: {@code object}'s resourceVersion must be current). */
  T updateStatus(KubernetesClient client, T object);

  /** A live GET; null when it does not exist. */
  T get(KubernetesClient client, String namespace, String name);
}
