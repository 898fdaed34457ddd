package io.kava.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pod's effective priority. Upstream's Priority admission plugin copies the value of the pod's PriorityClass (or
 * of the global default class) into spec.priority when the pod is created; until kava's API server does the same,
 * the scheduler resolves priorityClassName itself from a PriorityClass informer. Class values are immutable, so this
 * agrees with spec.priority wherever the admission plugin ran.
 */
public final class PriorityResolver {
  /** The built-in classes upstream always has. */
  public static final Map<String, Integer> SYSTEM = Map.of("system-cluster-critical", 2_000_000_000, "system-node-critical", 2_000_001_000);

  private final ConcurrentHashMap<String, Integer> values = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> globalDefaults = new ConcurrentHashMap<>();

  public void put(PriorityClass pc) {
    String name = pc.getMetadata().getName();
    int v = pc.getValue() == null ? 0 : pc.getValue();
    values.put(name, v);
    if (Boolean.TRUE.equals(pc.getGlobalDefault())) globalDefaults.put(name, v);
    else globalDefaults.remove(name);
  }

  public void remove(PriorityClass pc) {
    values.remove(pc.getMetadata().getName());
    globalDefaults.remove(pc.getMetadata().getName());
  }

  public int priorityOf(Pod pod) {
    var spec = pod.getSpec();
    if (spec == null) return 0;
    String cls = spec.getPriorityClassName();
    if (cls != null && !cls.isEmpty()) {
      Integer v = values.get(cls);
      if (v == null) v = SYSTEM.get(cls);
      if (v != null) return v;
    }
    int p = spec.getPriority() == null ? 0 : spec.getPriority();
    if ((cls == null || cls.isEmpty()) && p == 0 && !globalDefaults.isEmpty()) {
      return globalDefaults.values().stream().max(Integer::compare).orElse(0);
    }
    return p;
  }
}
