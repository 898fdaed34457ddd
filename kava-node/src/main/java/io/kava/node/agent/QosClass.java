package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A pod's quality-of-service class, as upstream derives it from requests and limits. */
public enum QosClass {
  GUARANTEED("Guaranteed"), BURSTABLE("Burstable"), BEST_EFFORT("BestEffort");

  public final String apiName;

  QosClass(String apiName) { this.apiName = apiName; }

  public static QosClass of(Pod pod) {
    List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) all.addAll(pod.getSpec().getInitContainers());
    boolean any = false;
    boolean guaranteed = true;
    for (Container c : all) {
      Map<String, Quantity> req = c.getResources() == null || c.getResources().getRequests() == null ? Map.of() : c.getResources().getRequests();
      Map<String, Quantity> lim = c.getResources() == null || c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
      for (String r : List.of("cpu", "memory")) {
        if (req.containsKey(r) || lim.containsKey(r)) any = true;
        Quantity l = lim.get(r);
        Quantity q = req.getOrDefault(r, l);
        if (l == null || !Objects.equals(io.kava.api.quantity.Quantity.parse(l.toString()), io.kava.api.quantity.Quantity.parse(q.toString()))) {
          guaranteed = false;
        }
      }
    }
    if (!any) return BEST_EFFORT;
    return guaranteed ? GUARANTEED : BURSTABLE;
  }
}
