package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.api.selector.LabelSelector;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.workload.Selectors;
import io.kava.controllers.workload.Serial;

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
      ReplicaStatus status = st == null ? ReplicaFields.NO_STATUS
          : ReplicaFields.status(st.getReplicas(), st.getFullyLabeledReplicas(), st.getReadyReplicas(), st.getAvailableReplicas(),
              st.getObservedGeneration(), ReplicaFields.conditions(st.getConditions(),
                  c -> new ReplicaStatus.Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime())));
      return ReplicaFields.view(rs, spec == null ? null : spec.getReplicas(), spec == null ? null : spec.getMinReadySeconds(),
          spec == null ? null : spec.getTemplate(), selector, error, status);
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
      st.setConditions(ReplicaFields.conditions(s, ReplicaSetCondition::new));
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
  }
}
