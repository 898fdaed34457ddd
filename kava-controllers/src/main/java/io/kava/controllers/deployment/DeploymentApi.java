package io.kava.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;

/**
 * What the deployment sync needs from outside: writes to the API, the replica set cache, events and the queue. The
 * controller wires these to fabric8, its informer and its queue; tests use fakes.
 */
interface DeploymentApi {
  /** Create; throws fabric8's exception (409 AlreadyExists included). */
  ReplicaSet createReplicaSet(ReplicaSet rs);

  /** PUT with the object's resourceVersion. */
  ReplicaSet updateReplicaSet(ReplicaSet rs);

  /** DELETE; a missing replica set is not an error. */
  void deleteReplicaSet(ReplicaSet rs);

  /** PUT of deployments/status (metadata annotations included, as upstream's status strategy keeps them). */
  Deployment updateDeploymentStatus(Deployment d);

  /** PUT of the deployment itself (only the deprecated server-side rollback changes the spec). */
  Deployment updateDeployment(Deployment d);

  /** The cached replica set, or null. */
  ReplicaSet cachedReplicaSet(String namespace, String name);

  /** A Normal or Warning event on the deployment. */
  void event(Deployment d, String type, String reason, String message);

  /** Look at the deployment again after {@code delay}. */
  void requeueAfter(Deployment d, Duration delay);

  /** Look at the deployment again soon, with the queue's backoff. */
  void requeueRateLimited(Deployment d);
}
