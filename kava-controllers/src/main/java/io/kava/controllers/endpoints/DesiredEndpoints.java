package io.kava.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kava.api.time.Timestamps;
import io.kava.controllers.endpoints.Subsets.Address;
import io.kava.controllers.endpoints.Subsets.Port;
import io.kava.controllers.endpoints.Subsets.Subset;
import io.kava.controllers.endpoints.Subsets.TargetRef;
import io.kava.controllers.workload.Pods;
import io.kava.controllers.workload.Serial;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The Endpoints object a selector Service should have (upstream's endpoints controller syncService, minus the I/O):
 * one address per selected pod with an IP, ready or not ready, for every Service port the pod resolves; Service
 * labels plus the controller's managed-by label (and the headless label); the trigger-time annotation; at most
 * {@link #MAX_CAPACITY} addresses, the rest cut with the over-capacity annotation.
 */
public final class DesiredEndpoints {
  /** Most addresses an Endpoints object holds; beyond it the object is truncated (EndpointSlices have no such cap). */
  public static final int MAX_CAPACITY = 1000;
  public static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";
  public static final String TRUNCATED = "truncated";
  /** The label with which this controller marks the Endpoints it manages (upstream 1.33's LabelManagedBy). */
  public static final String MANAGED_BY = "endpoints.kubernetes.io/managed-by";
  public static final String CONTROLLER_NAME = "endpoint-controller";

  private DesiredEndpoints() {}

  /** What a sync computed: the subsets (packed, sorted, possibly truncated) and the counts before truncation. */
  public record Computed(List<Subset> subsets, boolean truncated, int ready, int notReady) {}

  public static Computed compute(Service svc, List<Pod> pods) {
    boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    List<ServicePort> ports = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
    List<Subset> raw = new ArrayList<>();
    int ready = 0;
    int notReady = 0;
    for (Pod pod : pods) {
      if (!EndpointPods.shouldBeInEndpoints(pod, publishNotReady)) continue;
      String ip = EndpointPods.ipOfFamily(pod, EndpointPods.endpointsFamily(svc, pod));
      if (ip == null) continue; // a pod without an address of the Service's family (dual-stack skew)
      Address address = address(svc, pod, ip);
      boolean isReady = publishNotReady || Pods.isReady(pod);
      if (ports.isEmpty()) {
        // Headless Services may have no ports; others without ports get no addresses.
        if (!EndpointPods.isServiceIpSet(svc)) {
          raw.add(Subsets.single(address, null, isReady));
          if (isReady) ready++;
          else notReady++;
        }
        continue;
      }
      for (ServicePort sp : ports) {
        OptionalInt target = EndpointPods.findPort(pod, sp);
        if (target.isEmpty()) continue;
        raw.add(Subsets.single(address, port(sp, target.getAsInt()), isReady));
        if (isReady) ready++;
        else notReady++;
      }
    }
    List<Subset> packed = Subsets.repack(raw);
    List<Subset> cut = Subsets.truncate(packed, MAX_CAPACITY);
    return new Computed(cut, cut != packed, ready, notReady);
  }

  static Address address(Service svc, Pod pod, String ip) {
    String node = pod.getSpec() == null ? null : Subsets.emptyToNull(pod.getSpec().getNodeName());
    String hostname = EndpointPods.shouldSetHostname(pod, svc) ? pod.getSpec().getHostname() : null;
    return new Address(ip, hostname, node,
        new TargetRef("Pod", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid()));
  }

  static Port port(ServicePort sp, int number) {
    return new Port(Subsets.emptyToNull(sp.getName()), number, EndpointPods.protocol(sp), Subsets.emptyToNull(sp.getAppProtocol()));
  }

  /** The labels the Endpoints carries: the Service's, the managed-by label, and the headless label if it has no IP. */
  public static Map<String, String> labels(Service svc) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (svc.getMetadata().getLabels() != null) labels.putAll(svc.getMetadata().getLabels());
    labels.put(MANAGED_BY, CONTROLLER_NAME);
    if (EndpointPods.isServiceIpSet(svc)) labels.remove(EndpointPods.HEADLESS_LABEL);
    else labels.put(EndpointPods.HEADLESS_LABEL, "");
    return labels;
  }

  /**
   * The object to write, or null when {@code current} already matches: same subsets, labels and over-capacity
   * marking. A change of the trigger time alone is no reason to write, as upstream.
   */
  public static Endpoints reconcile(Service svc, Computed computed, Endpoints current, Instant triggerTime) {
    Map<String, String> labels = labels(svc);
    if (current != null) {
      Map<String, String> curLabels = current.getMetadata().getLabels() == null ? Map.of() : current.getMetadata().getLabels();
      boolean marked = current.getMetadata().getAnnotations() != null && current.getMetadata().getAnnotations().containsKey(OVER_CAPACITY);
      if (Subsets.same(Subsets.fromModel(current.getSubsets()), computed.subsets()) && curLabels.equals(labels)
          && marked == computed.truncated()) {
        return null;
      }
    }
    Endpoints next;
    if (current == null) {
      next = new Endpoints();
      ObjectMeta meta = new ObjectMeta();
      meta.setName(svc.getMetadata().getName());
      meta.setNamespace(svc.getMetadata().getNamespace());
      next.setMetadata(meta);
    } else {
      next = Serial.copy(current);
    }
    next.setApiVersion("v1");
    next.setKind("Endpoints");
    next.getMetadata().setLabels(labels);
    Map<String, String> annotations = new HashMap<>();
    if (next.getMetadata().getAnnotations() != null) annotations.putAll(next.getMetadata().getAnnotations());
    if (triggerTime != null) annotations.put(EndpointPods.LAST_CHANGE_TRIGGER_TIME, Timestamps.formatRfc3339Nano(triggerTime));
    else annotations.remove(EndpointPods.LAST_CHANGE_TRIGGER_TIME);
    if (computed.truncated()) annotations.put(OVER_CAPACITY, TRUNCATED);
    else annotations.remove(OVER_CAPACITY);
    next.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    next.setSubsets(Subsets.toModel(computed.subsets()));
    return next;
  }

  /** Whether this controller manages {@code ep} (and may therefore delete it when its Service is gone). */
  public static boolean managed(Endpoints ep) {
    Map<String, String> l = ep.getMetadata().getLabels();
    return l != null && Objects.equals(l.get(MANAGED_BY), CONTROLLER_NAME);
  }
}
