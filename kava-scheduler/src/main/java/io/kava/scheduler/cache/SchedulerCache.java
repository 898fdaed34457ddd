package io.kava.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Snapshot;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler's picture of the cluster: a NodeInfo per node with the pods bound to it, kept current by informer
 * events, plus pods the scheduler has "assumed" onto a node (decided, binding in progress) so the next cycles count
 * them before the API confirms. Each change marks its node dirty; {@link #updateSnapshot} copies only dirty nodes
 * into the cycle's snapshot, so the cost of a cycle's refresh is the number of nodes that changed, not the
 * cluster's size.
 *
 * <p>Pods are keyed by uid. A pod bound to a node not (yet) known is kept on a placeholder NodeInfo without a Node,
 * which the snapshot does not list. Thread-safe: informer threads write, the scheduling thread snapshots.
 */
public final class SchedulerCache {
  private static final class PodState {
    PodInfo pod;
    boolean assumed;

    PodState(PodInfo pod, boolean assumed) {
      this.pod = pod;
      this.assumed = assumed;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  // All guarded by lock.
  private final Map<String, NodeInfo> nodes = new HashMap<>();
  private final Map<String, PodState> pods = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private long generation;
  private int nodeCount;

  // -------------------------------------------------------------------------------------------------- nodes

  public void addNode(Node node) { updateNode(node); }

  public void updateNode(Node node) {
    lock.lock();
    try {
      String name = node.getMetadata().getName();
      NodeInfo n = nodes.get(name);
      if (n == null) {
        n = new NodeInfo(name);
        nodes.put(name, n);
      }
      if (n.node() == null) nodeCount++;
      n.setNode(node);
      touch(n);
    } finally {
      lock.unlock();
    }
  }

  public void removeNode(Node node) {
    lock.lock();
    try {
      String name = node.getMetadata().getName();
      NodeInfo n = nodes.get(name);
      if (n == null) return;
      if (n.node() != null) nodeCount--;
      if (n.pods().isEmpty()) nodes.remove(name);
      else n.setNode(null); // pods still bound there keep their entry until they go
      dirty.add(name);
    } finally {
      lock.unlock();
    }
  }

  public int nodeCount() {
    lock.lock();
    try {
      return nodeCount;
    } finally {
      lock.unlock();
    }
  }

  // --------------------------------------------------------------------------------------------------- pods

  /** A pod bound to a node (from the informer); confirms it if it was assumed. */
  public void addPod(PodInfo pod) {
    lock.lock();
    try {
      PodState s = pods.get(pod.uid());
      if (s == null) {
        track(pod, false);
      } else if (s.assumed) {
        confirm(s, pod);
      } else {
        replaceOnNode(s.pod, pod);
        s.pod = pod;
      }
    } finally {
      lock.unlock();
    }
  }

  public void updatePod(PodInfo pod) {
    lock.lock();
    try {
      PodState s = pods.get(pod.uid());
      if (s == null) {
        track(pod, false);
      } else {
        confirm(s, pod);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Starts counting {@code pod} on its node. Lock held. */
  private void track(PodInfo pod, boolean assumed) {
    pods.put(pod.uid(), new PodState(pod, assumed));
    addToNode(pod);
  }

  /**
   * The informer's word on a pod we hold: it is on {@code pod}'s node (another scheduler may have bound it somewhere
   * other than we assumed: move it), no longer assumed. Lock held.
   */
  private void confirm(PodState s, PodInfo pod) {
    if (!s.pod.nodeName().equals(pod.nodeName())) {
      removeFromNode(s.pod);
      addToNode(pod);
    } else {
      replaceOnNode(s.pod, pod);
    }
    s.pod = pod;
    s.assumed = false;
  }

  public void removePod(PodInfo pod) {
    lock.lock();
    try {
      PodState s = pods.remove(pod.uid());
      if (s != null) removeFromNode(s.pod);
    } finally {
      lock.unlock();
    }
  }

  /** The scheduler decided {@code pod} (with spec.nodeName set) goes to its node; count it there from now on. */
  public void assumePod(PodInfo pod) {
    lock.lock();
    try {
      if (pods.containsKey(pod.uid())) throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
      track(pod, true);
    } finally {
      lock.unlock();
    }
  }

  /** Binding failed: undo {@link #assumePod} (unless the informer confirmed the pod meanwhile). */
  public void forgetPod(PodInfo pod) {
    lock.lock();
    try {
      PodState s = pods.get(pod.uid());
      if (s != null && s.assumed) {
        pods.remove(pod.uid());
        removeFromNode(s.pod);
      }
    } finally {
      lock.unlock();
    }
  }

  public boolean isAssumed(String uid) {
    lock.lock();
    try {
      PodState s = pods.get(uid);
      return s != null && s.assumed;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the cache holds the pod (bound or assumed). */
  public boolean contains(String uid) {
    lock.lock();
    try {
      return pods.containsKey(uid);
    } finally {
      lock.unlock();
    }
  }

  // ----------------------------------------------------------------------------------------------- snapshot

  /** Brings {@code snapshot} up to date: copies the nodes that changed since it was last updated. */
  public void updateSnapshot(Snapshot snapshot) {
    lock.lock();
    try {
      for (String name : dirty) {
        NodeInfo n = nodes.get(name);
        if (n == null) snapshot.remove(name);
        else snapshot.put(n.copy());
      }
      dirty.clear();
      snapshot.generation = generation;
    } finally {
      lock.unlock();
    }
    snapshot.finish();
  }

  private void addToNode(PodInfo pod) {
    NodeInfo n = nodes.computeIfAbsent(pod.nodeName(), NodeInfo::new);
    n.addPod(pod);
    touch(n);
  }

  private void removeFromNode(PodInfo pod) {
    NodeInfo n = nodes.get(pod.nodeName());
    if (n == null) return;
    n.removePod(pod);
    touch(n);
    if (n.node() == null && n.pods().isEmpty()) nodes.remove(n.name());
  }

  private void replaceOnNode(PodInfo old, PodInfo pod) {
    NodeInfo n = nodes.get(old.nodeName());
    if (n == null) {
      addToNode(pod);
      return;
    }
    n.removePod(old);
    n.addPod(pod);
    touch(n);
  }

  private void touch(NodeInfo n) {
    n.setGeneration(++generation);
    dirty.add(n.name());
  }
}
