package io.kava.apiserver.openapi;

import io.kava.api.json.Json;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds and caches the OpenAPI documents of the served resources: {@code /openapi/v2} (JSON and gnostic protobuf),
 * the {@code /openapi/v3} index and one v3 document per group version, and the compiled schemas of field validation.
 *
 * <p>Nothing happens at construction. The first request (or {@link #prepare()}) generates the definitions of the
 * registered kinds from the Java client's models; each document is rendered to bytes once, on first use, and served
 * from the cache until the registry changes. A change drops the rendered documents (the generated definitions are
 * kept: they do not depend on the registry) and the next request renders them again, once.
 */
final class OpenApiService implements FieldValidation.Schemas {
  private static final Logger log = LoggerFactory.getLogger(OpenApiService.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final String V3_REF = "#/components/schemas/";

  /**
   * A rendered document, kept gzip-compressed ({@link Gzip}), and its entity tag (upper-case hex SHA-512 of the
   * uncompressed bytes, as upstream).
   */
  record Doc(byte[] gzip, String etag) {
    static Doc of(byte[] bytes) { return new Doc(Gzip.compress(bytes), OpenApiService.etag(bytes)); }

    /** The document itself. */
    byte[] bytes() { return Gzip.decompress(gzip); }
  }

  /** /openapi/v2 in both encodings, each kept gzip-compressed; they share the JSON's entity tag. */
  record V2(byte[] jsonGzip, byte[] protoGzip, String etag) {
    byte[] json() { return Gzip.decompress(jsonGzip); }

    byte[] proto() { return Gzip.decompress(protoGzip); }
  }

  /** The v3 index and the per-group-version documents, keyed {@code api/v1}, {@code apis/apps/v1}. */
  record V3(Doc index, Map<String, Doc> groupVersions) {}

  private final ResourceRegistry registry;
  private final ModelSchemas models = new ModelSchemas();
  /**
   * Held while a document is rendered (seconds on a cold JVM): one rendering at a time. Taken before {@link #defs},
   * never after it.
   */
  private final Object lock = new Object();
  /**
   * Guards the generated definitions ({@link #models}, a snapshot's kinds, custom definitions and encoded bytes), held
   * for one kind or one definition at a time, so that field validation of a create, which needs one kind's schema,
   * never waits for a whole document to render.
   */
  private final Object defs = new Object();
  private volatile Snapshot snapshot;
  private volatile CustomResourceSchemas customSchemas;

  OpenApiService(ResourceRegistry registry) {
    this.registry = registry;
    registry.onChange(() -> snapshot = null);
  }

  /** The lock a document build holds while it renders (tests hold it to stand for a build in progress). */
  Object renderLock() { return lock; }

  /** The source of custom resources' schemas (CRDs); documents built from now on use it. */
  void customResourceSchemas(CustomResourceSchemas schemas) {
    customSchemas = schemas;
    snapshot = null;
  }

  /** The state derived from one version of the registry. */
  private final class Snapshot {
    final List<ResourceDefinition> resources;
    /** "group/version/kind" → definition. */
    final Map<String, String> kinds = new HashMap<>();
    /** Definitions of kinds without a Java model (custom resources): permissive schemas. */
    final Map<String, ObjectNode> custom = new HashMap<>();
    final Map<String, FieldValidation.Shape> shapes = new ConcurrentHashMap<>();
    final FieldValidation.Compiler compiler = new FieldValidation.Compiler(name -> definition(this, name));
    /** Encoded definitions that belong to this snapshot: custom ones, and those with the kind extension. */
    final Map<String, byte[]> encoded = new HashMap<>();
    Map<String, List<String[]>> gvks;
    boolean generated;
    boolean coreDone;
    volatile V2 v2;
    volatile V3 v3;

    Snapshot(List<ResourceDefinition> resources) {
      List<ResourceDefinition> sorted = new ArrayList<>(resources);
      // core first: the package of a type the Java client does not name is that of the first type to refer to it
      sorted.sort(Comparator.comparing((ResourceDefinition d) -> !d.group().isEmpty()));
      this.resources = List.copyOf(sorted);
    }
  }

  // ------------------------------------------------------------------ access

  private Snapshot snapshot() {
    Snapshot s = snapshot;
    if (s != null) return s;
    synchronized (defs) {
      s = snapshot;
      if (s == null) {
        s = new Snapshot(registry.all());
        snapshot = s;
      }
      return s;
    }
  }

  /** Generates the definitions of every served kind (under {@link #lock}; {@link #defs} is taken per kind). */
  private void generateAll(Snapshot s) {
    if (s.generated) return;
    long t0 = System.nanoTime();
    for (String m : List.of("V1ObjectMeta", "V1ListMeta", "V1Status", "V1DeleteOptions", "V1WatchEvent", "V1APIResourceList")) {
      synchronized (defs) {
        models.model(m);
      }
    }
    for (ResourceDefinition r : s.resources) {
      synchronized (defs) {
        kind(s, r.group(), r.version(), r.kind());
        kind(s, r.group(), r.version(), r.listKind());
        for (String sub : r.subresources()) {
          String[] k = SUBRESOURCE_KINDS.get(sub);
          if (k != null) kind(s, k[0], k[1], k[2]);
        }
      }
    }
    synchronized (defs) {
      s.gvks = gvks(s);
    }
    s.generated = true;
    log.debug("OpenAPI definitions of {} resources ready in {} ms ({} definitions)", s.resources.size(),
        (System.nanoTime() - t0) / 1_000_000, models.size());
  }

  V2 v2() {
    Snapshot s = snapshot();
    V2 v = s.v2;
    if (v != null) return v;
    synchronized (lock) {
      if (s.v2 == null) {
        generateAll(s);
        s.v2 = renderV2(s);
      }
      return s.v2;
    }
  }

  V3 v3() {
    Snapshot s = snapshot();
    V3 v = s.v3;
    if (v != null) return v;
    synchronized (lock) {
      if (s.v3 == null) {
        generateAll(s);
        s.v3 = renderV3(s);
      }
      return s.v3;
    }
  }

  /**
   * Generates the definitions and renders the v3 documents now (call from a background thread after start, so that
   * no request waits for them). The v2 document, which only kubectl 1.27/1.28 ask for, is rendered on its first
   * request (a few hundred milliseconds once the definitions exist).
   */
  void prepare() {
    long t0 = System.nanoTime();
    v3();
    log.info("OpenAPI v3 documents ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public FieldValidation.Shape shape(String apiVersion, String kind) {
    Snapshot s = snapshot();
    String key = apiVersion + "/" + kind;
    FieldValidation.Shape shape = s.shapes.get(key);
    if (shape != null) return shape;
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    // only this kind's definitions: not the rendering lock, which a document build holds for seconds
    synchronized (defs) {
      shape = s.shapes.get(key);
      if (shape != null) return shape;
      if (registry.byKind(group, version, kind).isEmpty()) return null; // not served
      models.model("V1ObjectMeta");
      String def = kind(s, group, version, kind);
      shape = s.compiler.definition(def);
      if (!s.custom.containsKey(def)) shape.builtIn = true;
      s.shapes.put(key, shape);
      return shape;
    }
  }

  /** The definition a kind's documents use ({@code io.k8s.api.core.v1.Pod}), or null when the kind is not served. */
  String definitionOf(String group, String version, String kind) {
    Snapshot s = snapshot();
    synchronized (lock) {
      generateAll(s);
    }
    synchronized (defs) {
      return s.kinds.get(group + "/" + version + "/" + kind);
    }
  }

  /** A v2 definition by name (shared; do not modify). */
  private JsonNode definition(Snapshot s, String name) {
    ObjectNode c = s.custom.get(name);
    return c != null ? c : models.definition(name);
  }

  // ------------------------------------------------------------------ kinds

  /** The definition of a kind, generating it, or a permissive one when the Java client has no model of it. */
  private String kind(Snapshot s, String group, String version, String kind) {
    String key = group + "/" + version + "/" + kind;
    String def = s.kinds.get(key);
    if (def != null) return def;
    if (!group.isEmpty() && !s.coreDone) {
      // core kinds first, whatever asks first: a model the Java client does not name by package is named after the
      // first type that refers to it, so the names must not depend on the order of requests
      s.coreDone = true;
      for (ResourceDefinition r : s.resources) if (r.group().isEmpty()) kind(s, "", r.version(), r.kind());
    }
    def = models.kind(group, version, kind);
    if (def == null) def = custom(s, group, version, kind);
    s.kinds.put(key, def);
    return def;
  }

  /** Upstream's definition for a custom resource: the group reversed, version and kind ({@code com.example.v1.Foo}). */
  private String custom(Snapshot s, String group, String version, String kind) {
    List<String> parts = new ArrayList<>(List.of(group.split("\\.")));
    java.util.Collections.reverse(parts);
    String name = (group.isEmpty() ? "" : String.join(".", parts) + ".") + version + "." + kind;
    ObjectNode d = F.objectNode();
    ObjectNode props = d.putObject("properties");
    props.putObject("apiVersion").put("description", "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources").put("type", "string");
    if (kind.endsWith("List")) {
      String item = s.kinds.get(group + "/" + version + "/" + kind.substring(0, kind.length() - 4));
      ObjectNode items = props.putObject("items");
      items.put("description", "List of " + kind.substring(0, kind.length() - 4) + ".");
      items.putObject("items").put("$ref", ModelSchemas.REF + (item != null ? item : TypeNames.RAW_EXTENSION));
      items.put("type", "array");
    }
    props.putObject("kind").put("description", "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds").put("type", "string");
    ObjectNode meta = props.putObject("metadata");
    meta.put("$ref", ModelSchemas.REF + TypeNames.META + (kind.endsWith("List") ? "ListMeta" : "ObjectMeta"));
    meta.put("description", "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
    if (kind.endsWith("List")) d.putArray("required").add("items");
    // a custom resource with a CRD schema: its description, fields and rules; without one, anything goes
    CustomResourceSchemas source = customSchemas;
    JsonNode schema = source == null || kind.endsWith("List") ? null : source.schema(group, version, kind);
    if (schema != null) publishCustom(d, props, schema);
    d.put("type", "object");
    if (!kind.endsWith("List") && schema == null) d.put("x-kubernetes-preserve-unknown-fields", true);
    s.custom.put(name, d);
    return name;
  }

  /** Adds a CRD schema's members (other than apiVersion, kind, metadata, which are stated as for every kind). */
  private static void publishCustom(ObjectNode d, ObjectNode props, JsonNode schema) {
    if (schema.has("description")) d.set("description", schema.get("description"));
    for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
      if (!props.has(e.getKey())) props.set(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, JsonNode> e : schema.properties()) {
      String k = e.getKey();
      if (!k.equals("properties") && !k.equals("type") && !k.equals("description")) d.set(k, e.getValue());
    }
  }

  /** The definitions a set of roots needs, custom ones included. */
  private Set<String> closure(Snapshot s, Set<String> roots) {
    synchronized (defs) {
      return closureLocked(s, roots);
    }
  }

  private Set<String> closureLocked(Snapshot s, Set<String> roots) {
    Set<String> out = new TreeSet<>();
    List<String> todo = new ArrayList<>(roots);
    while (!todo.isEmpty()) {
      String n = todo.remove(todo.size() - 1);
      if (out.contains(n)) continue;
      ObjectNode c = s.custom.get(n);
      if (c != null) {
        out.add(n);
        collectRefs(c, todo);
      } else {
        out.addAll(models.closure(List.of(n)));
      }
    }
    return out;
  }

  private static void collectRefs(JsonNode n, List<String> out) {
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (e.getKey().equals("$ref") && e.getValue().isString()) {
          String r = e.getValue().asString();
          out.add(r.substring(r.lastIndexOf('/') + 1));
        } else {
          collectRefs(e.getValue(), out);
        }
      }
    } else if (n.isArray()) {
      for (JsonNode c : n) collectRefs(c, out);
    }
  }

  /** The kinds of the subresources that have their own (group, version, kind). */
  private static final Map<String, String[]> SUBRESOURCE_KINDS = Map.of(
      "scale", new String[] {"autoscaling", "v1", "Scale"},
      "binding", new String[] {"", "v1", "Binding"},
      "eviction", new String[] {"policy", "v1", "Eviction"},
      "token", new String[] {"authentication.k8s.io", "v1", "TokenRequest"});

  /** {@code x-kubernetes-group-version-kind} of every definition that is a kind of the served group versions. */
  private Map<String, List<String[]>> gvks(Snapshot s) {
    Map<String, List<String[]>> out = new HashMap<>();
    Set<String> gvs = new TreeSet<>();
    for (ResourceDefinition r : s.resources) {
      add(out, s.kinds.get(r.group() + "/" + r.version() + "/" + r.kind()), r.group(), r.version(), r.kind());
      add(out, s.kinds.get(r.group() + "/" + r.version() + "/" + r.listKind()), r.group(), r.version(), r.listKind());
      gvs.add(r.group() + "/" + r.version());
    }
    for (String[] k : SUBRESOURCE_KINDS.values()) {
      String def = s.kinds.get(k[0] + "/" + k[1] + "/" + k[2]);
      if (def != null && !out.containsKey(def)) add(out, def, k[0], k[1], k[2]);
    }
    add(out, TypeNames.STATUS, "", "v1", "Status");
    add(out, TypeNames.API_RESOURCE_LIST, "", "v1", "APIResourceList");
    gvs.add("/v1");
    for (String gv : gvs) {
      int slash = gv.indexOf('/');
      add(out, TypeNames.DELETE_OPTIONS, gv.substring(0, slash), gv.substring(slash + 1), "DeleteOptions");
      add(out, TypeNames.WATCH_EVENT, gv.substring(0, slash), gv.substring(slash + 1), "WatchEvent");
    }
    return out;
  }

  private static void add(Map<String, List<String[]>> out, String def, String group, String version, String kind) {
    if (def == null) return;
    List<String[]> l = out.computeIfAbsent(def, k -> new ArrayList<>());
    for (String[] e : l) if (e[0].equals(group) && e[1].equals(version) && e[2].equals(kind)) return;
    l.add(new String[] {group, version, kind});
  }

  // ------------------------------------------------------------------ encoded definitions

  private static final int V2_JSON = 0, V3_JSON = 1, PROTO = 2;

  /** Encoded model definitions without the kind extension: they do not depend on the registry. */
  private final Map<String, byte[]>[] shared = newCaches();

  @SuppressWarnings("unchecked")
  private static Map<String, byte[]>[] newCaches() {
    return new Map[] {new HashMap<String, byte[]>(), new HashMap<String, byte[]>(), new HashMap<String, byte[]>()};
  }

  /** One definition, encoded as {@code form}; each is encoded once and reused by every document that has it. */
  private byte[] encoded(Snapshot s, String name, int form) {
    synchronized (defs) {
      return encodedLocked(s, name, form);
    }
  }

  private byte[] encodedLocked(Snapshot s, String name, int form) {
    List<String[]> kinds = s.gvks.get(name);
    boolean own = kinds != null || s.custom.containsKey(name);
    Map<String, byte[]> cache = own ? s.encoded : shared[form];
    String key = own ? form + name : name;
    byte[] b = cache.get(key);
    if (b != null) return b;
    JsonNode d = definition(s, name);
    if (d == null) return null;
    if (form == V3_JSON && ModelSchemas.isQuantityOrIntOrString(name)) {
      // v3 states both JSON forms
      ObjectNode v = F.objectNode();
      v.set("description", d.get("description"));
      if (name.equals(TypeNames.INT_OR_STRING)) v.put("format", "int-or-string");
      ArrayNode oneOf = v.putArray("oneOf");
      for (String t : name.equals(TypeNames.INT_OR_STRING) ? List.of("integer", "string") : List.of("string", "number")) {
        oneOf.addObject().put("type", t);
      }
      d = v;
    }
    if (kinds != null) {
      ObjectNode copy = ((ObjectNode) d).deepCopy();
      ArrayNode a = copy.putArray("x-kubernetes-group-version-kind");
      for (String[] k : kinds) {
        ObjectNode g = a.addObject();
        g.put("group", k[0]);
        g.put("kind", k[2]);
        g.put("version", k[1]);
      }
      d = copy;
    }
    b = switch (form) {
      case V2_JSON -> Json.bytes(d);
      case V3_JSON -> v3Refs(Json.bytes(d));
      default -> GnosticV2.schemaBytes(d);
    };
    cache.put(key, b);
    return b;
  }

  /** {@code "name":<schema>,...} of a JSON document's definitions. */
  private void writeDefinitions(Snapshot s, Set<String> names, int form, java.io.ByteArrayOutputStream out) {
    boolean first = true;
    for (String name : names) {
      byte[] b = encoded(s, name, form);
      if (b == null) continue;
      if (!first) out.write(',');
      first = false;
      out.writeBytes(Json.bytes(F.stringNode(name)));
      out.write(':');
      out.writeBytes(b);
    }
  }

  private Paths.Schemas pathSchemas(Snapshot s, Set<String> used) {
    return new Paths.Schemas() {
      @Override
      public String kind(String group, String version, String kind) {
        synchronized (defs) {
          return OpenApiService.this.kind(s, group, version, kind);
        }
      }

      @Override
      public void use(String definition) { used.add(definition); }
    };
  }

  private static ObjectNode bearer() {
    ObjectNode sec = F.objectNode();
    sec.put("description", "Bearer Token authentication");
    sec.put("in", "header");
    sec.put("name", "authorization");
    sec.put("type", "apiKey");
    return sec;
  }

  private static void write(java.io.ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ rendering

  private V2 renderV2(Snapshot s) {
    long t0 = System.nanoTime();
    Set<String> used = new LinkedHashSet<>();
    Paths paths = new Paths(false, pathSchemas(s, used));
    Set<String> gvs = new LinkedHashSet<>();
    for (ResourceDefinition r : s.resources) {
      if (gvs.add(r.group() + "/" + r.version())) paths.groupVersion(r.group(), r.version());
      paths.resource(r);
    }
    used.addAll(Paths.COMMON);
    Set<String> names = closure(s, used);
    ObjectNode info = F.objectNode();
    info.put("title", "Kubernetes");
    info.put("version", io.kava.apiserver.Version.GIT_VERSION);
    ObjectNode pathsNode = paths.build();
    ObjectNode security = F.objectNode();
    security.putArray("BearerToken");
    ObjectNode securityDefinitions = F.objectNode();
    securityDefinitions.set("BearerToken", bearer());

    // JSON: members in upstream's (sorted) order
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(4 << 20);
    write(out, "{\"definitions\":{");
    writeDefinitions(s, names, V2_JSON, out);
    write(out, "},\"info\":");
    out.writeBytes(Json.bytes(info));
    write(out, ",\"paths\":");
    out.writeBytes(Json.bytes(pathsNode));
    write(out, ",\"security\":[");
    out.writeBytes(Json.bytes(security));
    write(out, "],\"securityDefinitions\":");
    out.writeBytes(Json.bytes(securityDefinitions));
    write(out, ",\"swagger\":\"2.0\"}");
    byte[] json = out.toByteArray();

    // protobuf: the same document, definitions encoded once each
    ObjectNode doc = F.objectNode();
    doc.put("swagger", "2.0");
    doc.set("info", info);
    doc.set("paths", pathsNode);
    doc.putArray("security").add(security);
    doc.set("securityDefinitions", securityDefinitions);
    Map<String, byte[]> defs = new LinkedHashMap<>();
    for (String name : names) {
      byte[] b = encoded(s, name, PROTO);
      if (b != null) defs.put(name, b);
    }
    byte[] proto = GnosticV2.encode(doc, defs);
    log.debug("OpenAPI v2 rendered in {} ms: {} bytes JSON, {} bytes protobuf", (System.nanoTime() - t0) / 1_000_000,
        json.length, proto.length);
    return new V2(Gzip.compress(json), Gzip.compress(proto), etag(json));
  }

  private V3 renderV3(Snapshot s) {
    long t0 = System.nanoTime();
    Map<String, List<ResourceDefinition>> byGv = new LinkedHashMap<>();
    for (ResourceDefinition r : s.resources) {
      byGv.computeIfAbsent((r.group().isEmpty() ? "api/" : "apis/" + r.group() + "/") + r.version(), k -> new ArrayList<>()).add(r);
    }
    ObjectNode info = F.objectNode();
    info.put("title", "Kubernetes");
    info.put("version", "unversioned");
    ObjectNode schemes = F.objectNode();
    schemes.set("BearerToken", bearer());
    byte[] tail = ("},\"securitySchemes\":" + new String(Json.bytes(schemes), StandardCharsets.UTF_8) + "},\"info\":"
        + new String(Json.bytes(info), StandardCharsets.UTF_8) + ",\"openapi\":\"3.0.0\",\"paths\":").getBytes(StandardCharsets.UTF_8);
    Map<String, Doc> docs = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, List<ResourceDefinition>> e : byGv.entrySet()) {
      Set<String> used = new LinkedHashSet<>();
      Paths paths = new Paths(true, pathSchemas(s, used));
      ResourceDefinition first = e.getValue().get(0);
      paths.groupVersion(first.group(), first.version());
      for (ResourceDefinition r : e.getValue()) paths.resource(r);
      byte[] pathBytes = v3Refs(Json.bytes(paths.build()));
      used.addAll(Paths.COMMON);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 20);
      write(out, "{\"components\":{\"schemas\":{");
      writeDefinitions(s, closure(s, used), V3_JSON, out);
      out.writeBytes(tail);
      out.writeBytes(pathBytes);
      write(out, ",\"security\":[{\"BearerToken\":[]}]}");
      byte[] bytes = out.toByteArray();
      total += bytes.length;
      docs.put(e.getKey(), Doc.of(bytes));
    }
    ObjectNode index = F.objectNode();
    ObjectNode ps = index.putObject("paths");
    docs.forEach((gv, d) -> ps.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + d.etag()));
    byte[] indexBytes = Json.bytes(index);
    long kept = docs.values().stream().mapToLong(d -> d.gzip().length).sum();
    log.debug("OpenAPI v3 rendered in {} ms: {} documents, {} bytes ({} kept gzip-compressed)", (System.nanoTime() - t0) / 1_000_000,
        docs.size(), total, kept);
    return new V3(Doc.of(indexBytes), Map.copyOf(docs));
  }

  private static final byte[] V2_REF_BYTES = "\"$ref\":\"#/definitions/".getBytes(StandardCharsets.UTF_8);
  private static final byte[] V3_REF_BYTES = ("\"$ref\":\"" + V3_REF).getBytes(StandardCharsets.UTF_8);

  /** Rewrites every {@code "$ref":"#/definitions/} of compact JSON to {@code #/components/schemas/}. */
  static byte[] v3Refs(byte[] json) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(json.length + json.length / 20);
    int i = 0;
    int from = 0;
    while (i <= json.length - V2_REF_BYTES.length) {
      if (json[i] == '"' && matches(json, i)) {
        out.write(json, from, i - from);
        out.writeBytes(V3_REF_BYTES);
        i += V2_REF_BYTES.length;
        from = i;
      } else {
        i++;
      }
    }
    out.write(json, from, json.length - from);
    return out.toByteArray();
  }

  private static boolean matches(byte[] a, int at) {
    for (int k = 0; k < V2_REF_BYTES.length; k++) if (a[at + k] != V2_REF_BYTES[k]) return false;
    return true;
  }

  static String etag(byte[] bytes) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
