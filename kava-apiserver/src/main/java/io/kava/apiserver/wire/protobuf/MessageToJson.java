package io.kava.apiserver.wire.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.kava.apiserver.wire.protobuf.GoFieldRules.Rule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a parsed Kubernetes protobuf message as the JSON object Go's encoding/json would write for the same Go
 * value, walking the descriptor. The per-field decisions (pointer, omitempty, inline, JSON name) come from
 * {@link GoFieldRules}; the Kubernetes wire types with their own JSON form are handled here:
 * <ul>
 *   <li>meta.v1.Time: {@code "2024-01-02T03:04:05Z"} (UTC, seconds; the nanos are ignored as Go does); an empty
 *       message is the zero Time, {@code null} in JSON.</li>
 *   <li>meta.v1.MicroTime: {@code "2024-01-02T03:04:05.123456Z"} (six fraction digits, truncated).</li>
 *   <li>meta.v1.Duration: Go's duration string ({@code "1h0m0s"}, {@code "1.5s"}, {@code "300ms"}).</li>
 *   <li>resource.Quantity: its {@code string} field.</li>
 *   <li>intstr.IntOrString: a number or a string, by {@code type}.</li>
 *   <li>runtime.RawExtension and meta.v1.FieldsV1: the embedded JSON; a RawExtension holding a protobuf object
 *       ({@code k8s\0} envelope) is decoded in turn.</li>
 *   <li>the string-list wrappers (meta.v1.Verbs, ExtraValue): a JSON array.</li>
 *   <li>{@code bytes}: base64 (standard, padded), like Go's {@code []byte}.</li>
 * </ul>
 */
final class MessageToJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter RFC3339_MICRO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  /** Go's zero time.Time, 0001-01-01T00:00:00Z, in Unix seconds. */
  static final long GO_ZERO_TIME_SECONDS = -62135596800L;

  /** A message type whose JSON is not an object of its fields. */
  enum Special { NONE, TIME, MICRO_TIME, DURATION, QUANTITY, INT_OR_STRING, RAW_EXTENSION, FIELDS_V1, STRING_LIST }

  private record FieldPlan(FieldDescriptor field, String json, Rule rule, Special special) {}

  /** Decodes a protobuf object embedded in a RawExtension (a {@code k8s\0} envelope). */
  interface EmbeddedDecoder {
    ObjectNode decode(byte[] envelope);
  }

  private final GoFieldRules rules;
  private final EmbeddedDecoder embedded;
  private final Map<Descriptor, List<FieldPlan>> plans = new ConcurrentHashMap<>();
  private final Map<Descriptor, JsonNode> zeros = new ConcurrentHashMap<>();
  private final ThreadLocal<int[]> zeroDepth = ThreadLocal.withInitial(() -> new int[1]);

  MessageToJson(GoFieldRules rules, EmbeddedDecoder embedded) {
    this.rules = rules;
    this.embedded = embedded;
  }

  static Special special(Descriptor type) {
    return switch (type.getFullName()) {
      case ProtoSchema.META + ".Time" -> Special.TIME;
      case ProtoSchema.META + ".MicroTime" -> Special.MICRO_TIME;
      case ProtoSchema.META + ".Duration" -> Special.DURATION;
      case ProtoSchema.META + ".FieldsV1" -> Special.FIELDS_V1;
      case ProtoSchema.META + ".Verbs", "k8s.io.api.authentication.v1.ExtraValue", "k8s.io.api.authorization.v1.ExtraValue",
           "k8s.io.api.certificates.v1.ExtraValue" -> Special.STRING_LIST;
      case ProtoSchema.RESOURCE + ".Quantity" -> Special.QUANTITY;
      case ProtoSchema.INTSTR + ".IntOrString" -> Special.INT_OR_STRING;
      case ProtoSchema.RUNTIME + ".RawExtension" -> Special.RAW_EXTENSION;
      default -> Special.NONE;
    };
  }

  /** The JSON object of a message of an ordinary (non-special) type. */
  ObjectNode object(Message message) {
    ObjectNode out = NODES.objectNode();
    writeFields(message, out);
    return out;
  }

  private List<FieldPlan> plan(Descriptor type) {
    List<FieldPlan> plan = plans.get(type);
    if (plan != null) return plan;
    List<FieldPlan> p = new ArrayList<>();
    for (FieldDescriptor f : type.getFields()) {
      Special s = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField() ? special(f.getMessageType()) : Special.NONE;
      p.add(new FieldPlan(f, rules.jsonName(f), rules.rule(f), s));
    }
    plan = List.copyOf(p);
    plans.putIfAbsent(type, plan);
    return plan;
  }

  private void writeFields(Message message, ObjectNode out) {
    for (FieldPlan p : plan(message.getDescriptorForType())) {
      FieldDescriptor f = p.field;
      if (f.isMapField()) {
        if (message.getRepeatedFieldCount(f) > 0) out.set(p.json, map(message, f));
      } else if (f.isRepeated()) {
        int n = message.getRepeatedFieldCount(f);
        if (n > 0) {
          ArrayNode a = out.putArray(p.json);
          for (int i = 0; i < n; i++) a.add(value(f, p.special, message.getRepeatedField(f, i)));
        }
      } else if (p.rule == Rule.POINTER) {
        if (message.hasField(f)) out.set(p.json, value(f, p.special, message.getField(f)));
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        // A non-pointer struct: Go's value is the same whether the sender wrote it empty or not at all (a client
        // other than Go may leave it out), so an absent one is written as its zero value, which may have
        // fields without omitempty.
        JsonNode v;
        if (message.hasField(f)) {
          v = value(f, p.special, message.getField(f));
        } else {
          JsonNode z = zero(f.getMessageType(), p.special);
          if (p.rule == Rule.OMITEMPTY && isZero(z, p.special)) continue;
          v = z.isContainer() ? z.deepCopy() : z;
        }
        if (p.rule == Rule.INLINE) {
          if (v instanceof ObjectNode o) o.properties().forEach(e -> out.set(e.getKey(), e.getValue()));
        } else if (p.rule == Rule.ALWAYS || !isZero(v, p.special)) {
          out.set(p.json, v);
        }
      } else if (p.rule == Rule.ALWAYS) {
        out.set(p.json, value(f, p.special, message.getField(f)));
      } else if (message.hasField(f)) {
        JsonNode v = value(f, p.special, message.getField(f));
        if (!isZero(v, p.special)) out.set(p.json, v);
      }
    }
  }

  /** The JSON of a type's zero value, cached: copy it before handing it out. */
  private JsonNode zero(Descriptor type, Special special) {
    JsonNode z = zeros.get(type);
    if (z == null) {
      int[] depth = zeroDepth.get();
      // Go's non-pointer structs cannot nest themselves; a cycle can only come from a field missing from the
      // pointer table, and is cut here rather than recursing forever.
      if (depth[0] > 32) return NullNode.getInstance();
      depth[0]++;
      try {
        z = message(DynamicMessage.getDefaultInstance(type), special);
      } finally {
        depth[0]--;
      }
      zeros.putIfAbsent(type, z);
    }
    return z;
  }

  /** Whether an omitempty field's JSON is the zero value of its Go type (so it is left out). */
  private static boolean isZero(JsonNode v, Special special) {
    return switch (special) {
      case NONE -> v.isObject() ? v.isEmpty() : v.isString() ? v.stringValue().isEmpty()
          : v.isBoolean() ? !v.booleanValue() : v.isNumber() ? v.doubleValue() == 0 : v.isNull();
      case TIME, MICRO_TIME, RAW_EXTENSION, FIELDS_V1 -> v.isNull();
      case DURATION -> "0s".equals(v.stringValue());
      case QUANTITY -> "0".equals(v.stringValue());
      case INT_OR_STRING -> v.isNumber() && v.intValue() == 0;
      case STRING_LIST -> v.isEmpty();
    };
  }

  private ObjectNode map(Message message, FieldDescriptor f) {
    Descriptor entry = f.getMessageType();
    FieldDescriptor key = entry.findFieldByNumber(1);
    FieldDescriptor val = entry.findFieldByNumber(2);
    Special s = val.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? special(val.getMessageType()) : Special.NONE;
    // Go's encoding/json writes map keys sorted; a later duplicate key wins, as in protobuf.
    TreeMap<String, JsonNode> sorted = new TreeMap<>();
    int n = message.getRepeatedFieldCount(f);
    for (int i = 0; i < n; i++) {
      Message e = (Message) message.getRepeatedField(f, i);
      sorted.put(String.valueOf(e.getField(key)), value(val, s, e.getField(val)));
    }
    ObjectNode out = NODES.objectNode();
    sorted.forEach(out::set);
    return out;
  }

  private JsonNode value(FieldDescriptor f, Special special, Object v) {
    return switch (f.getJavaType()) {
      case STRING -> NODES.stringNode((String) v);
      case INT -> f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
          ? number(Integer.toUnsignedLong((Integer) v)) : NODES.numberNode((Integer) v);
      case LONG -> number((Long) v);
      case BOOLEAN -> NODES.booleanNode((Boolean) v);
      case DOUBLE -> NODES.numberNode((Double) v);
      case FLOAT -> NODES.numberNode((Float) v);
      case BYTE_STRING -> NODES.stringNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
      case ENUM -> NODES.stringNode(((EnumValueDescriptor) v).getName());
      case MESSAGE -> message((Message) v, special);
    };
  }

  /** An int node when the value fits, as Jackson's parser makes it, so that decoded and parsed JSON compare equal. */
  private static JsonNode number(long v) {
    return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
  }

  private JsonNode message(Message m, Special special) {
    return switch (special) {
      case NONE -> object(m);
      case TIME -> time(m, false);
      case MICRO_TIME -> time(m, true);
      case DURATION -> NODES.stringNode(goDuration(longField(m, "duration")));
      case QUANTITY -> {
        String q = stringField(m, "string");
        yield NODES.stringNode(q.isEmpty() ? "0" : q);
      }
      case INT_OR_STRING -> longField(m, "type") == 1 ? NODES.stringNode(stringField(m, "strVal"))
          : NODES.numberNode((int) longField(m, "intVal"));
      case RAW_EXTENSION -> raw(bytesField(m, "raw"), "RawExtension");
      case FIELDS_V1 -> raw(bytesField(m, "Raw"), "FieldsV1");
      case STRING_LIST -> {
        ArrayNode a = NODES.arrayNode();
        FieldDescriptor items = m.getDescriptorForType().findFieldByName("items");
        for (int i = 0, n = m.getRepeatedFieldCount(items); i < n; i++) a.add((String) m.getRepeatedField(items, i));
        yield a;
      }
    };
  }

  private static JsonNode time(Message m, boolean micro) {
    // Go writes a zero Time as an empty message; a Java or older sender may write Go's zero instant instead.
    if (m.getAllFields().isEmpty()) return NullNode.getInstance();
    long seconds = longField(m, "seconds");
    long nanos = longField(m, "nanos");
    if (seconds == GO_ZERO_TIME_SECONDS && nanos == 0) return NullNode.getInstance();
    Instant t = micro ? Instant.ofEpochSecond(seconds, nanos - nanos % 1000) : Instant.ofEpochSecond(seconds);
    return NODES.stringNode((micro ? RFC3339_MICRO : RFC3339).format(t));
  }

  private JsonNode raw(ByteString raw, String what) {
    if (raw.isEmpty()) return NullNode.getInstance();
    byte[] bytes = raw.toByteArray();
    if (ProtobufDecoder.hasMagic(bytes)) return embedded.decode(bytes);
    try {
      return MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw new ProtobufDecodeException("the " + what + " holds neither JSON nor a protobuf object: " + e.getOriginalMessage());
    }
  }

  private static long longField(Message m, String name) {
    Object v = m.getField(m.getDescriptorForType().findFieldByName(name));
    return ((Number) v).longValue();
  }

  private static String stringField(Message m, String name) {
    return (String) m.getField(m.getDescriptorForType().findFieldByName(name));
  }

  private static ByteString bytesField(Message m, String name) {
    return (ByteString) m.getField(m.getDescriptorForType().findFieldByName(name));
  }

  /** Go's {@code time.Duration.String()}: "0s", "1.5µs", "300ms", "2m3.5s", "1h0m0s", "-4s". */
  static String goDuration(long d) {
    if (d == 0) return "0s";
    if (d == Long.MIN_VALUE) return "-2562047h47m16.854775808s";
    StringBuilder sb = new StringBuilder();
    if (d < 0) sb.append('-');
    long u = Math.abs(d);
    if (u < 1_000_000_000L) {
      if (u < 1_000L) return sb.append(u).append("ns").toString();
      int prec = u < 1_000_000L ? 3 : 6;
      long scale = prec == 3 ? 1_000L : 1_000_000L;
      sb.append(u / scale);
      fraction(sb, u % scale, prec);
      return sb.append(prec == 3 ? "µs" : "ms").toString();
    }
    long seconds = u / 1_000_000_000L;
    long hours = seconds / 3600;
    long minutes = seconds / 60 % 60;
    if (hours > 0) sb.append(hours).append('h');
    if (hours > 0 || minutes > 0) sb.append(minutes).append('m');
    sb.append(seconds % 60);
    fraction(sb, u % 1_000_000_000L, 9);
    return sb.append('s').toString();
  }

  /** Appends {@code .ddd} for value/10^digits, without trailing zeros; nothing when value is 0. */
  private static void fraction(StringBuilder sb, long value, int digits) {
    if (value == 0) return;
    String s = String.format("%0" + digits + "d", value);
    int end = s.length();
    while (s.charAt(end - 1) == '0') end--;
    sb.append('.').append(s, 0, end);
  }
}
