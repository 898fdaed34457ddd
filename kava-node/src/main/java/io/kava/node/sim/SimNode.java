package io.kava.node.sim;

/**
 * One simulated node: its name, index, addresses and pod IP pool. The pool is the node's only mutable state; it is
 * thread-safe.
 */
public record SimNode(String name, int index, String hostIp, Cidr podCidr, IpPool pool) {
  /** Node IPs come from 172.16.0.0/12, one per index (up to about a million nodes). */
  static final int NODE_IP_BASE = Cidr.ip("172.16.0.0");

  static SimNode create(String name, int index, Cidr podCidr) {
    return new SimNode(name, index, Cidr.format(NODE_IP_BASE + index + 1), podCidr, new IpPool(podCidr));
  }
}
