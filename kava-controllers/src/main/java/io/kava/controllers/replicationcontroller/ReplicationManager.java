package io.kava.controllers.replicationcontroller;

import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerCondition;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.api.selector.LabelSelector;
import io.kava.controllers.replicaset.ReplicaFields;
import io.kava.controllers.replicaset.ReplicaKind;
import io.kava.controllers.replicaset.ReplicaManager;
import io.kava.controllers.replicaset.ReplicaStatus;
import io.kava.controllers.replicaset.ReplicaView;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.workload.Serial;

/**
 * Upstream's replication manager: the ReplicaSet logic ({@link ReplicaManager}) for core/v1 ReplicationControllers,
 * whose selector is a plain label map (matched as equality requirements).
 */
public final class ReplicationManager extends ReplicaManager<ReplicationController> {
  public static final String NAME = "replicationcontroller";
  static final int WORKERS = 1;

  public ReplicationManager(ControllerContext ctx) { super(ctx, Kind.INSTANCE, WORKERS); }

  /** core/v1 ReplicationController as a {@link ReplicaKind}. */
  public enum Kind implements ReplicaKind<ReplicationController> {
    INSTANCE;

    @Override
    public Class<ReplicationController> type() { return ReplicationController.class; }

    @Override
    public String apiVersion() { return "v1"; }

    @Override
    public String kind() { return "ReplicationController"; }

    @Override
    public String component() { return "replication-controller"; }

    @Override
    public ReplicaView view(ReplicationController rc) {
      var spec = rc.getSpec();
      // A nil or empty map selects nothing here: validation requires one, and upstream treats an empty converted
      // selector as selecting no orphans.
      LabelSelector selector = spec == null || spec.getSelector() == null || spec.getSelector().isEmpty()
          ? LabelSelector.nothing() : LabelSelector.fromSet(spec.getSelector());
      ReplicationControllerStatus st = rc.getStatus();
      ReplicaStatus status = st == null ? ReplicaFields.NO_STATUS
          : ReplicaFields.status(st.getReplicas(), st.getFullyLabeledReplicas(), st.getReadyReplicas(), st.getAvailableReplicas(),
              st.getObservedGeneration(), ReplicaFields.conditions(st.getConditions(),
                  c -> new ReplicaStatus.Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime())));
      return ReplicaFields.view(rc, spec == null ? null : spec.getReplicas(), spec == null ? null : spec.getMinReadySeconds(),
          spec == null ? null : spec.getTemplate(), selector, null, status);
    }

    @Override
    public ReplicationController withStatus(ReplicationController rc, ReplicaStatus s) {
      ReplicationController copy = Serial.copy(rc);
      ReplicationControllerStatus st = copy.getStatus() == null ? new ReplicationControllerStatus() : copy.getStatus();
      st.setReplicas(s.replicas());
      st.setFullyLabeledReplicas(s.fullyLabeledReplicas());
      st.setReadyReplicas(s.readyReplicas());
      st.setAvailableReplicas(s.availableReplicas());
      st.setObservedGeneration(s.observedGeneration());
      st.setConditions(ReplicaFields.conditions(s, ReplicationControllerCondition::new));
      copy.setStatus(st);
      return copy;
    }

    @Override
    public ReplicationController updateStatus(KubernetesClient client, ReplicationController rc) {
      return client.replicationControllers().inNamespace(rc.getMetadata().getNamespace()).resource(rc).updateStatus();
    }

    @Override
    public ReplicationController get(KubernetesClient client, String namespace, String name) {
      return client.replicationControllers().inNamespace(namespace).withName(name).get();
    }
  }
}
