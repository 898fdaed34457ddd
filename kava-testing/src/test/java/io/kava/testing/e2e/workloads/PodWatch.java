package io.kava.testing.e2e.workloads;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Follows the pods of a selector through a watch and keeps, after every event, the number of active pods (not being
 * deleted) and of ready ones, so a test can say what never happened during a rollout. Events arrive in the order the
 * API server committed them, so the extremes seen are the extremes that existed.
 */
final class PodWatch implements AutoCloseable {
  private final SharedIndexInformer<Pod> informer;
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final List<String> history = new ArrayList<>();
  // Guarded by this.
  private int maxActive;
  private int minReady = Integer.MAX_VALUE;
  private final List<String> violations = new ArrayList<>();
  private final Predicate<Map<String, Pod>> invariant;

  /** @param invariant checked after each event on the active pods by name; a false is recorded as a violation */
  PodWatch(KubernetesClient client, String namespace, String labelSelector, Predicate<Map<String, Pod>> invariant) {
    this.invariant = invariant;
    this.informer = client.pods().inNamespace(namespace).withLabelSelector(labelSelector).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) { seen("ADDED", p, false); }

      @Override
      public void onUpdate(Pod old, Pod p) { seen("MODIFIED", p, false); }

      @Override
      public void onDelete(Pod p, boolean unknown) { seen("DELETED", p, true); }
    }, 0);
  }

  private synchronized void seen(String type, Pod p, boolean gone) {
    String name = p.getMetadata().getName();
    if (gone || p.getMetadata().getDeletionTimestamp() != null) pods.remove(name);
    else pods.put(name, p);
    int active = pods.size();
    long ready = pods.values().stream().filter(FakeKubelet::ready).count();
    maxActive = Math.max(maxActive, active);
    minReady = (int) Math.min(minReady, ready);
    history.add(type + " " + name + " -> active " + active + ", ready " + ready);
    if (!invariant.test(Map.copyOf(pods))) violations.add(type + " " + name + ": " + pods.keySet());
  }

  /**
   * Starts counting extremes from now, once the handler has seen the initial list (an informer hands events to its
   * handlers asynchronously, after its store has them).
   */
  void reset() {
    Workloads.until(() -> {
      synchronized (this) {
        return informer.getStore().list().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .allMatch(p -> pods.containsKey(p.getMetadata().getName()));
      }
    }, () -> "pod watch did not catch up: " + pods.keySet());
    synchronized (this) {
      resetLocked();
    }
  }

  private void resetLocked() {
    maxActive = pods.size();
    minReady = (int) pods.values().stream().filter(FakeKubelet::ready).count();
    history.clear();
    violations.clear();
  }

  synchronized int maxActive() { return maxActive; }

  synchronized int minReady() { return minReady; }

  synchronized List<String> violations() { return List.copyOf(violations); }

  synchronized String history() { return String.join("\n", history); }

  @Override
  public void close() { informer.close(); }
}
