package io.kava.controllers.replicationcontroller;

import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerCondition;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.api.selector.LabelSelector;
import io.kava.controllers.replicaset.ReplicaKind;
import io.kava.controllers.replicaset.ReplicaManager;
import io.kava.controllers.replicaset.ReplicaStatus;
import io.kava.controllers.replicaset.ReplicaView;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.workload.Owners;
import io.kava.controllers.workload.Serial;
import java.util.ArrayList;
import java.util.List;

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
      List<ReplicaStatus.Condition> conds = new ArrayList<>();
      if (st != null && st.getConditions() != null) {
        for (ReplicationControllerCondition c : st.getConditions()) {
          conds.add(new ReplicaStatus.Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime()));
        }
      }
      ReplicaStatus status = st == null ? new ReplicaStatus(0, 0, 0, 0, 0, conds)
          : new ReplicaStatus(n(st.getReplicas()), n(st.getFullyLabeledReplicas()), n(st.getReadyReplicas()),
              n(st.getAvailableReplicas()), st.getObservedGeneration() == null ? 0 : st.getObservedGeneration(), conds);
      var meta = rc.getMetadata();
      return new ReplicaView(meta.getNamespace(), meta.getName(), meta.getUid(), meta.getGeneration() == null ? 0 : meta.getGeneration(),
          spec == null || spec.getReplicas() == null ? 1 : spec.getReplicas(),
          spec == null || spec.getMinReadySeconds() == null ? 0 : spec.getMinReadySeconds(),
          selector, null, spec == null ? null : spec.getTemplate(), meta.getDeletionTimestamp() != null,
          Owners.controllerOf(rc), status);
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
      List<ReplicationControllerCondition> conds = new ArrayList<>();
      for (ReplicaStatus.Condition c : s.conditions()) {
        ReplicationControllerCondition x = new ReplicationControllerCondition();
        x.setType(c.type());
        x.setStatus(c.status());
        x.setReason(c.reason());
        x.setMessage(c.message());
        x.setLastTransitionTime(c.lastTransitionTime());
        conds.add(x);
      }
      st.setConditions(conds.isEmpty() ? null : conds);
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

    private static int n(Integer i) { return i == null ? 0 : i; }
  }
}
