package io.kava.node.sim;

/** An IPv4 CIDR block as a 32-bit base and a prefix length. */
public record Cidr(int base, int prefix) {
  public static Cidr parse(String s) {
    String[] parts = s.trim().split("/");
    if (parts.length != 2) throw new IllegalArgumentException("not an IPv4 CIDR: " + s);
    int prefix = Integer.parseInt(parts[1]);
    if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("bad prefix length in " + s);
    int ip = ip(parts[0]);
    int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
    return new Cidr(ip & mask, prefix);
  }

  static int ip(String dotted) {
    String[] o = dotted.split("\\.");
    if (o.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    int v = 0;
    for (String x : o) {
      int b = Integer.parseInt(x);
      if (b < 0 || b > 255) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      v = (v << 8) | b;
    }
    return v;
  }

  public static String format(int ip) { return ((ip >>> 24) & 255) + "." + ((ip >>> 16) & 255) + "." + ((ip >>> 8) & 255) + "." + (ip & 255); }

  public long size() { return 1L << (32 - prefix); }

  public boolean contains(int ip) {
    int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
    return (ip & mask) == base;
  }

  /** How many subnets of {@code subnetPrefix} this block holds. */
  public long subnets(int subnetPrefix) { return subnetPrefix < prefix ? 0 : 1L << (subnetPrefix - prefix); }

  /** The {@code index}-th subnet of length {@code subnetPrefix} (wrapping around when the block is exhausted). */
  public Cidr subnet(long index, int subnetPrefix) {
    long n = subnets(subnetPrefix);
    long i = index % n;
    return new Cidr((int) (base + (i << (32 - subnetPrefix))), subnetPrefix);
  }

  @Override
  public String toString() { return format(base) + "/" + prefix; }
}
