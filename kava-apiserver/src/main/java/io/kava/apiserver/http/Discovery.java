package io.kava.apiserver.http;

import io.kava.api.json.Json;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The legacy discovery documents (/api, /apis, /apis/{group}, /api/v1, /apis/{group}/{version}), built once per
 * registry change and served as bytes.
 */
public final class Discovery {
  static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final ResourceRegistry registry;
  private volatile Map<String, byte[]> documents = Map.of();

  public Discovery(ResourceRegistry registry) {
    this.registry = registry;
    rebuild();
    registry.onChange(this::rebuild);
  }

  /** The document for a discovery path, or null when the path is not a discovery path. */
  public byte[] document(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return documents.get(p);
  }

  /** An aggregated discovery answer: its content type and bytes. */
  public record Aggregated(String contentType, byte[] body) {}

  /**
   * For /api and /apis, the aggregated document (apidiscovery.k8s.io v2 or v2beta1) when the Accept header asks for
   * one; null when the client wants the legacy form. One request then replaces one per group-version.
   */
  public Aggregated aggregated(String path, String accept) {
    if (accept == null || !accept.contains("apidiscovery.k8s.io")) return null;
    if (!path.equals("/api") && !path.equals("/apis")) return null;
    for (MediaTypes.MediaRange r : MediaTypes.parseAccept(accept)) {
      if (!"APIGroupDiscoveryList".equals(r.param("as")) || !"apidiscovery.k8s.io".equals(r.param("g"))) continue;
      String v = r.param("v");
      if (!"v2".equals(v) && !"v2beta1".equals(v)) continue;
      byte[] body = documents.get("aggregated:" + v + ":" + path);
      return new Aggregated("application/json;g=apidiscovery.k8s.io;v=" + v + ";as=APIGroupDiscoveryList", body);
    }
    return null;
  }

  private synchronized void rebuild() {
    Map<String, byte[]> docs = new HashMap<>();
    ObjectNode api = Json.object();
    api.put("kind", "APIVersions");
    ArrayNode coreVersions = api.putArray("versions");
    registry.versions("").forEach(coreVersions::add);
    ObjectNode addr = api.putArray("serverAddressByClientCIDRs").addObject();
    addr.put("clientCIDR", "0.0.0.0/0");
    addr.put("serverAddress", "");
    docs.put("/api", Json.bytes(api));
    for (String v : registry.versions("")) docs.put("/api/" + v, Json.bytes(resourceList("", v)));

    ObjectNode groupList = Json.object();
    groupList.put("kind", "APIGroupList");
    groupList.put("apiVersion", "v1");
    ArrayNode groups = groupList.putArray("groups");
    for (String g : registry.groups()) {
      if (g.isEmpty()) continue;
      ObjectNode group = group(g);
      groups.add(group);
      ObjectNode single = group.deepCopy();
      single.put("kind", "APIGroup");
      single.put("apiVersion", "v1");
      docs.put("/apis/" + g, Json.bytes(single));
      for (String v : registry.versions(g)) docs.put("/apis/" + g + "/" + v, Json.bytes(resourceList(g, v)));
    }
    docs.put("/apis", Json.bytes(groupList));
    for (String v : List.of("v2", "v2beta1")) {
      docs.put("aggregated:" + v + ":/api", Json.bytes(aggregatedList(v, true)));
      docs.put("aggregated:" + v + ":/apis", Json.bytes(aggregatedList(v, false)));
    }
    documents = Map.copyOf(docs);
  }

  private ObjectNode group(String g) {
    ObjectNode group = Json.object();
    group.put("name", g);
    ArrayNode versions = group.putArray("versions");
    List<String> vs = registry.versions(g);
    for (String v : vs) {
      ObjectNode gv = versions.addObject();
      gv.put("groupVersion", g + "/" + v);
      gv.put("version", v);
    }
    ObjectNode preferred = group.putObject("preferredVersion");
    preferred.put("groupVersion", g + "/" + vs.get(0));
    preferred.put("version", vs.get(0));
    return group;
  }

  private ObjectNode resourceList(String group, String version) {
    ObjectNode list = Json.object();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (ResourceDefinition d : registry.resources(group, version)) {
      ObjectNode r = resources.addObject();
      r.put("name", d.plural());
      r.put("singularName", d.singular());
      r.put("namespaced", d.namespaced());
      r.put("kind", d.kind());
      ArrayNode verbs = r.putArray("verbs");
      if (d.strategy().stored()) ALL_VERBS.forEach(verbs::add);
      else verbs.add("create");
      if (!d.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        d.shortNames().forEach(sn::add);
      }
      if (!d.categories().isEmpty()) {
        ArrayNode cats = r.putArray("categories");
        d.categories().forEach(cats::add);
      }
      for (String sub : d.subresources().stream().sorted().toList()) {
        ObjectNode s = resources.addObject();
        s.put("name", d.plural() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", d.namespaced());
        io.kava.apiserver.registry.CreateOnly createOnly = d.strategy().createOnly().get(sub);
        if (createOnly != null) {
          if (!createOnly.group().equals(group)) s.put("group", createOnly.group());
          if (!createOnly.version().equals(version) || !createOnly.group().equals(group)) s.put("version", createOnly.version());
          s.put("kind", createOnly.kind());
          verbs(s, "create");
          continue;
        }
        switch (sub) {
          case "scale" -> {
            s.put("group", "autoscaling");
            s.put("version", "v1");
            s.put("kind", "Scale");
            verbs(s, "get", "patch", "update");
          }
          case "binding" -> {
            s.put("kind", "Binding");
            verbs(s, "create");
          }
          case "status" -> {
            s.put("kind", d.kind());
            verbs(s, "get", "patch", "update");
          }
          case "eviction" -> {
            s.put("group", "policy");
            s.put("version", "v1");
            s.put("kind", "Eviction");
            verbs(s, "create");
          }
          case "log" -> {
            s.put("kind", "Pod");
            verbs(s, "get");
          }
          case "exec", "attach", "portforward" -> {
            s.put("kind", sub.equals("exec") ? "PodExecOptions" : sub.equals("attach") ? "PodAttachOptions" : "PodPortForwardOptions");
            verbs(s, "create", "get");
          }
          case "proxy" -> {
            s.put("kind", d.kind().equals("Pod") ? "PodProxyOptions" : d.kind().equals("Node") ? "NodeProxyOptions" : "ServiceProxyOptions");
            verbs(s, "create", "delete", "get", "patch", "update");
          }
          default -> {
            s.put("kind", d.kind());
            verbs(s, "get");
          }
        }
      }
    }
    if (group.isEmpty() && version.equals("v1")) {
      ObjectNode b = resources.addObject();
      b.put("name", "bindings");
      b.put("singularName", "binding");
      b.put("namespaced", true);
      b.put("kind", "Binding");
      verbs(b, "create");
    }
    return list;
  }

  private ObjectNode aggregatedList(String version, boolean core) {
    ObjectNode list = Json.object();
    list.put("kind", "APIGroupDiscoveryList");
    list.put("apiVersion", "apidiscovery.k8s.io/" + version);
    list.putObject("metadata");
    ArrayNode items = list.putArray("items");
    for (String g : registry.groups()) {
      if (g.isEmpty() != core) continue;
      ObjectNode item = items.addObject();
      ObjectNode meta = item.putObject("metadata");
      if (!g.isEmpty()) meta.put("name", g);
      ArrayNode versions = item.putArray("versions");
      for (String v : registry.versions(g)) {
        ObjectNode gv = versions.addObject();
        gv.put("version", v);
        ArrayNode resources = gv.putArray("resources");
        for (ObjectNode legacy : legacyResources(g, v)) {
          String name = legacy.path("name").asString();
          if (name.contains("/")) continue;
          ObjectNode r = resources.addObject();
          r.put("resource", name);
          r.set("responseKind", kindRef(legacy, g, v));
          r.put("scope", legacy.path("namespaced").asBoolean() ? "Namespaced" : "Cluster");
          r.put("singularResource", legacy.path("singularName").asString());
          r.set("verbs", legacy.get("verbs"));
          if (legacy.has("shortNames")) r.set("shortNames", legacy.get("shortNames"));
          if (legacy.has("categories")) r.set("categories", legacy.get("categories"));
          ArrayNode subs = Json.NODES.arrayNode();
          for (ObjectNode s : legacyResources(g, v)) {
            String sn = s.path("name").asString();
            if (!sn.startsWith(name + "/")) continue;
            ObjectNode sub = subs.addObject();
            sub.put("subresource", sn.substring(name.length() + 1));
            sub.set("responseKind", kindRef(s, g, v));
            sub.set("verbs", s.get("verbs"));
          }
          if (!subs.isEmpty()) r.set("subresources", subs);
        }
        gv.put("freshness", "Current");
      }
    }
    return list;
  }

  private List<ObjectNode> legacyResources(String group, String version) {
    List<ObjectNode> out = new java.util.ArrayList<>();
    resourceList(group, version).path("resources").forEach(n -> out.add((ObjectNode) n));
    return out;
  }

  private static ObjectNode kindRef(ObjectNode legacy, String group, String version) {
    ObjectNode k = Json.object();
    k.put("group", legacy.has("group") ? legacy.path("group").asString() : group);
    k.put("version", legacy.has("version") ? legacy.path("version").asString() : version);
    k.put("kind", legacy.path("kind").asString());
    return k;
  }

  private static void verbs(ObjectNode r, String... verbs) {
    ArrayNode a = r.putArray("verbs");
    for (String v : verbs) a.add(v);
  }
}
