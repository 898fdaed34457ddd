package io.kava.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * EndpointSlice contents as immutable values, so that what the controller wants and what the cache holds compare by
 * content (a round trip through the API may turn an empty list into none, or add a targetRef's resourceVersion).
 */
final class SliceModel {
  private SliceModel() {}

  record TargetRef(String kind, String namespace, String name, String uid) {}

  /** One endpoint of a slice; booleans are null when unset. */
  record Ep(List<String> addresses, Boolean ready, Boolean serving, Boolean terminating, String hostname, String nodeName,
            String zone, TargetRef targetRef) {
    Ep {
      addresses = List.copyOf(addresses);
    }

    /** Identity within a slice: the first address and the pod it belongs to. */
    String key() {
      return (addresses.isEmpty() ? "" : addresses.getFirst()) + "/" + (targetRef == null || targetRef.uid() == null ? "" : targetRef.uid());
    }
  }

  record SlicePort(String name, Integer port, String protocol, String appProtocol) {}

  static final Comparator<SlicePort> PORT_ORDER = Comparator.comparing((SlicePort p) -> p.name() == null ? "" : p.name())
      .thenComparing(p -> p.port() == null ? 0 : p.port()).thenComparing(p -> p.protocol() == null ? "" : p.protocol());

  /** Ports in a canonical order: slices serving the same ports belong to the same group whatever order they list. */
  static List<SlicePort> sorted(List<SlicePort> ports) {
    List<SlicePort> s = new ArrayList<>(ports);
    s.sort(PORT_ORDER);
    return List.copyOf(s);
  }

  /** The group a slice belongs to: address type and (sorted) ports. */
  record Group(String addressType, List<SlicePort> ports) {
    Group {
      ports = sorted(ports);
    }
  }

  /** A cached slice as the reconciler sees it. */
  record Existing(String name, String addressType, List<SlicePort> ports, List<Ep> endpoints, Map<String, String> labels,
                  String ownerUid, EndpointSlice model) {
    Group group() { return new Group(addressType, ports); }
  }

  static Existing fromModel(EndpointSlice s) {
    List<SlicePort> ports = new ArrayList<>();
    if (s.getPorts() != null) {
      for (EndpointPort p : s.getPorts()) {
        ports.add(new SlicePort(emptyToNull(p.getName()), p.getPort(), p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol(),
            emptyToNull(p.getAppProtocol())));
      }
    }
    List<Ep> eps = new ArrayList<>();
    if (s.getEndpoints() != null) {
      for (Endpoint e : s.getEndpoints()) eps.add(fromModel(e));
    }
    String owner = null;
    if (s.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference r : s.getMetadata().getOwnerReferences()) {
        if (Boolean.TRUE.equals(r.getController()) && "Service".equals(r.getKind())) owner = r.getUid();
      }
    }
    return new Existing(s.getMetadata().getName(), s.getAddressType(), ports, eps,
        s.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(s.getMetadata().getLabels()), owner, s);
  }

  static Ep fromModel(Endpoint e) {
    EndpointConditions c = e.getConditions();
    ObjectReference r = e.getTargetRef();
    return new Ep(e.getAddresses() == null ? List.of() : e.getAddresses(),
        c == null ? null : c.getReady(), c == null ? null : c.getServing(), c == null ? null : c.getTerminating(),
        emptyToNull(e.getHostname()), emptyToNull(e.getNodeName()), emptyToNull(e.getZone()),
        r == null ? null : new TargetRef(emptyToNull(r.getKind()), emptyToNull(r.getNamespace()), emptyToNull(r.getName()), emptyToNull(r.getUid())));
  }

  static Endpoint toModel(Ep e) {
    Endpoint m = new Endpoint();
    m.setAddresses(new ArrayList<>(e.addresses()));
    EndpointConditions c = new EndpointConditions();
    c.setReady(e.ready());
    c.setServing(e.serving());
    c.setTerminating(e.terminating());
    m.setConditions(c);
    m.setHostname(e.hostname());
    m.setNodeName(e.nodeName());
    m.setZone(e.zone());
    if (e.targetRef() != null) {
      ObjectReference r = new ObjectReference();
      r.setKind(e.targetRef().kind());
      r.setNamespace(e.targetRef().namespace());
      r.setName(e.targetRef().name());
      r.setUid(e.targetRef().uid());
      m.setTargetRef(r);
    }
    return m;
  }

  static EndpointPort toModel(SlicePort p) {
    EndpointPort m = new EndpointPort();
    m.setName(p.name());
    m.setPort(p.port());
    m.setProtocol(p.protocol());
    m.setAppProtocol(p.appProtocol());
    return m;
  }

  static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
