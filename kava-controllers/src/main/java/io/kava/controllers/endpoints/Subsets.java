package io.kava.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Endpoints subsets as immutable values: built from pods, packed the way the API expects (upstream's RepackSubsets:
 * each distinct set of addresses once, with every port it serves), sorted so that equal contents compare equal, and
 * converted to and from fabric8's model. Comparing values rather than model objects keeps fields a round trip
 * through the API may drop (empty lists, a targetRef's resourceVersion) from looking like changes.
 */
public final class Subsets {
  private Subsets() {}

  public record TargetRef(String kind, String namespace, String name, String uid) {}

  public record Address(String ip, String hostname, String nodeName, TargetRef targetRef) {
    String key() { return ip + "/" + (targetRef == null ? "" : targetRef.uid()); }
  }

  public record Port(String name, int port, String protocol, String appProtocol) {}

  public record Subset(List<Address> addresses, List<Address> notReadyAddresses, List<Port> ports) {
    public Subset {
      addresses = List.copyOf(addresses);
      notReadyAddresses = List.copyOf(notReadyAddresses);
      ports = List.copyOf(ports);
    }

    int size() { return addresses.size() + notReadyAddresses.size(); }
  }

  static final Comparator<Address> ADDRESS_ORDER = Comparator.comparing(Address::ip)
      .thenComparing(a -> a.targetRef() == null || a.targetRef().uid() == null ? "" : a.targetRef().uid());
  static final Comparator<Port> PORT_ORDER = Comparator.comparing((Port p) -> p.name() == null ? "" : p.name())
      .thenComparingInt(Port::port).thenComparing(p -> p.protocol() == null ? "" : p.protocol());
  private static final Comparator<Subset> SUBSET_ORDER = Comparator.comparing(Subsets::sortKey);

  /** One address with one port (null: a headless Service without ports), as a single-address subset. */
  public static Subset single(Address a, Port port, boolean ready) {
    List<Port> ports = port == null ? List.of() : List.of(port);
    return ready ? new Subset(List.of(a), List.of(), ports) : new Subset(List.of(), List.of(a), ports);
  }

  /**
   * Groups addresses by the exact set of ports they serve: an address is ready for a port if any input says so.
   * The result is sorted (addresses by IP, then pod uid; ports by name, number, protocol; subsets by content).
   */
  public static List<Subset> repack(List<Subset> in) {
    // Port (or the no-port sentinel, null key in a TreeMap is not allowed so use Optional-like wrapper) to addresses.
    Map<PortKey, Map<String, Entry>> byPort = new LinkedHashMap<>();
    for (Subset s : in) {
      if (s.ports().isEmpty()) {
        mapAddresses(s, PortKey.NONE, byPort);
      } else {
        for (Port p : s.ports()) mapAddresses(s, new PortKey(p), byPort);
      }
    }
    // Address sets (as a canonical string) to the ports serving exactly that set.
    Map<String, List<Entry>> setByKey = new TreeMap<>();
    Map<String, List<Port>> portsByKey = new TreeMap<>();
    for (Map.Entry<PortKey, Map<String, Entry>> e : byPort.entrySet()) {
      List<Entry> entries = new ArrayList<>(e.getValue().values());
      entries.sort(Comparator.comparing(x -> x.address, ADDRESS_ORDER));
      StringBuilder k = new StringBuilder();
      for (Entry x : entries) k.append(x.address.key()).append(x.ready ? "+" : "-").append(',');
      String key = k.toString();
      setByKey.put(key, entries);
      List<Port> ports = portsByKey.computeIfAbsent(key, x -> new ArrayList<>());
      if (e.getKey().port != null) ports.add(e.getKey().port);
    }
    List<Subset> out = new ArrayList<>();
    for (Map.Entry<String, List<Entry>> e : setByKey.entrySet()) {
      List<Address> ready = new ArrayList<>();
      List<Address> notReady = new ArrayList<>();
      for (Entry x : e.getValue()) (x.ready ? ready : notReady).add(x.address);
      List<Port> ports = new ArrayList<>(portsByKey.get(e.getKey()));
      ports.sort(PORT_ORDER);
      out.add(new Subset(ready, notReady, ports));
    }
    out.sort(SUBSET_ORDER);
    return List.copyOf(out);
  }

  private record PortKey(Port port) {
    static final PortKey NONE = new PortKey(null);
  }

  private static final class Entry {
    final Address address;
    boolean ready;

    Entry(Address address, boolean ready) {
      this.address = address;
      this.ready = ready;
    }
  }

  private static void mapAddresses(Subset s, PortKey port, Map<PortKey, Map<String, Entry>> byPort) {
    Map<String, Entry> m = byPort.computeIfAbsent(port, k -> new LinkedHashMap<>());
    for (Address a : s.addresses()) {
      Entry e = m.get(a.key());
      if (e == null) m.put(a.key(), new Entry(a, true));
      else e.ready = true; // ready wins over not ready
    }
    for (Address a : s.notReadyAddresses()) m.putIfAbsent(a.key(), new Entry(a, false));
  }

  /** Sorts within and across subsets, the form {@link #repack} returns, so stored subsets compare to computed ones. */
  public static List<Subset> normalize(List<Subset> in) {
    List<Subset> out = new ArrayList<>();
    for (Subset s : in) {
      List<Address> a = new ArrayList<>(s.addresses());
      a.sort(ADDRESS_ORDER);
      List<Address> n = new ArrayList<>(s.notReadyAddresses());
      n.sort(ADDRESS_ORDER);
      List<Port> p = new ArrayList<>(s.ports());
      p.sort(PORT_ORDER);
      out.add(new Subset(a, n, p));
    }
    out.sort(SUBSET_ORDER);
    return List.copyOf(out);
  }

  public static int count(List<Subset> subsets) {
    int n = 0;
    for (Subset s : subsets) n += s.size();
    return n;
  }

  /**
   * Cuts subsets down to {@code max} addresses in all (upstream's truncateEndpoints): ready addresses are kept before
   * not-ready ones, and what is kept is shared among subsets in proportion to their size, rounded up.
   *
   * @return the subsets unchanged when they fit
   */
  public static List<Subset> truncate(List<Subset> subsets, int max) {
    int ready = 0;
    int notReady = 0;
    for (Subset s : subsets) {
      ready += s.addresses().size();
      notReady += s.notReadyAddresses().size();
    }
    if (ready + notReady <= max) return subsets;
    boolean truncateReady = ready > max;
    int budget = truncateReady ? max : max - ready;
    int total = truncateReady ? ready : notReady;
    int left = budget;
    List<Subset> out = new ArrayList<>();
    for (Subset s : subsets) {
      int inSubset = truncateReady ? s.addresses().size() : s.notReadyAddresses().size();
      int share = total == 0 ? 0 : (int) Math.ceil((double) inSubset / total * budget);
      share = Math.min(share, left);
      if (truncateReady) {
        List<Address> kept = s.addresses().subList(0, Math.min(share, s.addresses().size()));
        left -= kept.size();
        out.add(new Subset(kept, List.of(), s.ports()));
      } else {
        List<Address> kept = s.notReadyAddresses().subList(0, Math.min(share, s.notReadyAddresses().size()));
        left -= kept.size();
        out.add(new Subset(s.addresses(), kept, s.ports()));
      }
    }
    return List.copyOf(out);
  }

  private static String sortKey(Subset s) {
    StringBuilder b = new StringBuilder();
    for (Port p : s.ports()) b.append(p.name()).append(':').append(p.port()).append('/').append(p.protocol()).append(',');
    b.append('|');
    for (Address a : s.addresses()) b.append(a.key()).append(',');
    b.append('|');
    for (Address a : s.notReadyAddresses()) b.append(a.key()).append(',');
    return b.toString();
  }

  // ---- fabric8 model ----------------------------------------------------------------------------------------------

  public static List<Subset> fromModel(List<EndpointSubset> model) {
    if (model == null) return List.of();
    List<Subset> out = new ArrayList<>();
    for (EndpointSubset s : model) {
      List<Port> ports = new ArrayList<>();
      if (s.getPorts() != null) {
        for (EndpointPort p : s.getPorts()) {
          ports.add(new Port(emptyToNull(p.getName()), p.getPort() == null ? 0 : p.getPort(),
              p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol(), emptyToNull(p.getAppProtocol())));
        }
      }
      out.add(new Subset(addresses(s.getAddresses()), addresses(s.getNotReadyAddresses()), ports));
    }
    return out;
  }

  private static List<Address> addresses(List<EndpointAddress> model) {
    if (model == null) return List.of();
    List<Address> out = new ArrayList<>();
    for (EndpointAddress a : model) {
      ObjectReference r = a.getTargetRef();
      TargetRef ref = r == null ? null : new TargetRef(emptyToNull(r.getKind()), emptyToNull(r.getNamespace()), emptyToNull(r.getName()), emptyToNull(r.getUid()));
      out.add(new Address(a.getIp(), emptyToNull(a.getHostname()), emptyToNull(a.getNodeName()), ref));
    }
    return out;
  }

  public static List<EndpointSubset> toModel(List<Subset> subsets) {
    List<EndpointSubset> out = new ArrayList<>();
    for (Subset s : subsets) {
      EndpointSubset m = new EndpointSubset();
      m.setAddresses(s.addresses().isEmpty() ? null : s.addresses().stream().map(Subsets::toModel).toList());
      m.setNotReadyAddresses(s.notReadyAddresses().isEmpty() ? null : s.notReadyAddresses().stream().map(Subsets::toModel).toList());
      m.setPorts(s.ports().isEmpty() ? null : s.ports().stream().map(p -> {
        EndpointPort ep = new EndpointPort();
        ep.setName(p.name());
        ep.setPort(p.port());
        ep.setProtocol(p.protocol());
        ep.setAppProtocol(p.appProtocol());
        return ep;
      }).toList());
      out.add(m);
    }
    return out;
  }

  private static EndpointAddress toModel(Address a) {
    EndpointAddress m = new EndpointAddress();
    m.setIp(a.ip());
    m.setHostname(a.hostname());
    m.setNodeName(a.nodeName());
    if (a.targetRef() != null) {
      ObjectReference r = new ObjectReference();
      r.setKind(a.targetRef().kind());
      r.setNamespace(a.targetRef().namespace());
      r.setName(a.targetRef().name());
      r.setUid(a.targetRef().uid());
      m.setTargetRef(r);
    }
    return m;
  }

  static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }

  static boolean same(List<Subset> a, List<Subset> b) { return Objects.equals(normalize(a), normalize(b)); }
}
