package io.kava.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes as one scheduling cycle sees them: NodeInfo copies taken from the cache at the start of the cycle and
 * not changed by informer events while it runs. The cache refreshes only the nodes that changed since the last
 * cycle ({@link #put}, {@link #remove}); the node list is rebuilt only when nodes come or go.
 */
public final class Snapshot {
  private final Map<String, NodeInfo> byName = new HashMap<>();
  private final Map<String, Integer> index = new HashMap<>();
  private List<NodeInfo> list = new ArrayList<>();
  private List<NodeInfo> withAffinity = List.of();
  private List<NodeInfo> withRequiredAntiAffinity = List.of();
  private boolean membershipChanged;
  private boolean affinityChanged;
  /** The cache generation this snapshot reflects (the cache's business). */
  public long generation;

  public Snapshot() {}

  /** A snapshot of fixed NodeInfos (tests). */
  public static Snapshot of(List<NodeInfo> nodes) {
    Snapshot s = new Snapshot();
    for (NodeInfo n : nodes) s.put(n);
    s.finish();
    return s;
  }

  /** All nodes (with a Node object), in a stable order. */
  public List<NodeInfo> list() { return list; }

  public NodeInfo get(String name) { return byName.get(name); }

  public int size() { return list.size(); }

  /** Nodes with at least one pod that has (anti-)affinity terms. */
  public List<NodeInfo> havePodsWithAffinity() { return withAffinity; }

  /** Nodes with at least one pod that has required anti-affinity terms. */
  public List<NodeInfo> havePodsWithRequiredAntiAffinity() { return withRequiredAntiAffinity; }

  // ---- updates, by the cache only, between cycles

  public void put(NodeInfo n) {
    NodeInfo old = byName.put(n.name(), n);
    boolean listed = n.node() != null;
    boolean wasListed = old != null && old.node() != null;
    Integer at = index.get(n.name());
    if (listed && wasListed && at != null) list.set(at, n); // the common case: same node, new pods
    else if (listed || wasListed) membershipChanged = true;
    if (!n.podsWithAffinity().isEmpty() || (old != null && !old.podsWithAffinity().isEmpty())) affinityChanged = true;
  }

  public void remove(String name) {
    NodeInfo old = byName.remove(name);
    if (old != null) {
      membershipChanged = true;
      affinityChanged = true;
    }
  }

  /** Rebuilds the lists after a batch of {@link #put}/{@link #remove} calls, when membership or affinity changed. */
  public void finish() {
    if (membershipChanged) {
      List<NodeInfo> l = new ArrayList<>(byName.size());
      for (NodeInfo n : byName.values()) if (n.node() != null) l.add(n);
      l.sort(java.util.Comparator.comparing(NodeInfo::name));
      list = l;
      index.clear();
      for (int i = 0; i < l.size(); i++) index.put(l.get(i).name(), i);
      affinityChanged = true;
    }
    if (affinityChanged) {
      List<NodeInfo> a = new ArrayList<>();
      List<NodeInfo> aa = new ArrayList<>();
      for (NodeInfo n : list) {
        if (!n.podsWithAffinity().isEmpty()) a.add(n);
        if (!n.podsWithRequiredAntiAffinity().isEmpty()) aa.add(n);
      }
      withAffinity = a;
      withRequiredAntiAffinity = aa;
    }
    membershipChanged = false;
    affinityChanged = false;
  }
}
