package io.kava.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.kava.controllers.workload.Pods;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes the {@code endpoints.kubernetes.io/last-change-trigger-time} annotation (upstream's TriggerTimeTracker):
 * the earliest time among the changes seen since the previous sync of a Service, where a pod's change time is the
 * last transition of its Ready condition and the Service's is its creation. Null when nothing changed.
 *
 * <p>It remembers what the previous sync saw per Service; a Service key is never synced by two workers at once, so
 * per-key state needs no lock beyond the map's.
 */
public final class TriggerTimeTracker {
  private record State(Map<String, Instant> podTimes, Instant serviceTime) {}

  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

  /** The trigger time for this sync of {@code serviceKey}, recording what it saw for the next one. */
  public Instant compute(String serviceKey, Service svc, List<Pod> pods) {
    State before = states.get(serviceKey);
    Map<String, Instant> podTimes = new HashMap<>();
    Instant min = null;
    for (Pod p : pods) {
      Instant t = podTriggerTime(p);
      if (t == null) continue;
      podTimes.put(p.getMetadata().getName(), t);
      Instant prev = before == null ? null : before.podTimes.get(p.getMetadata().getName());
      if (prev == null || t.isAfter(prev)) min = earliest(min, t);
    }
    Instant svcTime = Pods.time(svc.getMetadata().getCreationTimestamp());
    if (svcTime != null && (before == null || before.serviceTime == null || svcTime.isAfter(before.serviceTime))) {
      min = earliest(min, svcTime);
    }
    states.put(serviceKey, new State(podTimes, svcTime));
    return min;
  }

  public void forget(String serviceKey) { states.remove(serviceKey); }

  static Instant podTriggerTime(Pod p) {
    PodCondition ready = Pods.readyCondition(p);
    return ready == null ? null : Pods.time(ready.getLastTransitionTime());
  }

  private static Instant earliest(Instant a, Instant b) { return a == null || b.isBefore(a) ? b : a; }
}
