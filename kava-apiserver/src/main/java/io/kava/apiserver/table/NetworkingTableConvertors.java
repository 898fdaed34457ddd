package io.kava.apiserver.table;

import static io.kava.apiserver.table.Nodes.arr;
import static io.kava.apiserver.table.Nodes.at;
import static io.kava.apiserver.table.Nodes.has;
import static io.kava.apiserver.table.Nodes.str;
import static io.kava.apiserver.table.Nodes.strOrNull;
import static io.kava.apiserver.table.RowConvertor.age;
import static io.kava.apiserver.table.RowConvertor.name;
import static io.kava.apiserver.table.RowConvertor.row;
import static io.kava.apiserver.table.RowConvertor.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Printers of networking.k8s.io (Ingress, IngressClass, NetworkPolicy, ServiceCIDR, IPAddress) and
 * discovery.k8s.io (EndpointSlice).
 */
final class NetworkingTableConvertors {
  private NetworkingTableConvertors() {
  }

  static final TableConvertor INGRESS = new RowConvertor(
      List.of(name(),
          str("Class", "The name of the IngressClass resource that should be used for additional configuration"),
          str("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
          str("Address", "Address is a list containing ingress points for the load-balancer"),
          str("Ports", "Ports of TLS configurations that open"),
          age()),
      (o, now) -> {
        String className = strOrNull(o, "spec", "ingressClassName");
        return row(Nodes.name(o),
            className == null ? "<none>" : className,
            formatHosts(arr(o, "spec", "rules")),
            CoreTableConvertors.loadBalancerIngress(at(o, "status", "loadBalancer")),
            Nodes.size(o, "spec", "tls") != 0 ? "80, 443" : "80",
            Nodes.age(o, now));
      });

  /** Up to three rule hosts, "*" when no rule names a host. */
  static String formatHosts(List<JsonNode> rules) {
    List<String> list = new ArrayList<>();
    int max = 3;
    boolean more = false;
    for (JsonNode rule : rules) {
      if (list.size() == max) {
        more = true;
      }
      if (!more && !str(rule, "host").isEmpty()) {
        list.add(str(rule, "host"));
      }
    }
    if (list.isEmpty()) {
      return "*";
    }
    String ret = String.join(",", list);
    if (more) {
      return ret + " + " + (rules.size() - max) + " more...";
    }
    return ret;
  }

  static final TableConvertor INGRESS_CLASS = new RowConvertor(
      List.of(name(),
          str("Controller", "Controller that is responsible for handling this class"),
          str("Parameters", "A reference to a resource with additional parameters"),
          age()),
      (o, now) -> {
        String parameters = "<none>";
        JsonNode p = at(o, "spec", "parameters");
        if (p != null) {
          parameters = str(p, "kind");
          String apiGroup = strOrNull(p, "apiGroup");
          if (apiGroup != null) {
            parameters = parameters + "." + apiGroup;
          }
          parameters = parameters + "/" + str(p, "name");
        }
        return row(Nodes.name(o), str(o, "spec", "controller"), parameters, Nodes.age(o, now));
      });

  static final TableConvertor NETWORK_POLICY = new RowConvertor(
      List.of(name(), str("Pod-Selector", Docs.NETWORK_POLICY_SPEC_POD_SELECTOR), age()),
      (o, now) -> row(Nodes.name(o), Selectors.formatLabelSelector(at(o, "spec", "podSelector")),
          Nodes.age(o, now)));

  static final TableConvertor ENDPOINT_SLICE = new RowConvertor(
      List.of(name(),
          str("AddressType", Docs.ENDPOINT_SLICE_ADDRESS_TYPE),
          str("Ports", Docs.ENDPOINT_SLICE_PORTS),
          str("Endpoints", Docs.ENDPOINT_SLICE_ENDPOINTS),
          age()),
      (o, now) -> row(Nodes.name(o), str(o, "addressType"), formatDiscoveryPorts(arr(o, "ports")),
          formatDiscoveryEndpoints(arr(o, "endpoints")), Nodes.age(o, now)));

  static String formatDiscoveryPorts(List<JsonNode> ports) {
    List<String> list = new ArrayList<>();
    int max = 3;
    boolean more = false;
    int count = 0;
    for (JsonNode port : ports) {
      if (list.size() < max) {
        String portNum = "*";
        if (has(port, "port")) {
          portNum = Long.toString(Nodes.lng(port, "port"));
        } else if (has(port, "name")) {
          portNum = str(port, "name");
        }
        list.add(portNum);
      } else if (list.size() == max) {
        more = true;
      }
      count++;
    }
    return Nodes.listWithMore(list, more, count, max);
  }

  static String formatDiscoveryEndpoints(List<JsonNode> endpoints) {
    List<String> list = new ArrayList<>();
    int max = 3;
    boolean more = false;
    int count = 0;
    for (JsonNode endpoint : endpoints) {
      for (JsonNode address : arr(endpoint, "addresses")) {
        if (list.size() < max) {
          list.add(Nodes.text(address));
        } else if (list.size() == max) {
          more = true;
        }
        count++;
      }
    }
    return Nodes.listWithMore(list, more, count, max);
  }

  static final TableConvertor SERVICE_CIDR = new RowConvertor(
      List.of(name(), str("CIDRs", Docs.SERVICE_CIDR_SPEC_CIDRS), age()),
      (o, now) -> {
        List<String> cidrs = new ArrayList<>();
        for (JsonNode c : arr(o, "spec", "cidrs")) {
          cidrs.add(Nodes.text(c));
        }
        return row(Nodes.name(o), String.join(",", cidrs), Nodes.age(o, now));
      });

  /** Upstream declares two columns for IP addresses (and computes an age it does not show). */
  static final TableConvertor IP_ADDRESS = new RowConvertor(
      List.of(name(), str("ParentRef", Docs.IP_ADDRESS_SPEC_PARENT_REF)),
      (o, now) -> {
        String parent = "<none>";
        JsonNode ref = at(o, "spec", "parentRef");
        if (ref != null) {
          String group = str(ref, "group");
          String resource = str(ref, "resource");
          parent = (group.isEmpty() ? resource : resource + "." + group).toLowerCase(Locale.ROOT);
          if (!str(ref, "namespace").isEmpty()) {
            parent += "/" + str(ref, "namespace");
          }
          parent += "/" + str(ref, "name");
        }
        return row(Nodes.name(o), parent);
      });
}
