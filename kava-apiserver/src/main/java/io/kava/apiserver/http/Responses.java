package io.kava.apiserver.http;

import io.kava.api.json.Json;
import io.kava.api.json.TopLevelField;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ListResult;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.table.TableColumn;
import io.kava.apiserver.table.TableConvertor;
import io.kava.apiserver.table.TableConvertors;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Renders objects, lists, Tables and Status errors in the representation the client negotiated. */
public final class Responses {
  private static final ObjectMapper YAML = YAMLMapper.builder().build();
  private static final byte[] ITEMS_OPEN = ",\"items\":[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LIST_CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COMMA = {','};

  private final Clock clock;

  public Responses(Clock clock) { this.clock = clock; }

  public static TableConvertor convertor(ResourceDefinition def) {
    return def.strategy().table() != null ? def.strategy().table() : TableConvertors.forKind(def.group(), def.kind());
  }

  /** One object from the cache: JSON is its bytes as they are; other forms parse them. */
  public void object(Exchange ex, int code, ResourceDefinition def, CachedObject cached) {
    if (MediaTypes.negotiate(ex.header("Accept"), false).output() == MediaTypes.Output.OBJECT_JSON) {
      ex.respond(code, MediaTypes.JSON, cached.bytes());
    } else {
      object(ex, code, def, cached.object(), cached.bytes());
    }
  }

  /** One object (already JSON bytes when it comes from the cache). */
  public void object(Exchange ex, int code, ResourceDefinition def, JsonNode object, byte[] bytes) {
    MediaTypes.Negotiated n = MediaTypes.negotiate(ex.header("Accept"), false);
    switch (n.output()) {
      case OBJECT_JSON -> ex.respond(code, MediaTypes.JSON, bytes != null ? bytes : Json.bytes(object));
      case OBJECT_YAML -> ex.respond(code, MediaTypes.YAML, YAML.writeValueAsBytes(object));
      case TABLE -> ex.respond(code, MediaTypes.JSON, Json.bytes(table(def, List.of(object), object.path("metadata").path("resourceVersion").asString(""),
          null, null, n.metaVersion(), ex.param("includeObject"))));
      case PARTIAL_METADATA, PARTIAL_METADATA_LIST -> ex.respond(code, MediaTypes.JSON, Json.bytes(partial(object, n.metaVersion())));
    }
  }

  public void object(Exchange ex, int code, ResourceDefinition def, JsonNode object) { object(ex, code, def, object, null); }

  public void list(Exchange ex, ResourceDefinition def, ListResult result) {
    MediaTypes.Negotiated n = MediaTypes.negotiate(ex.header("Accept"), true);
    String rv = Long.toString(result.revision());
    switch (n.output()) {
      case OBJECT_JSON -> ex.respond(200, MediaTypes.JSON, listBuffer(def.apiVersion(), def.listKind(), rv, result,
          ManagedFieldsCut.requested(ex)));
      case OBJECT_YAML -> {
        ObjectNode list = Json.object();
        list.put("apiVersion", def.apiVersion());
        list.put("kind", def.listKind());
        list.set("metadata", listMeta(rv, result.continueToken(), result.remainingItemCount()));
        ArrayNode items = list.putArray("items");
        for (CachedObject o : result.items()) items.add(o.object());
        ex.respond(200, MediaTypes.YAML, YAML.writeValueAsBytes(list));
      }
      case TABLE -> ex.respond(200, MediaTypes.JSON, Json.bytes(table(def, result.items().stream().map(o -> (JsonNode) o.object()).toList(),
          rv, result.continueToken(), result.remainingItemCount(), n.metaVersion(), ex.param("includeObject"))));
      case PARTIAL_METADATA, PARTIAL_METADATA_LIST -> {
        ObjectNode list = Json.object();
        list.put("kind", "PartialObjectMetadataList");
        list.put("apiVersion", "meta.k8s.io/" + n.metaVersion());
        list.set("metadata", listMeta(rv, result.continueToken(), result.remainingItemCount()));
        ArrayNode items = list.putArray("items");
        boolean cut = ManagedFieldsCut.requested(ex);
        for (CachedObject o : result.items()) items.add(cut ? ManagedFieldsCut.apply(partial(o, n.metaVersion())) : partial(o, n.metaVersion()));
        ex.respond(200, MediaTypes.JSON, Json.bytes(list));
      }
    }
  }

  /**
   * A JSON list assembled from the cached bytes of its items: nothing is serialized again, and nothing is copied
   * either — the body is a composite of the head, the items' own arrays and the separators (a LIST of 10,000
   * ConfigMaps is 14 MB, which a single array copied twice, and allocated once more, on every request). Items are
   * cut without managedFields where an in-process informer asks (ManagedFieldsCut).
   */
  static Buffer listBuffer(String apiVersion, String kind, String rv, ListResult result, boolean withoutManagedFields) {
    ObjectNode head = Json.object();
    head.put("kind", kind);
    head.put("apiVersion", apiVersion);
    head.set("metadata", listMeta(rv, result.continueToken(), result.remainingItemCount()));
    byte[] headBytes = Json.bytes(head);
    List<CachedObject> items = result.items();
    byte[][] parts = new byte[2 * items.size() + 3][];
    int n = 0;
    parts[n++] = Arrays.copyOf(headBytes, headBytes.length - 1); // without the closing brace of the head object
    parts[n++] = ITEMS_OPEN;
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) parts[n++] = COMMA;
      parts[n++] = withoutManagedFields ? ManagedFieldsCut.apply(items.get(i).bytes()) : items.get(i).bytes();
    }
    parts[n++] = LIST_CLOSE;
    return BufferInternal.buffer(Unpooled.wrappedBuffer(Arrays.copyOf(parts, n)));
  }

  static ObjectNode listMeta(String rv, String continueToken, Long remaining) {
    ObjectNode meta = Json.object();
    meta.put("resourceVersion", rv);
    if (continueToken != null) meta.put("continue", continueToken);
    if (remaining != null && remaining > 0) meta.put("remainingItemCount", remaining);
    return meta;
  }

  public static ObjectNode partial(JsonNode object, String metaVersion) {
    return partialOf(object.path("metadata").deepCopy(), metaVersion);
  }

  /**
   * The PartialObjectMetadata of a cached object. A compact object's metadata is read with a streaming parser that
   * skips the rest (a pod's spec and status are tokenized, not built into a tree): metadata watchers such as the
   * garbage collector see every event of every resource.
   */
  public static ObjectNode partial(CachedObject o, String metaVersion) {
    if (!o.isCompact()) return partial(o.object(), metaVersion);
    try (JsonParser p = Json.MAPPER.createParser(o.bytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalStateException("a stored object is not a JSON object");
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("metadata")) return partialOf(p.readValueAsTree(), metaVersion);
        p.skipChildren();
      }
      return partialOf(Json.object(), metaVersion);
    }
  }

  /**
   * The JSON of {@link #partial(CachedObject, String)}: for a compact object the cached metadata bytes are copied
   * between the two fields before it and the closing brace, which is what writing the parsed tree again gives.
   */
  public static byte[] partialBytes(CachedObject o, String metaVersion) {
    TopLevelField metadata = o.isCompact() ? TopLevelField.find(o.bytes(), "metadata") : null;
    if (metadata == null || o.bytes()[metadata.start()] != '{') return Json.bytes(partial(o, metaVersion));
    byte[] head = metaVersion == null || metaVersion.equals("v1") ? PARTIAL_V1_HEAD
        : ("{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/" + metaVersion + "\",\"metadata\":").getBytes(StandardCharsets.UTF_8);
    int length = metadata.end() - metadata.start();
    byte[] out = Arrays.copyOf(head, head.length + length + 1);
    System.arraycopy(o.bytes(), metadata.start(), out, head.length, length);
    out[out.length - 1] = '}';
    return out;
  }

  private static final byte[] PARTIAL_V1_HEAD =
      "{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":".getBytes(StandardCharsets.UTF_8);

  private static ObjectNode partialOf(JsonNode metadata, String metaVersion) {
    ObjectNode p = Json.object();
    p.put("kind", "PartialObjectMetadata");
    p.put("apiVersion", "meta.k8s.io/" + (metaVersion == null ? "v1" : metaVersion));
    p.set("metadata", metadata);
    return p;
  }

  /** A meta.k8s.io Table of {@code objects}; includeObject is None, Metadata (default) or Object. */
  public ObjectNode table(ResourceDefinition def, List<JsonNode> objects, String rv, String continueToken, Long remaining,
                          String metaVersion, String includeObject) {
    TableConvertor conv = convertor(def);
    ObjectNode t = Json.object();
    t.put("kind", "Table");
    t.put("apiVersion", "meta.k8s.io/" + (metaVersion == null ? "v1" : metaVersion));
    t.set("metadata", listMeta(rv, continueToken, remaining));
    t.set("columnDefinitions", columns(conv));
    ArrayNode rows = t.putArray("rows");
    Instant now = clock.instant();
    for (JsonNode o : objects) rows.add(row(conv, o, now, metaVersion, includeObject));
    return t;
  }

  public static ArrayNode columns(TableConvertor conv) {
    ArrayNode cols = Json.NODES.arrayNode();
    for (TableColumn c : conv.columns()) {
      ObjectNode col = cols.addObject();
      col.put("name", c.name());
      col.put("type", c.type());
      col.put("format", c.format());
      col.put("description", c.description());
      col.put("priority", c.priority());
    }
    return cols;
  }

  public static ObjectNode row(TableConvertor conv, JsonNode o, Instant now, String metaVersion, String includeObject) {
    ObjectNode row = Json.object();
    ArrayNode cells = row.putArray("cells");
    for (Object cell : conv.cells(o, now)) {
      if (cell == null) cells.addNull();
      else if (cell instanceof Integer i) cells.add(i);
      else if (cell instanceof Long l) cells.add(l);
      else if (cell instanceof Boolean b) cells.add(b);
      else if (cell instanceof Double d) cells.add(d);
      else if (cell instanceof JsonNode j) cells.add(j);
      else cells.add(cell.toString());
    }
    String inc = includeObject == null ? "Metadata" : includeObject;
    switch (inc) {
      case "None" -> { }
      case "Object" -> row.set("object", o);
      default -> row.set("object", partial(o, metaVersion));
    }
    return row;
  }

  /** A Status body for an error. */
  public static ObjectNode status(StatusException e) {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", e.getMessage());
    s.put("reason", e.reason());
    if (e.hasDetails()) {
      ObjectNode d = s.putObject("details");
      if (e.name() != null) d.put("name", e.name());
      if (e.group() != null && !e.group().isEmpty()) d.put("group", e.group());
      if (e.kind() != null) d.put("kind", e.kind());
      if (!e.causes().isEmpty()) {
        ArrayNode causes = d.putArray("causes");
        for (StatusException.Cause c : e.causes()) {
          ObjectNode cause = causes.addObject();
          cause.put("reason", c.reason());
          cause.put("message", c.message());
          if (c.field() != null) cause.put("field", c.field());
        }
      }
      if (e.retryAfterSeconds() != null) d.put("retryAfterSeconds", e.retryAfterSeconds());
    }
    s.put("code", e.code());
    return s;
  }

  public static void error(Exchange ex, StatusException e) {
    if (e.retryAfterSeconds() != null) ex.request().response().putHeader("Retry-After", e.retryAfterSeconds().toString());
    ex.respond(e.code(), MediaTypes.JSON, Json.bytes(status(e)));
  }

  /** A success Status (deletecollection of kinds that return one, bindings). */
  public static ObjectNode success(int code, ObjectNode details) {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    if (details != null) s.set("details", details);
    s.put("code", code);
    return s;
  }
}
