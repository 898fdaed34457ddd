package io.kava.apiserver.http;

import java.util.ArrayList;
import java.util.List;

/**
 * What a request path means (upstream's RequestInfoFactory): a resource request with its group, version,
 * namespace, resource, name and subresource, or a non-resource path such as /healthz.
 *
 * @param verb get, list, watch, create, update, patch, delete, deletecollection (or the HTTP method lowercased
 *             for non-resource paths)
 */
public record RequestInfo(boolean resourceRequest, String path, String verb, String apiPrefix, String group, String version,
                          String namespace, String resource, String name, String subresource, List<String> parts) {

  /** Parses {@code path} (without query) for {@code method}; {@code watchParam} is the ?watch= query value. */
  public static RequestInfo parse(String method, String path, boolean watchParam) {
    List<String> parts = split(path);
    String lower = method.toLowerCase();
    if (parts.isEmpty() || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
      return nonResource(path, lower, parts);
    }
    String prefix = parts.get(0);
    int i = 1;
    String group = "";
    if (prefix.equals("apis")) {
      if (parts.size() < 3) return nonResource(path, lower, parts); // /apis, /apis/group
      group = parts.get(i++);
    } else if (parts.size() < 2) {
      return nonResource(path, lower, parts); // /api
    }
    String version = parts.get(i++);
    List<String> rest = parts.subList(i, parts.size());
    if (rest.isEmpty()) return nonResource(path, lower, parts); // /api/v1, /apis/g/v: discovery
    boolean watchPath = false;
    if (rest.get(0).equals("watch")) {
      watchPath = true;
      rest = rest.subList(1, rest.size());
    }
    String namespace = null;
    if (rest.size() >= 1 && rest.get(0).equals("namespaces")) {
      if (rest.size() > 1) {
        namespace = rest.get(1);
        // /namespaces/{name}/status and /finalize are subresources of the namespace itself, not a resource in it.
        if (rest.size() > 2 && !rest.get(2).equals("status") && !rest.get(2).equals("finalize")) {
          rest = rest.subList(2, rest.size());
        }
      }
    }
    String resource = rest.isEmpty() ? "" : rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : null;
    String sub = rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : "";
    if (resource.equals("namespaces") && namespace != null && name != null && name.equals(namespace)) {
      // /api/v1/namespaces/foo(/status): the namespace object; it has no namespace of its own.
      namespace = null;
    }
    String verb = switch (lower) {
      case "get", "head" -> name == null ? (watchPath || watchParam ? "watch" : "list") : (watchPath ? "watch" : "get");
      case "post" -> "create";
      case "put" -> "update";
      case "patch" -> "patch";
      case "delete" -> name == null ? "deletecollection" : "delete";
      default -> lower;
    };
    return new RequestInfo(true, path, verb, prefix, group, version, namespace, resource, name, sub, parts);
  }

  private static RequestInfo nonResource(String path, String verb, List<String> parts) {
    return new RequestInfo(false, path, verb, "", "", "", null, "", null, "", parts);
  }

  private static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) if (!p.isEmpty()) parts.add(p);
    return parts;
  }
}
