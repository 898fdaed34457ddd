package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.kava.api.selector.LabelSelector;
import io.kava.api.time.Timestamps;
import io.kava.controllers.workload.ApiErrors;
import io.kava.controllers.workload.Pods;
import io.kava.controllers.workload.Selectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two decisions of a replica controller's sync, apart from informers and the API (upstream's manageReplicas and
 * calculateStatus), so they can be tested against a fake {@link PodControl}.
 */
public final class ReplicaSync {
  private static final Logger log = LoggerFactory.getLogger(ReplicaSync.class);
  /** Upstream's BurstReplicas: the most pods one sync creates or deletes. */
  public static final int BURST_REPLICAS = 500;

  private final PodControl pods;
  private final Expectations expectations;
  private final int burst;

  public ReplicaSync(PodControl pods, Expectations expectations) { this(pods, expectations, BURST_REPLICAS); }

  ReplicaSync(PodControl pods, Expectations expectations, int burst) {
    this.pods = pods;
    this.expectations = expectations;
    this.burst = burst;
  }

  /**
   * Creates or deletes pods so that {@code active} (the claimed, active pods) reaches the wanted count, at most
   * {@link #BURST_REPLICAS} per call. Expectations are recorded before the calls and lowered for calls that were
   * skipped or failed, since no informer event will come for those.
   *
   * @param related the pods of every replica set under the same controller (for spreading deletions), fetched only
   *     when pods are to be deleted
   * @throws Exception the first failure; creations stop at the first failed batch
   */
  public void manage(String key, ReplicaView rs, OwnerReference controllerRef, ObjectReference owner, List<Pod> active,
                     Supplier<List<Pod>> related, Instant now) throws Exception {
    int diff = active.size() - rs.replicas();
    if (diff < 0) {
      int want = Math.min(-diff, burst);
      log.debug("{}: {} active of {} replicas, creating {}", key, active.size(), rs.replicas(), want);
      expectations.expectCreations(key, want);
      SlowStart.Outcome out = SlowStart.run(want, SlowStart.INITIAL_BATCH_SIZE, () -> {
        try {
          pods.create(rs.namespace(), rs.template(), controllerRef, owner);
        } catch (RuntimeException e) {
          if (ApiErrors.isNamespaceTerminating(e)) return; // everything will fail; nothing to retry
          throw e;
        }
      });
      // Creations that were not attempted or failed will never be observed.
      for (int i = out.successes(); i < want; i++) expectations.creationObserved(key);
      if (out.error() != null) throw out.error();
    } else if (diff > 0) {
      int n = Math.min(diff, burst);
      List<Pod> victims = PodRanking.podsToDelete(active, n < active.size() ? related.get() : List.of(), n, now);
      Set<String> keys = new LinkedHashSet<>();
      for (Pod p : victims) keys.add(Pods.key(p));
      log.debug("{}: {} active of {} replicas, deleting {}", key, active.size(), rs.replicas(), keys);
      expectations.expectDeletions(key, keys);
      Exception first = null;
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> calls = new ArrayList<>();
        for (Pod p : victims) {
          calls.add(pool.submit(() -> {
            try {
              pods.delete(p.getMetadata().getNamespace(), p.getMetadata().getName(), owner);
            } catch (RuntimeException e) {
              expectations.deletionObserved(key, Pods.key(p));
              if (!ApiErrors.isNotFound(e)) throw e;
            }
            return null;
          }));
        }
        for (Future<?> f : calls) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException e) {
            if (first == null) first = e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
          }
        }
      }
      if (first != null) throw first;
    }
  }

  /**
   * The status the pods say (upstream's calculateStatus): counts over {@code active}, and the ReplicaFailure
   * condition set when the last manage failed (reason FailedCreate or FailedDelete) and removed when it succeeded.
   * observedGeneration is left as it was; the writer sets it.
   */
  public static ReplicaStatus calculateStatus(ReplicaView rs, List<Pod> active, Exception manageError, Instant now) {
    Map<String, String> templateLabels = rs.template() == null || rs.template().getMetadata() == null
        || rs.template().getMetadata().getLabels() == null ? Map.of() : rs.template().getMetadata().getLabels();
    LabelSelector fully = LabelSelector.fromSet(templateLabels);
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod p : active) {
      if (fully.matches(Selectors.labels(p))) fullyLabeled++;
      if (Pods.isReady(p)) {
        ready++;
        if (Pods.isAvailable(p, rs.minReadySeconds(), now)) available++;
      }
    }
    ReplicaStatus s = rs.status();
    ReplicaStatus.Condition failure = s.condition(ReplicaStatus.REPLICA_FAILURE);
    if (manageError != null && failure == null) {
      int diff = active.size() - rs.replicas();
      String reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
      s = s.withCondition(new ReplicaStatus.Condition(ReplicaStatus.REPLICA_FAILURE, "True", reason,
          ApiErrors.message(manageError), Timestamps.formatTime(now)));
    } else if (manageError == null && failure != null) {
      s = s.withoutCondition(ReplicaStatus.REPLICA_FAILURE);
    }
    return s.withCounts(active.size(), fullyLabeled, ready, available);
  }

  /** Whether writing {@code next} (for generation {@code generation}) would change what {@code current} says. */
  public static boolean statusChanged(ReplicaStatus current, ReplicaStatus next, long generation) {
    return current.replicas() != next.replicas()
        || current.fullyLabeledReplicas() != next.fullyLabeledReplicas()
        || current.readyReplicas() != next.readyReplicas()
        || current.availableReplicas() != next.availableReplicas()
        || current.observedGeneration() != generation
        || !current.conditions().equals(next.conditions());
  }
}
