package io.kava.node.cgroups;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's quality-of-service class, as upstream derives it: the class the API server recorded in
 * {@code status.qosClass} (fixed at creation), else computed from the cpu and memory requests and limits of all
 * containers (init containers included; zero quantities count as unset).
 */
public enum QosClass {
  GUARANTEED("Guaranteed"), BURSTABLE("Burstable"), BEST_EFFORT("BestEffort");

  private static final List<String> COMPUTE = List.of("cpu", "memory");

  public final String apiName;

  QosClass(String apiName) { this.apiName = apiName; }

  public static QosClass of(Pod pod) {
    String recorded = pod.getStatus() == null ? null : pod.getStatus().getQosClass();
    if (recorded != null) for (QosClass q : values()) if (q.apiName.equals(recorded)) return q;
    return compute(pod);
  }

  /** ComputePodQOS: sums of the positive cpu/memory requests and limits; Guaranteed when every container limits both and the sums match. */
  static QosClass compute(Pod pod) {
    List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) all.addAll(pod.getSpec().getInitContainers());
    Map<String, BigDecimal> requests = new HashMap<>();
    Map<String, BigDecimal> limits = new HashMap<>();
    boolean guaranteed = true;
    for (Container c : all) {
      ResourceRequirements r = c.getResources();
      addPositive(requests, r == null ? null : requestsDefaulted(r));
      int limited = addPositive(limits, r == null ? null : r.getLimits());
      if (limited < COMPUTE.size()) guaranteed = false;
    }
    if (requests.isEmpty() && limits.isEmpty()) return BEST_EFFORT;
    if (guaranteed) {
      for (var e : requests.entrySet()) {
        BigDecimal l = limits.get(e.getKey());
        if (l == null || l.compareTo(e.getValue()) != 0) guaranteed = false;
      }
    }
    return guaranteed && requests.size() == limits.size() ? GUARANTEED : BURSTABLE;
  }

  /** The requests after API defaulting: a limit stands for a request that is not set. */
  private static Map<String, Quantity> requestsDefaulted(ResourceRequirements r) {
    Map<String, Quantity> m = new HashMap<>();
    if (r.getLimits() != null) m.putAll(r.getLimits());
    if (r.getRequests() != null) m.putAll(r.getRequests());
    return m;
  }

  /** Adds the positive cpu and memory quantities of {@code list} to {@code sums}; returns how many there were. */
  private static int addPositive(Map<String, BigDecimal> sums, Map<String, Quantity> list) {
    if (list == null) return 0;
    int n = 0;
    for (String name : COMPUTE) {
      Quantity q = list.get(name);
      if (q == null) continue;
      BigDecimal v = Quantity.getAmountInBytes(q);
      if (v.signum() <= 0) continue;
      sums.merge(name, v, BigDecimal::add);
      n++;
    }
    return n;
  }
}
