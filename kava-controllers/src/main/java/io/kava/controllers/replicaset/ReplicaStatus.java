package io.kava.controllers.replicaset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status of a ReplicaSet or ReplicationController, independent of the kind (both have the same fields and the
 * one condition type ReplicaFailure).
 */
public record ReplicaStatus(int replicas, int fullyLabeledReplicas, int readyReplicas, int availableReplicas,
                            long observedGeneration, List<Condition> conditions) {
  public static final String REPLICA_FAILURE = "ReplicaFailure";

  public ReplicaStatus {
    conditions = List.copyOf(conditions);
  }

  /** One status condition; times are Kubernetes timestamps (seconds, UTC). */
  public record Condition(String type, String status, String reason, String message, String lastTransitionTime) {}

  public Condition condition(String type) {
    for (Condition c : conditions) {
      if (c.type().equals(type)) return c;
    }
    return null;
  }

  /**
   * Upstream's SetCondition: a condition with the same status and reason as the current one changes nothing;
   * otherwise it replaces the current one (appended at the end).
   */
  public ReplicaStatus withCondition(Condition c) {
    Condition current = condition(c.type());
    if (current != null && Objects.equals(current.status(), c.status()) && Objects.equals(current.reason(), c.reason())) return this;
    List<Condition> next = new ArrayList<>();
    for (Condition x : conditions) {
      if (!x.type().equals(c.type())) next.add(x);
    }
    next.add(c);
    return new ReplicaStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, next);
  }

  public ReplicaStatus withoutCondition(String type) {
    List<Condition> next = new ArrayList<>();
    for (Condition x : conditions) {
      if (!x.type().equals(type)) next.add(x);
    }
    return new ReplicaStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, next);
  }

  public ReplicaStatus withCounts(int replicas, int fullyLabeled, int ready, int available) {
    return new ReplicaStatus(replicas, fullyLabeled, ready, available, observedGeneration, conditions);
  }

  public ReplicaStatus withObservedGeneration(long generation) {
    return new ReplicaStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, generation, conditions);
  }
}
