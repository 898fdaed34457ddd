package io.kava.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node and what is placed on it: its pods (bound or assumed), the sum of their requests, the host ports they use
 * and which of them carry affinity terms. The scheduler's cache keeps one per node and updates it per pod event;
 * each cycle works on copies ({@link #copy()}) so plugins see a consistent view.
 *
 * <p>Not thread-safe. Filter plugins must treat the NodeInfo they are given as read-only, except in preemption's
 * dry runs, which work on their own copies.
 */
public final class NodeInfo {
  private Node node; // null while only pods bound to a node the cache has not seen yet are known
  private final String name;
  private Map<String, String> labels = Map.of();
  private List<Taint> taints = List.of();
  /** spec.unschedulable, read once per node update: the filter asks for every node of every cycle. */
  private boolean unschedulable;
  private Resource allocatable = new Resource();
  private final Resource requested;
  private final Resource nonZeroRequested;
  private final List<PodInfo> pods;
  private final List<PodInfo> podsWithAffinity;
  private final List<PodInfo> podsWithRequiredAntiAffinity;
  private final List<PodInfo.HostPort> usedPorts;
  private long generation;
  /**
   * What is left of the allocatable cpu, memory, ephemeral storage and pod count, kept current by every change of the
   * node or its pods: NodeResourcesFit's filter reads them for each of the hundreds of nodes a cycle visits (and the
   * scores the fields below for each feasible one), and here they share this object's cache lines instead of costing a
   * miss per Resource and pod list they would otherwise read.
   */
  private long freeMilliCpu;
  private long freeMemory;
  private long freeEphemeralStorage;
  private long freePods;
  /** The allocatable and the pods' non-zero requests of cpu and memory, for the scores, on the same grounds. */
  private long allocatableMilliCpu;
  private long allocatableMemory;
  private long nonZeroMilliCpu;
  private long nonZeroMemory;

  public NodeInfo(String name) {
    this.name = name;
    this.requested = new Resource();
    this.nonZeroRequested = new Resource();
    this.pods = new ArrayList<>();
    this.podsWithAffinity = new ArrayList<>(0);
    this.podsWithRequiredAntiAffinity = new ArrayList<>(0);
    this.usedPorts = new ArrayList<>(0);
  }

  /** A NodeInfo for {@code node} holding {@code pods} (tests, preemption). */
  public static NodeInfo of(Node node, PodInfo... pods) {
    NodeInfo n = new NodeInfo(node.getMetadata().getName());
    n.setNode(node);
    for (PodInfo p : pods) n.addPod(p);
    return n;
  }

  private NodeInfo(NodeInfo o) {
    this.node = o.node;
    this.name = o.name;
    this.labels = o.labels;
    this.taints = o.taints;
    this.unschedulable = o.unschedulable;
    this.allocatable = o.allocatable;
    this.requested = o.requested.copy();
    this.nonZeroRequested = o.nonZeroRequested.copy();
    this.pods = new ArrayList<>(o.pods);
    this.podsWithAffinity = new ArrayList<>(o.podsWithAffinity);
    this.podsWithRequiredAntiAffinity = new ArrayList<>(o.podsWithRequiredAntiAffinity);
    this.usedPorts = new ArrayList<>(o.usedPorts);
    this.generation = o.generation;
    this.freeMilliCpu = o.freeMilliCpu;
    this.freeMemory = o.freeMemory;
    this.freeEphemeralStorage = o.freeEphemeralStorage;
    this.freePods = o.freePods;
    this.allocatableMilliCpu = o.allocatableMilliCpu;
    this.allocatableMemory = o.allocatableMemory;
    this.nonZeroMilliCpu = o.nonZeroMilliCpu;
    this.nonZeroMemory = o.nonZeroMemory;
  }

  public NodeInfo copy() { return new NodeInfo(this); }

  public void setNode(Node node) {
    this.node = node;
    this.labels = node == null || node.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(node.getMetadata().getLabels());
    this.taints = node == null || node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : List.copyOf(node.getSpec().getTaints());
    this.unschedulable = node != null && node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    this.allocatable = node == null || node.getStatus() == null ? new Resource() : PodInfo.fromMap(node.getStatus().getAllocatable());
    refreshFree();
  }

  private void refreshFree() {
    freeMilliCpu = allocatable.milliCpu - requested.milliCpu;
    freeMemory = allocatable.memory - requested.memory;
    freeEphemeralStorage = allocatable.ephemeralStorage - requested.ephemeralStorage;
    freePods = allocatable.allowedPods - pods.size();
    allocatableMilliCpu = allocatable.milliCpu;
    allocatableMemory = allocatable.memory;
    nonZeroMilliCpu = nonZeroRequested.milliCpu;
    nonZeroMemory = nonZeroRequested.memory;
  }

  /** Allocatable cpu (millicores) not requested by this node's pods. */
  public long freeMilliCpu() { return freeMilliCpu; }

  /** Allocatable memory (bytes) not requested by this node's pods. */
  public long freeMemory() { return freeMemory; }

  /** Allocatable ephemeral storage (bytes) not requested by this node's pods. */
  public long freeEphemeralStorage() { return freeEphemeralStorage; }

  /** How many more pods the node takes. */
  public long freePods() { return freePods; }

  /** Allocatable cpu (millicores): {@code allocatable().milliCpu}, from this object's own fields. */
  public long allocatableMilliCpu() { return allocatableMilliCpu; }

  /** Allocatable memory (bytes): {@code allocatable().memory}, from this object's own fields. */
  public long allocatableMemory() { return allocatableMemory; }

  /** The pods' cpu requests with the scheduler's defaults for none: {@code nonZeroRequested().milliCpu}. */
  public long nonZeroMilliCpu() { return nonZeroMilliCpu; }

  /** The pods' memory requests with the scheduler's defaults for none: {@code nonZeroRequested().memory}. */
  public long nonZeroMemory() { return nonZeroMemory; }

  /** The node, or null for a node known only from pods bound to it. */
  public Node node() { return node; }

  public String name() { return name; }

  public Map<String, String> labels() { return labels; }

  public List<Taint> taints() { return taints; }

  public boolean unschedulable() { return unschedulable; }

  public Resource allocatable() { return allocatable; }

  public Resource requested() { return requested; }

  public Resource nonZeroRequested() { return nonZeroRequested; }

  public List<PodInfo> pods() { return pods; }

  public List<PodInfo> podsWithAffinity() { return podsWithAffinity; }

  public List<PodInfo> podsWithRequiredAntiAffinity() { return podsWithRequiredAntiAffinity; }

  public List<PodInfo.HostPort> usedPorts() { return usedPorts; }

  public long generation() { return generation; }

  public void setGeneration(long g) { this.generation = g; }

  public void addPod(PodInfo p) {
    pods.add(p);
    if (p.hasAffinity()) podsWithAffinity.add(p);
    if (!p.requiredAntiAffinity().isEmpty()) podsWithRequiredAntiAffinity.add(p);
    requested.add(p.requests());
    nonZeroRequested.milliCpu += p.nonZeroMilliCpu();
    nonZeroRequested.memory += p.nonZeroMemory();
    usedPorts.addAll(p.hostPorts());
    refreshFree();
  }

  /** Removes the pod with {@code p}'s uid (or key when uids are absent); false when it was not here. */
  public boolean removePod(PodInfo p) {
    for (int i = 0; i < pods.size(); i++) {
      PodInfo cur = pods.get(i);
      if (same(cur, p)) {
        pods.remove(i);
        podsWithAffinity.removeIf(x -> same(x, p));
        podsWithRequiredAntiAffinity.removeIf(x -> same(x, p));
        requested.subtract(cur.requests());
        nonZeroRequested.milliCpu -= cur.nonZeroMilliCpu();
        nonZeroRequested.memory -= cur.nonZeroMemory();
        for (PodInfo.HostPort hp : cur.hostPorts()) usedPorts.remove(hp);
        refreshFree();
        return true;
      }
    }
    return false;
  }

  private static boolean same(PodInfo a, PodInfo b) {
    String ua = a.uid();
    String ub = b.uid();
    return ua != null && ub != null ? ua.equals(ub) : a.key().equals(b.key());
  }

  @Override
  public String toString() { return "NodeInfo{" + name + ", pods=" + pods.size() + ", requested=" + requested + "}"; }
}
