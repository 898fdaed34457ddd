package io.kava.apiserver.openapi;

import com.google.protobuf.CodedOutputStream;
import io.kava.api.json.Json;
import io.kava.apiserver.wire.GoJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Encodes an OpenAPI v2 (Swagger 2.0) JSON document as the protobuf message {@code openapi.v2.Document} of
 * github.com/google/gnostic-models ({@code openapiv2/OpenAPIv2.proto}), the form kubectl 1.27/1.28 download
 * ({@code Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf}).
 *
 * <p>Written by hand from the proto's field numbers. Vendor extensions ({@code x-...}), defaults and examples are
 * {@code Any} messages whose {@code yaml} field holds the value; the JSON text of the value is valid YAML, and is what
 * is written. Only the parts of Swagger 2.0 that Kubernetes documents use are encoded.
 */
final class GnosticV2 {
  private GnosticV2() {}

  static byte[] encode(JsonNode doc) { return encode(doc, null); }

  /** The {@code Schema} message of one definition. */
  static byte[] schemaBytes(JsonNode schema) { return schema(schema).bytes(); }

  /**
   * Encodes {@code doc}; when {@code definitions} is given, it holds the encoded {@code Schema} of every definition
   * (see {@link #schemaBytes}) and replaces the document's own {@code definitions}.
   */
  static byte[] encode(JsonNode doc, Map<String, byte[]> definitions) {
    Msg m = new Msg();
    m.str(1, doc.path("swagger").asString(""));
    if (doc.has("info")) m.msg(2, info(doc.get("info")));
    m.str(3, doc.path("host").asString(""));
    m.str(4, doc.path("basePath").asString(""));
    m.strings(5, doc.get("schemes"));
    m.strings(6, doc.get("consumes"));
    m.strings(7, doc.get("produces"));
    if (doc.has("paths")) m.msg(8, paths(doc.get("paths")));
    if (definitions != null) {
      Msg defs = new Msg();
      for (Map.Entry<String, byte[]> e : definitions.entrySet()) {
        Msg named = new Msg();
        named.str(1, e.getKey());
        named.raw(2, e.getValue());
        defs.msg(1, named);
      }
      m.msg(9, defs);
    } else if (doc.has("definitions")) {
      Msg defs = new Msg();
      for (Map.Entry<String, JsonNode> e : doc.get("definitions").properties()) defs.msg(1, named(e.getKey(), schema(e.getValue())));
      m.msg(9, defs);
    }
    if (doc.has("security")) {
      for (JsonNode req : doc.get("security")) m.msg(12, securityRequirement(req));
    }
    if (doc.has("securityDefinitions")) {
      Msg defs = new Msg();
      for (Map.Entry<String, JsonNode> e : doc.get("securityDefinitions").properties()) {
        defs.msg(1, named(e.getKey(), securityDefinition(e.getValue())));
      }
      m.msg(13, defs);
    }
    vendor(m, 16, doc);
    return m.bytes();
  }

  private static Msg info(JsonNode n) {
    Msg m = new Msg();
    m.str(1, n.path("title").asString(""));
    m.str(2, n.path("version").asString(""));
    m.str(3, n.path("description").asString(""));
    vendor(m, 7, n);
    return m;
  }

  private static Msg paths(JsonNode n) {
    Msg m = new Msg();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (e.getKey().startsWith("x-")) continue;
      m.msg(2, named(e.getKey(), pathItem(e.getValue())));
    }
    vendor(m, 1, n);
    return m;
  }

  private static Msg pathItem(JsonNode n) {
    Msg m = new Msg();
    m.str(1, n.path("$ref").asString(""));
    String[] methods = {"get", "put", "post", "delete", "options", "head", "patch"};
    for (int i = 0; i < methods.length; i++) {
      if (n.has(methods[i])) m.msg(2 + i, operation(n.get(methods[i])));
    }
    if (n.has("parameters")) for (JsonNode p : n.get("parameters")) m.msg(9, parametersItem(p));
    vendor(m, 10, n);
    return m;
  }

  private static Msg operation(JsonNode n) {
    Msg m = new Msg();
    m.strings(1, n.get("tags"));
    m.str(2, n.path("summary").asString(""));
    m.str(3, n.path("description").asString(""));
    m.str(5, n.path("operationId").asString(""));
    m.strings(6, n.get("produces"));
    m.strings(7, n.get("consumes"));
    if (n.has("parameters")) for (JsonNode p : n.get("parameters")) m.msg(8, parametersItem(p));
    if (n.has("responses")) m.msg(9, responses(n.get("responses")));
    m.strings(10, n.get("schemes"));
    m.bool(11, n.path("deprecated").asBoolean(false));
    vendor(m, 13, n);
    return m;
  }

  private static Msg parametersItem(JsonNode n) {
    Msg item = new Msg();
    if (n.has("$ref")) {
      Msg ref = new Msg();
      ref.str(1, n.get("$ref").asString());
      ref.str(2, n.path("description").asString(""));
      item.msg(2, ref);
      return item;
    }
    Msg parameter = new Msg();
    String in = n.path("in").asString("");
    if (in.equals("body")) {
      Msg body = new Msg();
      body.str(1, n.path("description").asString(""));
      body.str(2, n.path("name").asString(""));
      body.str(3, in);
      body.bool(4, n.path("required").asBoolean(false));
      if (n.has("schema")) body.msg(5, schema(n.get("schema")));
      vendor(body, 6, n);
      parameter.msg(1, body);
    } else {
      // header, formData and query sub-schemas share one layout, path (and header) another
      boolean withAllowEmpty = in.equals("query") || in.equals("formData");
      int o = withAllowEmpty ? 1 : 0; // fields after name shift by one where allowEmptyValue exists
      Msg sub = new Msg();
      sub.bool(1, n.path("required").asBoolean(false));
      sub.str(2, in);
      sub.str(3, n.path("description").asString(""));
      sub.str(4, n.path("name").asString(""));
      if (withAllowEmpty) sub.bool(5, n.path("allowEmptyValue").asBoolean(false));
      sub.str(5 + o, n.path("type").asString(""));
      sub.str(6 + o, n.path("format").asString(""));
      if (n.has("items")) sub.msg(7 + o, primitivesItems(n.get("items")));
      sub.str(8 + o, n.path("collectionFormat").asString(""));
      if (n.has("default")) sub.msg(9 + o, any(n.get("default")));
      sub.bool(19 + o, n.path("uniqueItems").asBoolean(false));
      if (n.has("enum")) for (JsonNode e : n.get("enum")) sub.msg(20 + o, any(e));
      vendor(sub, 22 + o, n);
      int which = switch (in) {
        case "header" -> 1;
        case "formData" -> 2;
        case "query" -> 3;
        default -> 4; // path
      };
      Msg nonBody = new Msg();
      nonBody.msg(which, sub);
      parameter.msg(2, nonBody);
    }
    item.msg(1, parameter);
    return item;
  }

  private static Msg primitivesItems(JsonNode n) {
    Msg m = new Msg();
    m.str(1, n.path("type").asString(""));
    m.str(2, n.path("format").asString(""));
    if (n.has("items")) m.msg(3, primitivesItems(n.get("items")));
    m.str(4, n.path("collectionFormat").asString(""));
    if (n.has("default")) m.msg(5, any(n.get("default")));
    m.bool(15, n.path("uniqueItems").asBoolean(false));
    vendor(m, 18, n);
    return m;
  }

  private static Msg responses(JsonNode n) {
    Msg m = new Msg();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (e.getKey().startsWith("x-")) continue;
      JsonNode r = e.getValue();
      Msg value = new Msg();
      if (r.has("$ref")) {
        Msg ref = new Msg();
        ref.str(1, r.get("$ref").asString());
        value.msg(2, ref);
      } else {
        Msg response = new Msg();
        response.str(1, r.path("description").asString(""));
        if (r.has("schema")) {
          Msg item = new Msg();
          item.msg(1, schema(r.get("schema")));
          response.msg(2, item);
        }
        vendor(response, 5, r);
        value.msg(1, response);
      }
      m.msg(1, named(e.getKey(), value));
    }
    vendor(m, 2, n);
    return m;
  }

  static Msg schema(JsonNode n) {
    Msg m = new Msg();
    m.str(1, n.path("$ref").asString(""));
    m.str(2, n.path("format").asString(""));
    m.str(3, n.path("title").asString(""));
    m.str(4, n.path("description").asString(""));
    if (n.has("default")) m.msg(5, any(n.get("default")));
    if (n.has("multipleOf")) m.dbl(6, n.get("multipleOf").asDouble());
    if (n.has("maximum")) m.dbl(7, n.get("maximum").asDouble());
    m.bool(8, n.path("exclusiveMaximum").asBoolean(false));
    if (n.has("minimum")) m.dbl(9, n.get("minimum").asDouble());
    m.bool(10, n.path("exclusiveMinimum").asBoolean(false));
    if (n.has("maxLength")) m.int64(11, n.get("maxLength").asLong());
    if (n.has("minLength")) m.int64(12, n.get("minLength").asLong());
    m.str(13, n.path("pattern").asString(""));
    if (n.has("maxItems")) m.int64(14, n.get("maxItems").asLong());
    if (n.has("minItems")) m.int64(15, n.get("minItems").asLong());
    m.bool(16, n.path("uniqueItems").asBoolean(false));
    if (n.has("maxProperties")) m.int64(17, n.get("maxProperties").asLong());
    if (n.has("minProperties")) m.int64(18, n.get("minProperties").asLong());
    m.strings(19, n.get("required"));
    if (n.has("enum")) for (JsonNode e : n.get("enum")) m.msg(20, any(e));
    JsonNode ap = n.get("additionalProperties");
    if (ap != null) {
      Msg item = new Msg();
      if (ap.isBoolean()) item.boolAlways(2, ap.asBoolean());
      else item.msg(1, schema(ap));
      m.msg(21, item);
    }
    JsonNode type = n.get("type");
    if (type != null) {
      Msg t = new Msg();
      if (type.isArray()) for (JsonNode v : type) t.str(1, v.asString());
      else t.str(1, type.asString());
      m.msg(22, t);
    }
    JsonNode items = n.get("items");
    if (items != null) {
      Msg t = new Msg();
      if (items.isArray()) for (JsonNode v : items) t.msg(1, schema(v));
      else t.msg(1, schema(items));
      m.msg(23, t);
    }
    if (n.has("allOf")) for (JsonNode s : n.get("allOf")) m.msg(24, schema(s));
    JsonNode props = n.get("properties");
    if (props != null) {
      Msg p = new Msg();
      for (Map.Entry<String, JsonNode> e : props.properties()) p.msg(1, named(e.getKey(), schema(e.getValue())));
      m.msg(25, p);
    }
    m.str(26, n.path("discriminator").asString(""));
    m.bool(27, n.path("readOnly").asBoolean(false));
    if (n.has("example")) m.msg(30, any(n.get("example")));
    vendor(m, 31, n);
    return m;
  }

  private static Msg securityRequirement(JsonNode n) {
    Msg m = new Msg();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      Msg array = new Msg();
      array.strings(1, e.getValue());
      m.msg(1, named(e.getKey(), array));
    }
    return m;
  }

  private static Msg securityDefinition(JsonNode n) {
    Msg item = new Msg();
    String type = n.path("type").asString("");
    if (type.equals("apiKey")) {
      Msg k = new Msg();
      k.str(1, type);
      k.str(2, n.path("name").asString(""));
      k.str(3, n.path("in").asString(""));
      k.str(4, n.path("description").asString(""));
      vendor(k, 5, n);
      item.msg(2, k);
    } else if (type.equals("basic")) {
      Msg b = new Msg();
      b.str(1, type);
      b.str(2, n.path("description").asString(""));
      vendor(b, 3, n);
      item.msg(1, b);
    }
    return item;
  }

  /** {@code NamedXxx}: name = 1, value = 2. */
  private static Msg named(String name, Msg value) {
    Msg m = new Msg();
    m.str(1, name);
    m.msg(2, value);
    return m;
  }

  /** {@code Any}: the value as YAML text (field 2). */
  private static Msg any(JsonNode value) {
    Msg m = new Msg();
    String yaml = value.isString() ? quote(value.asString()) : new String(Json.bytes(value), StandardCharsets.UTF_8);
    m.strAlways(2, yaml + "\n");
    return m;
  }

  /** A JSON string literal (valid YAML) of {@code s}. */
  private static String quote(String s) {
    return GoJson.literal(s);
  }


  /** Every {@code x-} member of {@code n} as a {@code NamedAny} in field {@code field}. */
  private static void vendor(Msg m, int field, JsonNode n) {
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (e.getKey().startsWith("x-")) m.msg(field, named(e.getKey(), any(e.getValue())));
    }
  }

  /**
   * One message being built. Parts are kept until {@link #bytes()}, which sizes every nested message first and then
   * writes the whole tree once into an array of the exact size (no copying of nested messages).
   */
  static final class Msg {
    private static final int STRING = 0, BOOL = 1, INT64 = 2, DOUBLE = 3, MESSAGE = 4, RAW = 5;
    private int[] fields = new int[8];
    private int[] kinds = new int[8];
    private Object[] values = new Object[8];
    private long[] numbers = new long[8];
    private int count;
    private int size = -1;

    private void add(int field, int kind, Object value, long number) {
      if (count == fields.length) {
        int n = count * 2;
        fields = java.util.Arrays.copyOf(fields, n);
        kinds = java.util.Arrays.copyOf(kinds, n);
        values = java.util.Arrays.copyOf(values, n);
        numbers = java.util.Arrays.copyOf(numbers, n);
      }
      fields[count] = field;
      kinds[count] = kind;
      values[count] = value;
      numbers[count] = number;
      count++;
      size = -1;
    }

    void str(int field, String s) {
      if (s != null && !s.isEmpty()) strAlways(field, s);
    }

    void strAlways(int field, String s) { add(field, STRING, s, 0); }

    void strings(int field, JsonNode array) {
      if (array == null) return;
      if (array.isArray()) for (JsonNode v : array) strAlways(field, v.asString());
      else strAlways(field, array.asString());
    }

    void bool(int field, boolean b) {
      if (b) boolAlways(field, true);
    }

    void boolAlways(int field, boolean b) { add(field, BOOL, null, b ? 1 : 0); }

    void int64(int field, long v) { add(field, INT64, null, v); }

    void dbl(int field, double v) { add(field, DOUBLE, null, Double.doubleToRawLongBits(v)); }

    void msg(int field, Msg m) { add(field, MESSAGE, m, 0); }

    /** A nested message already encoded. */
    void raw(int field, byte[] encoded) { add(field, RAW, encoded, 0); }

    int size() {
      if (size >= 0) return size;
      int n = 0;
      for (int i = 0; i < count; i++) {
        int f = fields[i];
        n += switch (kinds[i]) {
          case STRING -> CodedOutputStream.computeStringSize(f, (String) values[i]);
          case BOOL -> CodedOutputStream.computeBoolSize(f, numbers[i] != 0);
          case INT64 -> CodedOutputStream.computeInt64Size(f, numbers[i]);
          case DOUBLE -> CodedOutputStream.computeDoubleSize(f, 0);
          case MESSAGE -> {
            int s = ((Msg) values[i]).size();
            yield CodedOutputStream.computeTagSize(f) + CodedOutputStream.computeUInt32SizeNoTag(s) + s;
          }
          default -> CodedOutputStream.computeByteArraySize(f, (byte[]) values[i]);
        };
      }
      size = n;
      return n;
    }

    private void writeTo(CodedOutputStream out) throws IOException {
      for (int i = 0; i < count; i++) {
        int f = fields[i];
        switch (kinds[i]) {
          case STRING -> out.writeString(f, (String) values[i]);
          case BOOL -> out.writeBool(f, numbers[i] != 0);
          case INT64 -> out.writeInt64(f, numbers[i]);
          case DOUBLE -> out.writeDouble(f, Double.longBitsToDouble(numbers[i]));
          case MESSAGE -> {
            Msg m = (Msg) values[i];
            out.writeTag(f, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(m.size());
            m.writeTo(out);
          }
          default -> out.writeByteArray(f, (byte[]) values[i]);
        }
      }
    }

    byte[] bytes() {
      byte[] b = new byte[size()];
      CodedOutputStream out = CodedOutputStream.newInstance(b);
      try {
        writeTo(out);
        out.checkNoSpaceLeft();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return b;
    }
  }
}
