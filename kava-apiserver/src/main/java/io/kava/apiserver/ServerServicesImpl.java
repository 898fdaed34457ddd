package io.kava.apiserver;

import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ServerServices;
import io.kava.api.validation.FieldError;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * ClusterIP and NodePort allocation. The bitmaps live in memory and are rebuilt from the stored Services at
 * start, so the store stays the only source of truth (one API server writes services at a time).
 */
public final class ServerServicesImpl implements ServerServices {
  /**
   * @param serviceCidr   e.g. 10.96.0.0/12
   * @param nodePortFirst first port of the NodePort range (30000)
   * @param nodePortLast  last port of the NodePort range (32767)
   */
  public record Options(String serviceCidr, int nodePortFirst, int nodePortLast) {
    public static final Options DEFAULT = new Options("10.96.0.0/12", 30000, 32767);
  }

  private final Options options;
  private final Supplier<GenericStore> store;
  private final long networkBase;
  private final int ipCount;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock. Bit i = base + i is allocated.
  private final BitSet ips = new BitSet();
  // Guarded by lock. Bit p - nodePortFirst is allocated.
  private final BitSet ports = new BitSet();

  public ServerServicesImpl(Options options, Supplier<GenericStore> store) {
    this.options = options;
    this.store = store;
    String[] cidr = options.serviceCidr().split("/");
    int prefix = Integer.parseInt(cidr[1]);
    long base = ipToLong(cidr[0]);
    long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    this.networkBase = base & mask;
    this.ipCount = (int) Math.min(1L << (32 - prefix), 1 << 24);
    ips.set(0); // network address
    ips.set(ipCount - 1); // broadcast
  }

  /** The first usable service IP: the `kubernetes` service's ClusterIP. */
  public String firstIp() { return longToIp(networkBase + 1); }

  /** The tenth service IP: the cluster DNS service's ClusterIP (10.96.0.10 by default). */
  public String dnsIp() { return longToIp(networkBase + 10); }

  /** Marks every ClusterIP and NodePort already stored as taken. */
  public void loadAllocations() {
    GenericStore s = store.get();
    ResourceDefinition services = s.registry().byPath("", "v1", "services").orElseThrow();
    lock.lock();
    try {
      for (CachedObject o : s.cache().cache(services.keyPrefix()).all()) {
        JsonNode spec = o.object().path("spec");
        String ip = spec.path("clusterIP").asString("");
        if (!ip.isEmpty() && !ip.equals("None")) {
          long off = offset(ip);
          if (off >= 0) ips.set((int) off);
        }
        for (JsonNode p : spec.path("ports")) {
          int np = p.path("nodePort").asInt(0);
          if (np >= options.nodePortFirst() && np <= options.nodePortLast()) ports.set(np - options.nodePortFirst());
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String allocateClusterIp(String requested, boolean dryRun) {
    lock.lock();
    try {
      if (requested != null) {
        long off = offset(requested);
        if (off <= 0 || off >= ipCount - 1) {
          throw StatusException.invalid("", "Service", "", List.of(FieldError.invalid("spec.clusterIPs", List.of(requested),
              "failed to allocate IP " + requested + ": the provided IP (" + requested + ") is not in the valid range. The range of valid IPs is " + options.serviceCidr())));
        }
        if (ips.get((int) off)) {
          throw StatusException.invalid("", "Service", "", List.of(FieldError.invalid("spec.clusterIPs", List.of(requested),
              "failed to allocate IP " + requested + ": provided IP is already allocated")));
        }
        if (!dryRun) ips.set((int) off);
        return requested;
      }
      // Dynamic allocations prefer the upper band, leaving the lower one for static IPs as upstream does.
      int lowBand = Math.min(Math.max(16, ipCount / 16), 256);
      int free = pick(ips, lowBand, ipCount - 1);
      if (free < 0) free = pick(ips, 1, lowBand);
      if (free < 0) throw new StatusException(500, "InternalError", "Internal error occurred: failed to allocate a serviceIP: range is full");
      if (!dryRun) ips.set(free);
      return longToIp(networkBase + free);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void releaseClusterIp(String ip) {
    long off = offset(ip);
    if (off <= 0 || off >= ipCount - 1) return;
    lock.lock();
    try {
      ips.clear((int) off);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int allocateNodePort(int requested, boolean dryRun) {
    int size = options.nodePortLast() - options.nodePortFirst() + 1;
    lock.lock();
    try {
      if (requested != 0) {
        if (requested < options.nodePortFirst() || requested > options.nodePortLast()) {
          throw StatusException.invalid("", "Service", "", List.of(FieldError.invalid("spec.ports[0].nodePort", requested,
              "provided port is not in the valid range. The range of valid ports is " + options.nodePortFirst() + "-" + options.nodePortLast())));
        }
        if (ports.get(requested - options.nodePortFirst())) {
          throw StatusException.invalid("", "Service", "", List.of(FieldError.invalid("spec.ports[0].nodePort", requested,
              "provided port is already allocated")));
        }
        if (!dryRun) ports.set(requested - options.nodePortFirst());
        return requested;
      }
      int free = pick(ports, 0, size);
      if (free < 0) throw new StatusException(500, "InternalError", "Internal error occurred: failed to allocate a nodePort: range is full");
      if (!dryRun) ports.set(free);
      return options.nodePortFirst() + free;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void releaseNodePort(int port) {
    if (port < options.nodePortFirst() || port > options.nodePortLast()) return;
    lock.lock();
    try {
      ports.clear(port - options.nodePortFirst());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public JsonNode lookup(String group, String plural, String namespace, String name) {
    GenericStore s = store.get();
    return s.registry().byPath(group, group.isEmpty() ? "v1" : versionOf(s, group, plural), plural)
        .map(def -> {
          var cache = s.cache().cache(def.keyPrefix());
          var o = cache.get(def.key(namespace, name));
          if (o == null) {
            // The cache may not have caught up with a write acknowledged just before (a PriorityClass created, then a
            // pod naming it): a miss waits until the cache holds everything committed, then looks again.
            s.awaitConsistent();
            o = cache.get(def.key(namespace, name));
          }
          return o;
        })
        .map(o -> (JsonNode) o.object())
        .orElse(null);
  }

  private volatile io.kava.apiserver.auth.ServiceAccountTokens serviceAccountTokens;

  public void serviceAccountTokens(io.kava.apiserver.auth.ServiceAccountTokens tokens) { this.serviceAccountTokens = tokens; }

  @Override
  public io.kava.apiserver.auth.ServiceAccountTokens serviceAccountTokens() { return serviceAccountTokens; }

  private volatile io.kava.apiserver.auth.BearerTokenAuthenticator tokenAuthenticator;

  public void tokenAuthenticator(io.kava.apiserver.auth.BearerTokenAuthenticator a) { this.tokenAuthenticator = a; }

  @Override
  public io.kava.apiserver.auth.BearerTokenAuthenticator tokenAuthenticator() { return tokenAuthenticator; }

  @Override
  public List<JsonNode> all(String group, String plural) {
    GenericStore s = store.get();
    return s.registry().byPath(group, group.isEmpty() ? "v1" : versionOf(s, group, plural), plural).map(def -> {
      List<CachedObject> now = List.copyOf(s.cache().cache(def.keyPrefix()).all());
      Parsed last = parsed.get(def.keyPrefix());
      if (last != null && last.isParsedFrom(now)) return last.objects();
      Parsed fresh = new Parsed(now, now.stream().map(o -> (JsonNode) o.object()).toList());
      parsed.put(def.keyPrefix(), fresh);
      return fresh.objects();
    }).orElse(List.of());
  }

  /**
   * The trees {@link #all} last returned for a resource and the cached objects they were parsed from: every pod create
   * asks for all PriorityClasses (the global default), which change rarely, so they are parsed again only when one of
   * them did (a cached object is immutable; a write replaces it).
   */
  private record Parsed(List<CachedObject> from, List<JsonNode> objects) {
    boolean isParsedFrom(List<CachedObject> now) {
      if (now.size() != from.size()) return false;
      for (int i = 0; i < now.size(); i++) if (now.get(i) != from.get(i)) return false;
      return true;
    }
  }

  private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

  private static String versionOf(GenericStore s, String group, String plural) {
    return s.registry().versions(group).stream().findFirst().orElse("v1");
  }

  /** A random free bit in [from, to), scanning forward from a random start. */
  private static int pick(BitSet set, int from, int to) {
    if (from >= to) return -1;
    int start = from + ThreadLocalRandom.current().nextInt(to - from);
    int i = set.nextClearBit(start);
    if (i < to) return i;
    i = set.nextClearBit(from);
    return i < start ? i : -1;
  }

  private long offset(String ip) {
    try {
      long v = ipToLong(ip);
      long off = v - networkBase;
      return off >= 0 && off < ipCount ? off : -1;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /** Parses dotted-quad IPv4 text without any name lookup. */
  static long ipToLong(String ip) {
    String[] parts = ip.split("\\.", -1);
    if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + ip);
    long v = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) throw new IllegalArgumentException("not an IPv4 address: " + ip);
      int octet = Integer.parseInt(part);
      if (octet > 255) throw new IllegalArgumentException("not an IPv4 address: " + ip);
      v = (v << 8) | octet;
    }
    return v;
  }

  static String longToIp(long v) {
    return ((v >> 24) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + (v & 0xFF);
  }
}
