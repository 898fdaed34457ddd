package io.kava.node.sim;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Pod IPs of one node's pod CIDR, as host-local IPAM hands them out: the network address and .1 (the bridge's
 * gateway) and the broadcast address are never given. Keyed by pod (namespace/name/uid). Thread-safe.
 */
public final class IpPool {
  private final Cidr cidr;
  private final BitSet used = new BitSet();
  private final Map<String, Integer> byPod = new HashMap<>();
  private int next = 2;

  public IpPool(Cidr cidr) { this.cidr = cidr; }

  public Cidr cidr() { return cidr; }

  /** The pod's IP, allocating one if it has none; null when the range is full. */
  public synchronized String allocate(String pod) {
    Integer have = byPod.get(pod);
    if (have != null) return Cidr.format(cidr.base() + have);
    int size = (int) Math.min(cidr.size(), 1 << 20);
    int last = size - 2; // the broadcast address is size-1
    for (int tries = 0; tries < size; tries++) {
      int i = next;
      next = next >= last ? 2 : next + 1;
      if (i < 2 || i > last || used.get(i)) continue;
      used.set(i);
      byPod.put(pod, i);
      return Cidr.format(cidr.base() + i);
    }
    return null;
  }

  /** Records an IP a pod already has (after a restart); false when it is not in this range or taken by another pod. */
  public synchronized boolean claim(String pod, String ip) {
    int v;
    try {
      v = Cidr.ip(ip);
    } catch (RuntimeException e) {
      return false;
    }
    if (!cidr.contains(v)) return false;
    int i = v - cidr.base();
    Integer owner = byPod.get(pod);
    if (owner != null) return owner == i;
    if (used.get(i)) return false;
    used.set(i);
    byPod.put(pod, i);
    return true;
  }

  public synchronized void release(String pod) {
    Integer i = byPod.remove(pod);
    if (i != null) used.clear(i);
  }

  public synchronized int inUse() { return byPod.size(); }
}
