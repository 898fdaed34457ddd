package io.kava.node.cgroups;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pod cgroups of one node, laid out as the kubelet's (with {@code --cgroups-per-qos} and its {@code --cgroup-root}
 * set to this node's own cgroup, so that two kava nodes on a machine never share one):
 * <pre>
 *   ROOT/kubepods                    cpu.shares and memory limit of the node's allocatable
 *   ROOT/kubepods/pod&lt;uid&gt;           Guaranteed pods
 *   ROOT/kubepods/burstable          cpu.shares: the sum of its pods' cpu requests
 *   ROOT/kubepods/burstable/pod&lt;uid&gt;
 *   ROOT/kubepods/besteffort         cpu.shares: 2
 *   ROOT/kubepods/besteffort/pod&lt;uid&gt;
 * </pre>
 * A pod's cgroup is created with its limits ({@link ResourceConfig#forPod}) before its sandbox, which the runtime
 * then creates below it with the containers (the CRI's {@code cgroup_parent}), and removed once its containers are
 * gone. Thread-safe: pod workers call it concurrently.
 */
public final class PodCgroups {
  private final CgroupFs fs;
  private final String root;
  private final long allocatableMilliCpu;
  private final long allocatableMemory;
  /** The kubelet's --pod-max-pids: the pids.max of every pod cgroup; -1 (or 0) for none. */
  private final long podMaxPids;
  private final ReentrantLock lock = new ReentrantLock();
  /** The cpu requests (milli) of the Burstable pods with a cgroup, and their sum. Guarded by lock. */
  private final Map<String, Long> burstableRequests = new HashMap<>();
  private long burstableSum;
  /** The burstable tier's shares as last written (-1: not yet). Guarded by lock. */
  private long burstableShares = -1;
  /** The pods whose cgroup this node created with its limits since it started. */
  private final java.util.Set<String> ensured = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param root this node's cgroup, e.g. {@code /kava-1a2b3c4d}
   * @param allocatableMilliCpu the node's allocatable cpu, for the kubepods cgroup's shares
   * @param allocatableMemory the node's allocatable memory in bytes, the kubepods cgroup's limit (0: none)
   */
  public PodCgroups(CgroupFs fs, String root, long allocatableMilliCpu, long allocatableMemory) {
    this(fs, root, allocatableMilliCpu, allocatableMemory, UNLIMITED_PIDS);
  }

  /** As kubelet's flag: -1 for no limit. */
  public static final long UNLIMITED_PIDS = -1;

  /** @param podMaxPids the most processes (threads) each pod may have, the kubelet's --pod-max-pids; -1 for no limit */
  public PodCgroups(CgroupFs fs, String root, long allocatableMilliCpu, long allocatableMemory, long podMaxPids) {
    this.podMaxPids = podMaxPids;
    this.fs = fs;
    this.root = root;
    this.allocatableMilliCpu = allocatableMilliCpu;
    this.allocatableMemory = allocatableMemory;
  }

  public String kubepods() { return root + "/kubepods"; }

  /** The QoS tier a pod's cgroup sits in. */
  public String tier(QosClass qos) {
    return switch (qos) {
      case GUARANTEED -> kubepods();
      case BURSTABLE -> kubepods() + "/burstable";
      case BEST_EFFORT -> kubepods() + "/besteffort";
    };
  }

  /** The cgroup of a pod: its QoS tier, then {@code pod<uid>}. */
  public String podCgroup(Pod pod) { return tier(QosClass.of(pod)) + "/pod" + pod.getMetadata().getUid(); }

  /** Creates the QoS tiers (the kubelet's node-allocatable and QoS container managers do this at start). */
  public void ensureTiers() throws IOException {
    fs.ensure(kubepods(), new ResourceConfig(ResourceConfig.milliCpuToShares(allocatableMilliCpu), null, null,
        allocatableMemory > 0 ? allocatableMemory : null));
    fs.ensure(tier(QosClass.BEST_EFFORT), ResourceConfig.shares(ResourceConfig.MIN_SHARES));
    lock.lock();
    try {
      writeBurstableShares();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Creates the pod's cgroup with its limits (idempotent) and accounts its cpu request to the burstable tier.
   *
   * @return the cgroup, the sandbox's {@code cgroup_parent}
   */
  public String ensurePod(Pod pod) throws IOException {
    QosClass qos = QosClass.of(pod);
    String uid = pod.getMetadata().getUid();
    String cgroup = tier(qos) + "/pod" + uid;
    if (ensured.contains(uid) && fs.exists(cgroup)) return cgroup; // every sync asks; the kubelet too checks before it creates
    if (!fs.exists(tier(qos))) ensureTiers(); // removed under us (a node restart that cleaned up, an admin)
    fs.ensure(cgroup, ResourceConfig.forPod(pod, qos).withPidsLimit(podMaxPids));
    if (qos == QosClass.BURSTABLE) {
      long request = ResourceConfig.PodTotals.of(pod).cpuRequestMilli();
      lock.lock();
      try {
        Long old = burstableRequests.put(uid, request);
        burstableSum += request - (old == null ? 0 : old);
        writeBurstableShares();
      } finally {
        lock.unlock();
      }
    }
    ensured.add(uid);
    return cgroup;
  }

  /** Removes a pod's cgroup, whichever tier it is in; its containers must be gone (a cgroup with tasks stays). */
  public void removePod(String uid) {
    ensured.remove(uid);
    for (QosClass q : QosClass.values()) fs.remove(tier(q) + "/pod" + uid);
    lock.lock();
    try {
      Long old = burstableRequests.remove(uid);
      if (old != null) {
        burstableSum -= old;
        writeBurstableShares();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether the pod still has a cgroup in some tier. */
  public boolean hasPod(String uid) {
    for (QosClass q : QosClass.values()) if (fs.exists(tier(q) + "/pod" + uid)) return true;
    return false;
  }

  /** The uids of the pods that have a cgroup here. */
  public List<String> podUids() {
    List<String> out = new ArrayList<>();
    for (QosClass q : QosClass.values()) {
      for (String n : fs.children(tier(q))) if (n.startsWith("pod")) out.add(n.substring(3));
    }
    return out;
  }

  /** Removes this node's whole cgroup tree (after all its pods are stopped). */
  public void removeAll() {
    fs.remove(root);
    ensured.clear();
    lock.lock();
    try {
      burstableRequests.clear();
      burstableSum = 0;
      burstableShares = -1;
    } finally {
      lock.unlock();
    }
  }

  /** Caller holds lock. Writes only a change: every pod start would otherwise write the same value again. */
  private void writeBurstableShares() {
    long shares = ResourceConfig.milliCpuToShares(burstableSum);
    if (shares == burstableShares) return;
    try {
      fs.ensure(tier(QosClass.BURSTABLE), ResourceConfig.shares(shares));
      burstableShares = shares;
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(PodCgroups.class).warn("cannot set the burstable pods' cpu shares: {}", e.getMessage());
    }
  }
}
