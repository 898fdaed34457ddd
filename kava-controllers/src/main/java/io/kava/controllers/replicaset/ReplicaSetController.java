package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.api.selector.LabelSelector;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.workload.Owners;
import io.kava.controllers.workload.Selectors;
import io.kava.controllers.workload.Serial;
import java.util.ArrayList;
import java.util.List;

/** Upstream's ReplicaSet controller (apps/v1); the logic is {@link ReplicaManager}'s. */
public final class ReplicaSetController extends ReplicaManager<ReplicaSet> {
  public static final String NAME = "replicaset";
  /** Upstream runs 5 workers; two keep this light on small machines while still overlapping API round trips. */
  static final int WORKERS = 2;

  public ReplicaSetController(ControllerContext ctx) { super(ctx, Kind.INSTANCE, WORKERS); }

  /** apps/v1 ReplicaSet as a {@link ReplicaKind}. */
  public enum Kind implements ReplicaKind<ReplicaSet> {
    INSTANCE;

    @Override
    public Class<ReplicaSet> type() { return ReplicaSet.class; }

    @Override
    public String apiVersion() { return "apps/v1"; }

    @Override
    public String kind() { return "ReplicaSet"; }

    @Override
    public String component() { return "replicaset-controller"; }

    @Override
    public ReplicaView view(ReplicaSet rs) {
      var spec = rs.getSpec();
      LabelSelector selector = null;
      String error = null;
      try {
        selector = Selectors.of(spec == null ? null : spec.getSelector());
      } catch (RuntimeException e) {
        error = e.getMessage();
      }
      ReplicaSetStatus st = rs.getStatus();
      List<ReplicaStatus.Condition> conds = new ArrayList<>();
      if (st != null && st.getConditions() != null) {
        for (ReplicaSetCondition c : st.getConditions()) {
          conds.add(new ReplicaStatus.Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime()));
        }
      }
      ReplicaStatus status = st == null ? new ReplicaStatus(0, 0, 0, 0, 0, conds)
          : new ReplicaStatus(n(st.getReplicas()), n(st.getFullyLabeledReplicas()), n(st.getReadyReplicas()),
              n(st.getAvailableReplicas()), st.getObservedGeneration() == null ? 0 : st.getObservedGeneration(), conds);
      var meta = rs.getMetadata();
      return new ReplicaView(meta.getNamespace(), meta.getName(), meta.getUid(), meta.getGeneration() == null ? 0 : meta.getGeneration(),
          spec == null || spec.getReplicas() == null ? 1 : spec.getReplicas(),
          spec == null || spec.getMinReadySeconds() == null ? 0 : spec.getMinReadySeconds(),
          selector, error, spec == null ? null : spec.getTemplate(), meta.getDeletionTimestamp() != null,
          Owners.controllerOf(rs), status);
    }

    @Override
    public ReplicaSet withStatus(ReplicaSet rs, ReplicaStatus s) {
      ReplicaSet copy = Serial.copy(rs);
      ReplicaSetStatus st = copy.getStatus() == null ? new ReplicaSetStatus() : copy.getStatus();
      st.setReplicas(s.replicas());
      st.setFullyLabeledReplicas(s.fullyLabeledReplicas());
      st.setReadyReplicas(s.readyReplicas());
      st.setAvailableReplicas(s.availableReplicas());
      st.setObservedGeneration(s.observedGeneration());
      List<ReplicaSetCondition> conds = new ArrayList<>();
      for (ReplicaStatus.Condition c : s.conditions()) {
        ReplicaSetCondition x = new ReplicaSetCondition();
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
    public ReplicaSet updateStatus(KubernetesClient client, ReplicaSet rs) {
      return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).updateStatus();
    }

    @Override
    public ReplicaSet get(KubernetesClient client, String namespace, String name) {
      return client.apps().replicaSets().inNamespace(namespace).withName(name).get();
    }

    private static int n(Integer i) { return i == null ? 0 : i; }
  }
}
