package io.kava.apiserver.openapi;

import io.kava.apiserver.patch.PatchMeta;
import io.kava.apiserver.registry.ResourceDefinition;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code paths} of the OpenAPI documents: every endpoint of every resource, with the operations, parameters and
 * extensions ({@code x-kubernetes-action}, {@code x-kubernetes-group-version-kind}) upstream publishes. kubectl reads
 * them: the PATCH operation of a kind tells whether the server accepts {@code fieldValidation} (server-side field
 * validation) and whether it accepts strategic merge patch.
 *
 * <p>Schemas are referenced in v2 form ({@code #/definitions/}); {@link OpenApiDocuments} rewrites them for v3.
 */
final class Paths {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  static final List<String> PRODUCES = List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf");
  static final List<String> PRODUCES_LIST = List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf",
      "application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch");
  static final List<String> PATCH_TYPES = List.of("application/apply-patch+yaml", "application/json-patch+json",
      "application/merge-patch+json", "application/strategic-merge-patch+json");
  static final List<String> PATCH_TYPES_CUSTOM = List.of("application/apply-patch+yaml", "application/json-patch+json",
      "application/merge-patch+json");

  /** Names the definitions a path refers to, and how a kind without a Java model is named. */
  interface Schemas {
    /** The definition of a kind (e.g. {@code io.k8s.api.core.v1.Pod}). */
    String kind(String group, String version, String kind);

    /** Records that a document refers to a definition. */
    void use(String definition);
  }

  private record Param(String name, String in, String type, String description, boolean required) {}

  private static final Param PRETTY = q("pretty", "string", "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).");
  private static final Param NAMESPACE = new Param("namespace", "path", "string", "object name and auth scope, such as for teams and projects", true);
  private static final Param NAME_TEMPLATE = new Param("name", "path", "string", "name of the %s", true);
  private static final Param DRY_RUN = q("dryRun", "string", "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed");
  private static final Param FIELD_MANAGER = q("fieldManager", "string", "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.");
  private static final Param FIELD_MANAGER_APPLY = q("fieldManager", "string", "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint. This field is required for apply requests (application/apply-patch) but optional for non-apply patch types (JsonPatch, MergePatch, StrategicMergePatch).");
  private static final Param FIELD_VALIDATION = q("fieldValidation", "string", "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.");
  private static final Param FORCE = q("force", "boolean", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.");
  private static final Param GRACE = q("gracePeriodSeconds", "integer", "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.");
  private static final Param IGNORE_STORE_READ_ERROR = q("ignoreStoreReadErrorWithClusterBreakingPotential", "boolean", "if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error. A resource is considered corrupt if it can not be retrieved from the underlying storage successfully because of a) its data can not be transformed e.g. decryption failure, or b) it fails to decode into an object. NOTE: unsafe deletion ignores finalizer constraints, skips precondition checks, and removes the object from the storage. WARNING: This may potentially break the cluster if the workload associated with the resource being unsafe-deleted relies on normal deletion flow. Use only if you REALLY know what you are doing. The default value is false, and the user must opt in to enable it");
  private static final Param ORPHAN = q("orphanDependents", "boolean", "Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the \"orphan\" finalizer will be added to/removed from the object's finalizers list. Either this field or PropagationPolicy may be set, but not both.");
  private static final Param PROPAGATION = q("propagationPolicy", "string", "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.");
  private static final Param ALLOW_BOOKMARKS = q("allowWatchBookmarks", "boolean", "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server's discretion. Clients should not assume bookmarks are returned at any specific interval, nor may they assume the server will send any BOOKMARK event during a session. If this is not a watch, this field is ignored.");
  private static final Param CONTINUE = q("continue", "string", "The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize. This field is not supported when watch is true. Clients may start a watch from the last resourceVersion value returned by the server and not miss any modifications.");
  private static final Param FIELD_SELECTOR = q("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields. Defaults to everything.");
  private static final Param LABEL_SELECTOR = q("labelSelector", "string", "A selector to restrict the list of returned objects by their labels. Defaults to everything.");
  private static final Param LIMIT = q("limit", "integer", "limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results. Setting a limit may return fewer than the requested amount of items (up to zero items) in the event all requested objects are filtered out and clients should only use the presence of the continue field to determine whether more results are available.");
  private static final Param RESOURCE_VERSION = q("resourceVersion", "string", "resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset");
  private static final Param RESOURCE_VERSION_MATCH = q("resourceVersionMatch", "string", "resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset");
  private static final Param SEND_INITIAL_EVENTS = q("sendInitialEvents", "boolean", "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection. Once all such events have been sent, a synthetic \"Bookmark\" event will be sent. The bookmark will report the ResourceVersion (RV) corresponding to the set of objects, and be marked with `\"k8s.io/initial-events-end\": \"true\"` annotation. Afterwards, the watch stream will proceed as usual, sending watch events corresponding to changes (subsequent to the RV) to objects watched.");
  private static final Param TIMEOUT = q("timeoutSeconds", "integer", "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.");
  private static final Param WATCH = q("watch", "boolean", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.");

  private static final List<Param> LIST = List.of(ALLOW_BOOKMARKS, CONTINUE, FIELD_SELECTOR, LABEL_SELECTOR, LIMIT,
      RESOURCE_VERSION, RESOURCE_VERSION_MATCH, SEND_INITIAL_EVENTS, TIMEOUT, WATCH);
  private static final List<Param> WRITE = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION);
  private static final List<Param> PATCH = List.of(DRY_RUN, FIELD_MANAGER_APPLY, FIELD_VALIDATION, FORCE);
  private static final List<Param> DELETE = List.of(DRY_RUN, GRACE, IGNORE_STORE_READ_ERROR, ORPHAN, PROPAGATION);
  private static final List<Param> DELETE_COLLECTION = List.of(CONTINUE, DRY_RUN, FIELD_SELECTOR, GRACE,
      IGNORE_STORE_READ_ERROR, LABEL_SELECTOR, LIMIT, ORPHAN, PROPAGATION, RESOURCE_VERSION, RESOURCE_VERSION_MATCH,
      SEND_INITIAL_EVENTS, TIMEOUT);

  private static Param q(String name, String type, String description) {
    return new Param(name, "query", type, description, false);
  }

  private final boolean v3;
  private final Schemas schemas;
  private final TreeMap<String, ObjectNode> paths = new TreeMap<>();
  /** The tag of the group version whose resource is being described. */
  private String currentTag = "";

  Paths(boolean v3, Schemas schemas) {
    this.v3 = v3;
    this.schemas = schemas;
  }

  /** The paths added so far, sorted. */
  ObjectNode build() {
    ObjectNode out = F.objectNode();
    paths.forEach(out::set);
    return out;
  }

  /** The discovery endpoint of a group version ({@code /apis/apps/v1/}). */
  void groupVersion(String group, String version) {
    String prefix = prefix(group, version);
    ObjectNode item = item(prefix + "/");
    ObjectNode op = F.objectNode();
    op.put("description", "get available resources");
    if (!v3) {
      strings(op, "consumes", List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf"));
      strings(op, "produces", PRODUCES);
    }
    op.put("operationId", "get" + TypeNames.groupWord(group) + TypeNames.capitalize(version) + "APIResources");
    responses(op, PRODUCES, TypeNames.API_RESOURCE_LIST, "200");
    if (!v3) strings(op, "schemes", List.of("https"));
    strings(op, "tags", List.of(TypeNames.tag(group, version)));
    item.set("get", op);
  }

  /** Every endpoint of one resource. */
  void resource(ResourceDefinition r) {
    String g = r.group();
    String v = r.version();
    currentTag = TypeNames.tag(g, v);
    String kindDef = schemas.kind(g, v, r.kind());
    String listDef = schemas.kind(g, v, r.listKind());
    String gv = TypeNames.groupWord(g) + TypeNames.capitalize(v);
    String ns = r.namespaced() ? "Namespaced" : "";
    String prefix = prefix(g, v);
    String collection = (r.namespaced() ? prefix + "/namespaces/{namespace}/" : prefix + "/") + r.plural();
    String object = collection + "/{name}";
    boolean smp = PatchMeta.supports(r.apiVersion(), r.kind());
    Gvk gvk = new Gvk(g, v, r.kind());
    Param name = new Param("name", "path", "string", NAME_TEMPLATE.description().formatted(r.kind()), true);
    List<Param> scope = r.namespaced() ? List.of(NAMESPACE) : List.of();

    // collection: list, create, delete collection
    ObjectNode c = item(collection);
    c.set("get", op("list or watch objects of kind " + r.kind(), "list" + gv + ns + r.kind(), "list", gvk, LIST, null,
        PRODUCES_LIST, listDef, "200"));
    c.set("post", op("create " + article(r.kind()) + " " + r.kind(), "create" + gv + ns + r.kind(), "post", gvk, WRITE,
        body(kindDef, true, null), PRODUCES, kindDef, "200", "201", "202"));
    c.set("delete", op("delete collection of " + r.kind(), "delete" + gv + "Collection" + ns + r.kind(), "deletecollection",
        gvk, DELETE_COLLECTION, body(TypeNames.DELETE_OPTIONS, false, null), PRODUCES, TypeNames.STATUS, "200"));
    pathParams(c, concat(scope, List.of(PRETTY)));

    // one object: read, replace, patch, delete
    ObjectNode o = item(object);
    o.set("get", op("read the specified " + r.kind(), "read" + gv + ns + r.kind(), "get", gvk, List.of(), null, PRODUCES,
        kindDef, "200"));
    o.set("put", op("replace the specified " + r.kind(), "replace" + gv + ns + r.kind(), "put", gvk, WRITE,
        body(kindDef, true, null), PRODUCES, kindDef, "200", "201"));
    o.set("patch", op("partially update the specified " + r.kind(), "patch" + gv + ns + r.kind(), "patch", gvk, PATCH,
        body(TypeNames.PATCH, true, smp ? PATCH_TYPES : PATCH_TYPES_CUSTOM), PRODUCES, kindDef, "200", "201"));
    o.set("delete", op("delete " + article(r.kind()) + " " + r.kind(), "delete" + gv + ns + r.kind(), "delete", gvk, DELETE,
        body(TypeNames.DELETE_OPTIONS, false, null), PRODUCES, TypeNames.STATUS, "200", "202"));
    pathParams(o, concat(List.of(name), scope, List.of(PRETTY)));

    // list across namespaces
    if (r.namespaced()) {
      ObjectNode all = item(prefix + "/" + r.plural());
      all.set("get", op("list or watch objects of kind " + r.kind(), "list" + gv + r.kind() + "ForAllNamespaces", "list",
          gvk, List.of(), null, PRODUCES_LIST, listDef, "200"));
      pathParams(all, concat(LIST.subList(0, 5), List.of(PRETTY), LIST.subList(5, LIST.size())));
    }

    // deprecated watch endpoints
    String watchCollection = (r.namespaced() ? prefix + "/watch/namespaces/{namespace}/" : prefix + "/watch/") + r.plural();
    ObjectNode wl = item(watchCollection);
    wl.set("get", op("watch individual changes to a list of " + r.kind() + ". deprecated: use the 'watch' parameter with a list operation instead.",
        "watch" + gv + ns + r.kind() + "List", "watchlist", gvk, List.of(), null, PRODUCES_LIST, TypeNames.WATCH_EVENT, "200"));
    pathParams(wl, concat(LIST.subList(0, 5), scope, List.of(PRETTY), LIST.subList(5, LIST.size())));
    ObjectNode w = item(watchCollection + "/{name}");
    w.set("get", op("watch changes to an object of kind " + r.kind() + ". deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.",
        "watch" + gv + ns + r.kind(), "watch", gvk, List.of(), null, PRODUCES_LIST, TypeNames.WATCH_EVENT, "200"));
    pathParams(w, concat(LIST.subList(0, 5), List.of(name), scope, List.of(PRETTY), LIST.subList(5, LIST.size())));
    if (r.namespaced()) {
      ObjectNode wa = item(prefix + "/watch/" + r.plural());
      wa.set("get", op("watch individual changes to a list of " + r.kind() + ". deprecated: use the 'watch' parameter with a list operation instead.",
          "watch" + gv + r.kind() + "ListForAllNamespaces", "watchlist", gvk, List.of(), null, PRODUCES_LIST, TypeNames.WATCH_EVENT, "200"));
      pathParams(wa, concat(LIST.subList(0, 5), List.of(PRETTY), LIST.subList(5, LIST.size())));
    }

    for (String sub : r.subresources().stream().sorted().toList()) subresource(r, sub, object, gv + ns + r.kind(), gvk, kindDef, smp,
        concat(List.of(name), scope, List.of(PRETTY)));
  }

  private void subresource(ResourceDefinition r, String sub, String object, String id, Gvk gvk, String kindDef, boolean smp,
                           List<Param> pathParams) {
    ObjectNode s;
    switch (sub) {
      case "status", "ephemeralcontainers", "resize" -> {
        String word = sub.equals("status") ? "status" : sub;
        String suffix = sub.equals("status") ? "Status" : sub.equals("resize") ? "Resize" : "EphemeralContainers";
        s = item(object + "/" + sub);
        s.set("get", op("read " + word + " of the specified " + r.kind(), "read" + id + suffix, "get", gvk, List.of(), null,
            PRODUCES, kindDef, "200"));
        s.set("put", op("replace " + word + " of the specified " + r.kind(), "replace" + id + suffix, "put", gvk, WRITE,
            body(kindDef, true, null), PRODUCES, kindDef, "200", "201"));
        s.set("patch", op("partially update " + word + " of the specified " + r.kind(), "patch" + id + suffix, "patch", gvk, PATCH,
            body(TypeNames.PATCH, true, smp ? PATCH_TYPES : PATCH_TYPES_CUSTOM), PRODUCES, kindDef, "200", "201"));
      }
      case "scale" -> {
        Gvk scale = new Gvk("autoscaling", "v1", "Scale");
        String scaleDef = schemas.kind("autoscaling", "v1", "Scale");
        s = item(object + "/scale");
        s.set("get", op("read scale of the specified " + r.kind(), "read" + id + "Scale", "get", scale, List.of(), null,
            PRODUCES, scaleDef, "200"));
        s.set("put", op("replace scale of the specified " + r.kind(), "replace" + id + "Scale", "put", scale, WRITE,
            body(scaleDef, true, null), PRODUCES, scaleDef, "200", "201"));
        s.set("patch", op("partially update scale of the specified " + r.kind(), "patch" + id + "Scale", "patch", scale, PATCH,
            body(TypeNames.PATCH, true, PATCH_TYPES), PRODUCES, scaleDef, "200", "201"));
      }
      case "binding" -> s = post(object + "/binding", "create binding of " + article(r.kind()) + " " + r.kind(),
          "create" + id + "Binding", new Gvk("", "v1", "Binding"));
      case "eviction" -> s = post(object + "/eviction", "create eviction of " + article(r.kind()) + " " + r.kind(),
          "create" + id + "Eviction", new Gvk("policy", "v1", "Eviction"));
      case "token" -> s = post(object + "/token", "create token of " + article(r.kind()) + " " + r.kind(),
          "create" + id + "Token", new Gvk("authentication.k8s.io", "v1", "TokenRequest"));
      case "finalize" -> {
        s = item(object + "/finalize");
        s.set("put", op("replace finalize of the specified " + r.kind(), "replace" + id + "Finalize", "put", gvk, WRITE,
            body(kindDef, true, null), PRODUCES, kindDef, "200", "201"));
      }
      case "log" -> {
        s = item(object + "/log");
        ObjectNode get = op("read log of the specified " + r.kind(), "read" + id + "Log", "get", gvk, List.of(
            q("container", "string", "The container for which to stream logs. Defaults to only container if there is one container in the pod."),
            q("follow", "boolean", "Follow the log stream of the pod. Defaults to false."),
            q("insecureSkipTLSVerifyBackend", "boolean", "insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the validity of the serving certificate of the backend it is connecting to."),
            q("limitBytes", "integer", "If set, the number of bytes to read from the server before terminating the log output."),
            q("previous", "boolean", "Return previous terminated container logs. Defaults to false."),
            q("sinceSeconds", "integer", "A relative time in seconds before the current time from which to show logs."),
            q("stream", "string", "Specify which container log stream to return to the client. Acceptable values are \"All\", \"Stdout\" and \"Stderr\". If not specified, \"All\" is used."),
            q("tailLines", "integer", "If set, the number of lines from the end of the logs to show."),
            q("timestamps", "boolean", "If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output. Defaults to false.")),
            null, List.of("text/plain", "application/json", "application/yaml", "application/vnd.kubernetes.protobuf"), null, "200");
        s.set("get", get);
      }
      case "exec", "attach", "portforward", "proxy" -> {
        s = item(object + "/" + sub);
        String word = TypeNames.capitalize(sub.equals("portforward") ? "portForward" : sub);
        for (String method : sub.equals("proxy") ? List.of("get", "put", "post", "patch", "delete") : List.of("get", "post")) {
          s.set(method, op("connect " + method.toUpperCase() + " requests to " + sub + " of " + r.kind(),
              "connect" + TypeNames.capitalize(method) + id + word, "connect", new Gvk(gvk.group, gvk.version, r.kind() + TypeNames.capitalize(sub) + "Options"),
              List.of(), null, List.of("*/*"), null, "200"));
        }
      }
      default -> {
        return;
      }
    }
    pathParams(s, pathParams);
  }

  private ObjectNode post(String path, String description, String id, Gvk gvk) {
    String def = schemas.kind(gvk.group, gvk.version, gvk.kind);
    ObjectNode s = item(path);
    s.set("post", op(description, id, "post", gvk, WRITE, body(def, true, null), PRODUCES, def, "200", "201", "202"));
    return s;
  }

  private record Gvk(String group, String version, String kind) {}

  private ObjectNode item(String path) {
    return paths.computeIfAbsent(path, p -> F.objectNode());
  }

  private record Body(String definition, boolean required, List<String> consumes) {}

  private static Body body(String definition, boolean required, List<String> consumes) {
    return new Body(definition, required, consumes);
  }

  private ObjectNode op(String description, String operationId, String action, Gvk gvk, List<Param> params, Body body,
                        List<String> produces, String responseDef, String... codes) {
    ObjectNode op = F.objectNode();
    if (!v3) strings(op, "consumes", body != null && body.consumes() != null ? body.consumes() : List.of("*/*"));
    op.put("description", description);
    op.put("operationId", operationId);
    if (!params.isEmpty() || (body != null && !v3)) {
      ArrayNode ps = op.putArray("parameters");
      if (body != null && !v3 && body.definition() != null) {
        ObjectNode b = ps.addObject();
        b.put("in", "body");
        b.put("name", "body");
        if (body.required()) b.put("required", true);
        b.putObject("schema").put("$ref", ref(body.definition()));
      }
      for (Param p : params) ps.add(param(p));
    }
    if (!v3) strings(op, "produces", produces);
    if (v3 && body != null && body.definition() != null) {
      ObjectNode rb = op.putObject("requestBody");
      ObjectNode content = rb.putObject("content");
      for (String mt : body.consumes() != null ? body.consumes() : List.of("*/*")) {
        content.putObject(mt).putObject("schema").put("$ref", ref(body.definition()));
      }
      if (body.required()) rb.put("required", true);
    }
    ObjectNode responses = responses(op, produces, responseDef, codes);
    responses.putObject("401").put("description", "Unauthorized");
    if (!v3) strings(op, "schemes", List.of("https"));
    strings(op, "tags", List.of(currentTag));
    op.put("x-kubernetes-action", action);
    ObjectNode g = op.putObject("x-kubernetes-group-version-kind");
    g.put("group", gvk.group);
    g.put("kind", gvk.kind);
    g.put("version", gvk.version);
    return op;
  }


  private ObjectNode responses(ObjectNode op, List<String> produces, String def, String... codes) {
    ObjectNode responses = op.putObject("responses");
    for (String code : codes) {
      ObjectNode r = responses.putObject(code);
      if (v3) {
        if (def != null || produces.contains("text/plain")) {
          ObjectNode content = r.putObject("content");
          for (String mt : produces) {
            ObjectNode schema = content.putObject(mt).putObject("schema");
            if (def != null) schema.put("$ref", ref(def));
            else schema.put("type", "string");
          }
        }
        r.put("description", description(code));
      } else {
        r.put("description", description(code));
        if (def != null) r.putObject("schema").put("$ref", ref(def));
        else if (produces.contains("text/plain")) r.putObject("schema").put("type", "string");
      }
    }
    return responses;
  }

  private static String description(String code) {
    return switch (code) {
      case "201" -> "Created";
      case "202" -> "Accepted";
      default -> "OK";
    };
  }

  private String ref(String definition) {
    schemas.use(definition);
    return ModelSchemas.REF + definition;
  }

  private void pathParams(ObjectNode item, List<Param> params) {
    ArrayNode ps = item.putArray("parameters");
    for (Param p : params) ps.add(param(p));
  }

  private ObjectNode param(Param p) {
    ObjectNode n = F.objectNode();
    n.put("description", p.description());
    n.put("in", p.in());
    n.put("name", p.name());
    if (p.required()) n.put("required", true);
    if (v3) {
      ObjectNode s = n.putObject("schema");
      s.put("type", p.type());
      s.put("uniqueItems", true);
    } else {
      n.put("type", p.type());
      n.put("uniqueItems", true);
    }
    return n;
  }

  private static void strings(ObjectNode n, String field, List<String> values) {
    ArrayNode a = n.putArray(field);
    values.forEach(a::add);
  }

  @SafeVarargs
  private static List<Param> concat(List<Param>... lists) {
    java.util.ArrayList<Param> out = new java.util.ArrayList<>();
    for (List<Param> l : lists) out.addAll(l);
    return out;
  }

  static String prefix(String group, String version) {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  private static String article(String kind) {
    return "AEIOU".indexOf(kind.charAt(0)) >= 0 ? "an" : "a";
  }

  /** Definitions every document refers to from its operations, whatever its resources. */
  static final Set<String> COMMON = Set.of(TypeNames.STATUS, TypeNames.DELETE_OPTIONS, TypeNames.PATCH, TypeNames.WATCH_EVENT,
      TypeNames.API_RESOURCE_LIST);
}
