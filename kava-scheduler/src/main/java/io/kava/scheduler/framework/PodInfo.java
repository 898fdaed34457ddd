package io.kava.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.kava.api.selector.LabelRequirement;
import io.kava.api.selector.LabelSelector;
import io.kava.api.selector.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what the scheduler derives from it computed once: requests (with init containers, sidecars and
 * overhead), host ports, compiled affinity terms, tolerations, topology spread constraints and the effective
 * priority. Immutable; the wrapped fabric8 Pod must not be changed.
 */
public final class PodInfo {
  /** Upstream's defaults for scoring pods that request nothing (so they are not all packed onto one node). */
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  public record HostPort(String ip, String protocol, int port) {
    /** Two host ports clash when protocol and port are equal and either IP is the wildcard or both are equal. */
    public boolean conflicts(HostPort o) {
      return port == o.port && protocol.equals(o.protocol) && (ip.equals("0.0.0.0") || o.ip.equals("0.0.0.0") || ip.equals(o.ip));
    }
  }

  public record WeightedAffinityTerm(AffinityTerm term, int weight) {}

  public record WeightedNodeTerm(NodeSelectorTerms.Term term, int weight) {}

  /** A compiled topology spread constraint. */
  public record SpreadConstraint(int maxSkew, String topologyKey, boolean hard, LabelSelector selector, int minDomains,
                                 boolean honorNodeAffinity, boolean honorTaints) {}

  private final Pod pod;
  private final String key;
  private final Map<String, String> labels;
  private final int priority;
  private final Resource requests;
  private final long nonZeroMilliCpu;
  private final long nonZeroMemory;
  private final List<HostPort> hostPorts;
  private final List<AffinityTerm> requiredAffinity;
  private final List<AffinityTerm> requiredAntiAffinity;
  private final List<WeightedAffinityTerm> preferredAffinity;
  private final List<WeightedAffinityTerm> preferredAntiAffinity;
  private final List<Toleration> tolerations;
  private final Map<String, String> nodeSelector;
  private final NodeSelectorTerms requiredNodeAffinity; // null when the pod has none
  private final List<WeightedNodeTerm> preferredNodeAffinity;
  private final List<SpreadConstraint> spreadConstraints;
  /** spec.nodeName, or for an {@link #assumedOn assumed} pod the node it is assumed on; "" when unbound. */
  private final String nodeName;

  private PodInfo(Pod pod, int priority) {
    this.pod = pod;
    this.key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    this.labels = pod.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(pod.getMetadata().getLabels());
    this.priority = priority;
    PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
    Resource[] req = requests(spec);
    this.requests = req[0];
    this.nonZeroMilliCpu = req[1].milliCpu;
    this.nonZeroMemory = req[1].memory;
    this.hostPorts = hostPorts(spec);
    String ns = namespace();
    Affinity a = spec.getAffinity();
    List<AffinityTerm> ra = new ArrayList<>();
    List<AffinityTerm> raa = new ArrayList<>();
    List<WeightedAffinityTerm> pa = new ArrayList<>();
    List<WeightedAffinityTerm> paa = new ArrayList<>();
    if (a != null && a.getPodAffinity() != null) {
      for (PodAffinityTerm t : nz(a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())) ra.add(AffinityTerm.of(t, ns, labels));
      for (WeightedPodAffinityTerm w : nz(a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())) {
        if (w.getPodAffinityTerm() != null && w.getWeight() != null && w.getWeight() != 0) pa.add(new WeightedAffinityTerm(AffinityTerm.of(w.getPodAffinityTerm(), ns, labels), w.getWeight()));
      }
    }
    if (a != null && a.getPodAntiAffinity() != null) {
      for (PodAffinityTerm t : nz(a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())) raa.add(AffinityTerm.of(t, ns, labels));
      for (WeightedPodAffinityTerm w : nz(a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())) {
        if (w.getPodAffinityTerm() != null && w.getWeight() != null && w.getWeight() != 0) paa.add(new WeightedAffinityTerm(AffinityTerm.of(w.getPodAffinityTerm(), ns, labels), w.getWeight()));
      }
    }
    this.requiredAffinity = List.copyOf(ra);
    this.requiredAntiAffinity = List.copyOf(raa);
    this.preferredAffinity = List.copyOf(pa);
    this.preferredAntiAffinity = List.copyOf(paa);
    this.tolerations = List.copyOf(nz(spec.getTolerations()));
    this.nodeSelector = spec.getNodeSelector() == null ? Map.of() : Map.copyOf(spec.getNodeSelector());
    NodeSelectorTerms required = null;
    List<WeightedNodeTerm> preferred = new ArrayList<>();
    if (a != null && a.getNodeAffinity() != null) {
      var na = a.getNodeAffinity();
      if (na.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
        List<NodeSelectorTerm> terms = nz(na.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms());
        required = NodeSelectorTerms.compile(terms);
      }
      for (PreferredSchedulingTerm p : nz(na.getPreferredDuringSchedulingIgnoredDuringExecution())) {
        if (p.getWeight() != null && p.getWeight() != 0 && p.getPreference() != null) {
          preferred.add(new WeightedNodeTerm(NodeSelectorTerms.compile(p.getPreference()), p.getWeight()));
        }
      }
    }
    this.requiredNodeAffinity = required;
    this.preferredNodeAffinity = List.copyOf(preferred);
    List<SpreadConstraint> sc = new ArrayList<>();
    for (TopologySpreadConstraint c : nz(spec.getTopologySpreadConstraints())) sc.add(spread(c, labels));
    this.spreadConstraints = List.copyOf(sc);
    this.nodeName = spec.getNodeName() == null ? "" : spec.getNodeName();
  }

  private PodInfo(PodInfo o, String nodeName) {
    this.pod = o.pod;
    this.key = o.key;
    this.labels = o.labels;
    this.priority = o.priority;
    this.requests = o.requests;
    this.nonZeroMilliCpu = o.nonZeroMilliCpu;
    this.nonZeroMemory = o.nonZeroMemory;
    this.hostPorts = o.hostPorts;
    this.requiredAffinity = o.requiredAffinity;
    this.requiredAntiAffinity = o.requiredAntiAffinity;
    this.preferredAffinity = o.preferredAffinity;
    this.preferredAntiAffinity = o.preferredAntiAffinity;
    this.tolerations = o.tolerations;
    this.nodeSelector = o.nodeSelector;
    this.requiredNodeAffinity = o.requiredNodeAffinity;
    this.preferredNodeAffinity = o.preferredNodeAffinity;
    this.spreadConstraints = o.spreadConstraints;
    this.nodeName = nodeName;
  }

  /**
   * This pod as the scheduler assumes it, on {@code node} before its binding is written: everything derived from
   * the spec is shared (nothing but the node differs), and {@link #pod()} stays the object as it was queued, whose
   * spec.nodeName is still empty; {@link #nodeName()} is the node. Upstream deep-copies the pod here; copying a
   * fabric8 pod through its builders was 7 % of the server's CPU in a scheduling run.
   */
  public PodInfo assumedOn(String node) { return new PodInfo(this, node); }

  /** A PodInfo with the priority the API server recorded in spec.priority (0 when absent). */
  public static PodInfo of(Pod pod) {
    Integer p = pod.getSpec() == null ? null : pod.getSpec().getPriority();
    return new PodInfo(pod, p == null ? 0 : p);
  }

  /** A PodInfo with an effective priority resolved by the caller (see the scheduler's PriorityResolver). */
  public static PodInfo of(Pod pod, int priority) { return new PodInfo(pod, priority); }

  public Pod pod() { return pod; }

  /** namespace/name */
  public String key() { return key; }

  public String namespace() { return pod.getMetadata().getNamespace(); }

  public String name() { return pod.getMetadata().getName(); }

  public String uid() { return pod.getMetadata().getUid(); }

  public Map<String, String> labels() { return labels; }

  public int priority() { return priority; }

  public String nodeName() { return nodeName; }

  public String nominatedNodeName() {
    return pod.getStatus() == null || pod.getStatus().getNominatedNodeName() == null ? "" : pod.getStatus().getNominatedNodeName();
  }

  /** "Never" or "PreemptLowerPriority" (the default). */
  public String preemptionPolicy() {
    String p = pod.getSpec() == null ? null : pod.getSpec().getPreemptionPolicy();
    return p == null || p.isEmpty() ? "PreemptLowerPriority" : p;
  }

  public boolean terminating() { return pod.getMetadata().getDeletionTimestamp() != null; }

  /** What the pod needs from a node: max(containers, each init container) + overhead. Do not modify. */
  public Resource requests() { return requests; }

  /** Requested cpu for scoring: containers that request none count as 100m. */
  public long nonZeroMilliCpu() { return nonZeroMilliCpu; }

  /** Requested memory for scoring: containers that request none count as 200Mi. */
  public long nonZeroMemory() { return nonZeroMemory; }

  public List<HostPort> hostPorts() { return hostPorts; }

  public List<AffinityTerm> requiredAffinity() { return requiredAffinity; }

  public List<AffinityTerm> requiredAntiAffinity() { return requiredAntiAffinity; }

  public List<WeightedAffinityTerm> preferredAffinity() { return preferredAffinity; }

  public List<WeightedAffinityTerm> preferredAntiAffinity() { return preferredAntiAffinity; }

  public boolean hasAffinity() {
    return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty() || !preferredAffinity.isEmpty() || !preferredAntiAffinity.isEmpty();
  }

  public List<Toleration> tolerations() { return tolerations; }

  public Map<String, String> nodeSelector() { return nodeSelector; }

  /** Required node affinity terms, or null when the pod has none. */
  public NodeSelectorTerms requiredNodeAffinity() { return requiredNodeAffinity; }

  public List<WeightedNodeTerm> preferredNodeAffinity() { return preferredNodeAffinity; }

  public List<SpreadConstraint> spreadConstraints() { return spreadConstraints; }

  // ---------------------------------------------------------------------------------------------------- derivation

  /**
   * [requests, non-zero requests]. Regular containers and restartable (sidecar) init containers run together; each
   * ordinary init container runs alone beside the sidecars started before it; the pod needs the larger of the two,
   * plus its overhead.
   */
  private static Resource[] requests(PodSpec spec) {
    Resource sum = new Resource();
    Resource sumNz = new Resource();
    for (Container c : nz(spec.getContainers())) {
      sum.add(containerRequests(c, false));
      sumNz.add(containerRequests(c, true));
    }
    Resource sidecars = new Resource();
    Resource sidecarsNz = new Resource();
    Resource initMax = new Resource();
    Resource initMaxNz = new Resource();
    for (Container c : nz(spec.getInitContainers())) {
      Resource r = containerRequests(c, false);
      Resource rNz = containerRequests(c, true);
      if ("Always".equals(c.getRestartPolicy())) {
        sum.add(r);
        sumNz.add(rNz);
        sidecars.add(r);
        sidecarsNz.add(rNz);
        initMax.setMax(sidecars);
        initMaxNz.setMax(sidecarsNz);
      } else {
        r.add(sidecars);
        rNz.add(sidecarsNz);
        initMax.setMax(r);
        initMaxNz.setMax(rNz);
      }
    }
    sum.setMax(initMax);
    sumNz.setMax(initMaxNz);
    if (spec.getOverhead() != null) {
      Resource o = fromMap(spec.getOverhead());
      sum.add(o);
      sumNz.add(o);
    }
    return new Resource[] {sum, sumNz};
  }

  private static Resource containerRequests(Container c, boolean nonZero) {
    Map<String, Quantity> req = c.getResources() == null || c.getResources().getRequests() == null ? Map.of() : c.getResources().getRequests();
    Resource r = fromMap(req);
    if (nonZero) {
      if (!req.containsKey(Resource.CPU)) r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
      if (!req.containsKey(Resource.MEMORY)) r.memory = DEFAULT_MEMORY_REQUEST;
    }
    return r;
  }

  /** A resource list (requests, capacity, allocatable) in scheduler units. */
  public static Resource fromMap(Map<String, Quantity> m) {
    Resource r = new Resource();
    if (m == null) return r;
    for (Map.Entry<String, Quantity> e : m.entrySet()) {
      switch (e.getKey()) {
        case Resource.CPU -> r.milliCpu = Quantities.milli(e.getValue());
        case Resource.MEMORY -> r.memory = Quantities.value(e.getValue());
        case Resource.EPHEMERAL_STORAGE -> r.ephemeralStorage = Quantities.value(e.getValue());
        case Resource.PODS -> r.allowedPods = Quantities.value(e.getValue());
        default -> r.setScalar(e.getKey(), Quantities.value(e.getValue()));
      }
    }
    return r;
  }

  private static List<HostPort> hostPorts(PodSpec spec) {
    List<HostPort> out = new ArrayList<>(0);
    List<Container> all = new ArrayList<>(nz(spec.getContainers()));
    for (Container c : nz(spec.getInitContainers())) if ("Always".equals(c.getRestartPolicy())) all.add(c);
    for (Container c : all) {
      for (ContainerPort p : nz(c.getPorts())) {
        if (p.getHostPort() == null || p.getHostPort() <= 0) continue;
        String ip = p.getHostIP() == null || p.getHostIP().isEmpty() ? "0.0.0.0" : p.getHostIP();
        String proto = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
        out.add(new HostPort(ip, proto, p.getHostPort()));
      }
    }
    return List.copyOf(out);
  }

  private static SpreadConstraint spread(TopologySpreadConstraint c, Map<String, String> ownLabels) {
    LabelSelector sel = Selectors.of(c.getLabelSelector());
    if (c.getLabelSelector() != null && c.getMatchLabelKeys() != null && !sel.matchesNothing()) {
      List<LabelRequirement> extra = new ArrayList<>();
      for (String k : c.getMatchLabelKeys()) {
        String v = ownLabels.get(k);
        if (v != null) extra.add(new LabelRequirement(k, Operator.IN, List.of(v)));
      }
      if (!extra.isEmpty()) sel = sel.add(extra.toArray(LabelRequirement[]::new));
    }
    return new SpreadConstraint(c.getMaxSkew() == null ? 1 : c.getMaxSkew(), c.getTopologyKey() == null ? "" : c.getTopologyKey(),
        !"ScheduleAnyway".equals(c.getWhenUnsatisfiable()), sel, c.getMinDomains() == null ? 1 : c.getMinDomains(),
        !"Ignore".equals(c.getNodeAffinityPolicy()), "Honor".equals(c.getNodeTaintsPolicy()));
  }

  static <T> List<T> nz(List<T> l) { return l == null ? List.of() : l; }

  @Override
  public String toString() { return key; }
}
