package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kava.api.selector.LabelSelector;
import io.kava.controllers.workload.Owners;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the two {@link ReplicaKind}s share: ReplicaSet and ReplicationController spell their spec, status and
 * conditions alike but in unrelated fabric8 classes, so each kind reads its own getters and hands the values here.
 */
public final class ReplicaFields {
  /** The status of an object that has none yet. */
  public static final ReplicaStatus NO_STATUS = new ReplicaStatus(0, 0, 0, 0, 0, List.of());

  private ReplicaFields() {}

  /** Writes a kind's condition; fabric8's all-arguments constructors take the fields in this order. */
  @FunctionalInterface
  public interface ConditionConstructor<C> {
    C make(String lastTransitionTime, String message, String reason, String status, String type);
  }

  /** A view of {@code object}; unset replicas default to 1 and unset counts to 0, as upstream's defaulting does. */
  public static ReplicaView view(HasMetadata object, Integer replicas, Integer minReadySeconds, PodTemplateSpec template,
                                 LabelSelector selector, String selectorError, ReplicaStatus status) {
    var meta = object.getMetadata();
    return new ReplicaView(meta.getNamespace(), meta.getName(), meta.getUid(), meta.getGeneration() == null ? 0 : meta.getGeneration(),
        replicas == null ? 1 : replicas, minReadySeconds == null ? 0 : minReadySeconds,
        selector, selectorError, template, meta.getDeletionTimestamp() != null, Owners.controllerOf(object), status);
  }

  /** A status read from a kind's fields; unset counts are 0. */
  public static ReplicaStatus status(Integer replicas, Integer fullyLabeled, Integer ready, Integer available,
                                     Long observedGeneration, List<ReplicaStatus.Condition> conditions) {
    return new ReplicaStatus(n(replicas), n(fullyLabeled), n(ready), n(available),
        observedGeneration == null ? 0 : observedGeneration, conditions);
  }

  /** A kind's conditions (null when it has none) read through {@code read}. */
  public static <C> List<ReplicaStatus.Condition> conditions(List<C> conditions, Function<C, ReplicaStatus.Condition> read) {
    List<ReplicaStatus.Condition> out = new ArrayList<>();
    if (conditions != null) {
      for (C c : conditions) out.add(read.apply(c));
    }
    return out;
  }

  /** {@code status}'s conditions as a kind's, or null when there are none (so the field is left out). */
  public static <C> List<C> conditions(ReplicaStatus status, ConditionConstructor<C> make) {
    List<C> out = new ArrayList<>();
    for (ReplicaStatus.Condition c : status.conditions()) {
      out.add(make.make(c.lastTransitionTime(), c.message(), c.reason(), c.status(), c.type()));
    }
    return out.isEmpty() ? null : out;
  }

  private static int n(Integer i) { return i == null ? 0 : i; }
}
