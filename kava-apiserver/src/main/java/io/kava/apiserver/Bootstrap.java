package io.kava.apiserver;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import io.kava.apiserver.registry.WriteOptions;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every cluster has from its first second (upstream's bootstrap controller): the system namespaces and the
 * {@code kubernetes} Service in {@code default} pointing at the API server.
 */
final class Bootstrap {
  private static final WriteOptions SYSTEM = new WriteOptions("system:apiserver", false, "kube-apiserver", null);

  private Bootstrap() {}

  static void ensure(GenericStore store, ResourceRegistry registry, String serviceIp, String advertiseAddress, int port) {
    ResourceDefinition ns = registry.byPath("", "v1", "namespaces").orElseThrow();
    for (String name : new String[] {"default", "kube-system", "kube-public", "kube-node-lease"}) {
      if (store.find(ns, null, name).isEmpty()) {
        ObjectNode o = Json.object();
        o.put("apiVersion", "v1");
        o.put("kind", "Namespace");
        o.putObject("metadata").put("name", name);
        createIgnoringExisting(store, ns, null, o);
      }
    }
    // The two system PriorityClasses every cluster has.
    ResourceDefinition pcs = registry.byPath("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();
    for (Object[] pc : new Object[][] {{"system-node-critical", 2000001000, "Used for system critical pods that must not be moved from their current node."},
        {"system-cluster-critical", 2000000000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."}}) {
      if (store.find(pcs, null, (String) pc[0]).isEmpty()) {
        ObjectNode o = Json.object();
        o.put("apiVersion", "scheduling.k8s.io/v1");
        o.put("kind", "PriorityClass");
        o.putObject("metadata").put("name", (String) pc[0]);
        o.put("value", (Integer) pc[1]);
        o.put("description", (String) pc[2]);
        o.put("preemptionPolicy", "PreemptLowerPriority");
        createIgnoringExisting(store, pcs, null, o);
      }
    }
    ResourceDefinition svc = registry.byPath("", "v1", "services").orElseThrow();
    if (store.find(svc, "default", "kubernetes").isEmpty()) {
      ObjectNode s = Json.object();
      s.put("apiVersion", "v1");
      s.put("kind", "Service");
      ObjectNode meta = s.putObject("metadata");
      meta.put("name", "kubernetes");
      meta.put("namespace", "default");
      ObjectNode labels = meta.putObject("labels");
      labels.put("component", "apiserver");
      labels.put("provider", "kubernetes");
      ObjectNode spec = s.putObject("spec");
      spec.put("type", "ClusterIP");
      spec.put("clusterIP", serviceIp);
      ObjectNode p = spec.putArray("ports").addObject();
      p.put("name", "https");
      p.put("port", 443);
      p.put("protocol", "TCP");
      p.put("targetPort", port);
      createIgnoringExisting(store, svc, "default", s);
    }
    // Endpoints may not point at loopback (upstream validation); a server bound to 127.0.0.1 has no endpoint
    // pods could use, so the Service stays without one until the node's network provides an address.
    if (advertiseAddress.startsWith("127.") || advertiseAddress.equals("::1")) return;
    ResourceDefinition ep = registry.byPath("", "v1", "endpoints").orElseThrow();
    ObjectNode e = Json.object();
    e.put("apiVersion", "v1");
    e.put("kind", "Endpoints");
    ObjectNode em = e.putObject("metadata");
    em.put("name", "kubernetes");
    em.put("namespace", "default");
    em.putObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
    ObjectNode subset = e.putArray("subsets").addObject();
    subset.putArray("addresses").addObject().put("ip", advertiseAddress);
    ObjectNode port0 = subset.putArray("ports").addObject();
    port0.put("name", "https");
    port0.put("port", port);
    port0.put("protocol", "TCP");
    if (store.find(ep, "default", "kubernetes").isEmpty()) {
      createIgnoringExisting(store, ep, "default", e);
    } else {
      store.guaranteedUpdate(ep, "default", "kubernetes", "", SYSTEM, current -> {
        current.set("subsets", e.get("subsets"));
        return current;
      }, null);
    }
  }

  private static void createIgnoringExisting(GenericStore store, ResourceDefinition def, String ns, ObjectNode o) {
    try {
      store.create(def, ns, o, SYSTEM);
    } catch (StatusException ex) {
      if (ex.code() != 409) throw ex;
    }
  }
}
