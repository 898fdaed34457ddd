package io.kava.controllers.deployment;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kava.api.time.Timestamps;
import io.kava.controllers.workload.Serial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An API server of replica sets in memory, and the events and requeues the sync asks for. */
final class FakeApi implements DeploymentApi {
  final Map<String, ReplicaSet> replicaSets = new LinkedHashMap<>();
  final List<String> events = new ArrayList<>();
  final List<Duration> requeues = new ArrayList<>();
  final List<String> deleted = new ArrayList<>();
  Deployment deployment;
  int statusWrites;
  int seq = 100;
  RuntimeException createFailure;

  FakeApi(Deployment d) { this.deployment = d; }

  void put(ReplicaSet rs) { replicaSets.put(rs.getMetadata().getName(), rs); }

  List<ReplicaSet> list() {
    List<ReplicaSet> out = new ArrayList<>();
    for (ReplicaSet rs : replicaSets.values()) out.add(Serial.copy(rs));
    return out;
  }

  ReplicaSet get(String name) { return replicaSets.get(name); }

  @Override
  public ReplicaSet createReplicaSet(ReplicaSet rs) {
    if (createFailure != null) throw createFailure;
    if (replicaSets.containsKey(rs.getMetadata().getName())) {
      throw new KubernetesClientException(new StatusBuilder().withCode(409).withReason("AlreadyExists")
          .withMessage("replicasets.apps \"" + rs.getMetadata().getName() + "\" already exists").build());
    }
    ReplicaSet c = Serial.copy(rs);
    seq++;
    c.getMetadata().setUid("uid-" + seq);
    c.getMetadata().setResourceVersion(Integer.toString(seq));
    c.getMetadata().setGeneration(1L);
    c.getMetadata().setCreationTimestamp(Timestamps.formatTime(Fixtures.T0.plusSeconds(seq)));
    put(c);
    return Serial.copy(c);
  }

  @Override
  public ReplicaSet updateReplicaSet(ReplicaSet rs) {
    ReplicaSet cur = replicaSets.get(rs.getMetadata().getName());
    if (cur == null) throw new KubernetesClientException("not found", 404, null);
    ReplicaSet c = Serial.copy(rs);
    c.setStatus(Serial.copy(cur.getStatus()));
    if (!Objects.equals(cur.getSpec(), c.getSpec())) c.getMetadata().setGeneration(cur.getMetadata().getGeneration() + 1);
    c.getMetadata().setResourceVersion(Integer.toString(++seq));
    put(c);
    return Serial.copy(c);
  }

  @Override
  public void deleteReplicaSet(ReplicaSet rs) {
    replicaSets.remove(rs.getMetadata().getName());
    deleted.add(rs.getMetadata().getName());
  }

  @Override
  public Deployment updateDeploymentStatus(Deployment d) {
    statusWrites++;
    Deployment c = Serial.copy(d);
    c.getMetadata().setResourceVersion(Integer.toString(++seq));
    deployment = c;
    return Serial.copy(c);
  }

  @Override
  public Deployment updateDeployment(Deployment d) {
    Deployment c = Serial.copy(d);
    c.getMetadata().setResourceVersion(Integer.toString(++seq));
    deployment = c;
    return Serial.copy(c);
  }

  @Override
  public ReplicaSet cachedReplicaSet(String namespace, String name) { return replicaSets.get(name); }

  @Override
  public void event(Deployment d, String type, String reason, String message) { events.add(type + " " + reason + " " + message); }

  @Override
  public void requeueAfter(Deployment d, Duration delay) { requeues.add(delay); }

  @Override
  public void requeueRateLimited(Deployment d) { requeues.add(Duration.ZERO); }

  /** Plays the replica set controller and kubelet: every replica set's pods exist and are available (or not). */
  void settle(boolean available) {
    for (ReplicaSet rs : replicaSets.values()) {
      int n = rs.getSpec().getReplicas();
      if (rs.getStatus() == null) rs.setStatus(new io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus());
      rs.getStatus().setReplicas(n);
      rs.getStatus().setReadyReplicas(available ? n : Math.min(n, rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas()));
      rs.getStatus().setAvailableReplicas(available ? n : Math.min(n, rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas()));
      rs.getStatus().setObservedGeneration(rs.getMetadata().getGeneration());
    }
  }
}
