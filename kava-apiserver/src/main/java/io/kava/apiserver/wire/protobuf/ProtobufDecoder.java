package io.kava.apiserver.wire.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kubernetes.client.proto.Runtime.Unknown;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes request bodies in {@code application/vnd.kubernetes.protobuf} (what kubectl 1.32+ sends for typed
 * commands such as {@code create deployment}) into the JSON object a JSON client would have sent for the same Go
 * value, with {@code kind} and {@code apiVersion}.
 *
 * <p>A body is the 4 bytes {@code k8s\0} and a {@code runtime.Unknown} whose {@code typeMeta} names the kind and
 * whose {@code raw} is the kind's message. Zero values of non-pointer Go fields (which the Go sender always
 * writes) are dropped, zero values of pointer fields are kept ({@code replicas: 0}); see {@link GoFieldRules}
 * for the exact rules and the field table, {@link ProtobufKinds} for the kinds, {@link ProtoSchema} for the
 * message descriptors.
 *
 * <p>Thread-safe; {@link #get()} is the shared instance (building the descriptors takes a moment, once).
 */
public final class ProtobufDecoder {
  /** The Content-Type of Kubernetes protobuf bodies. */
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final int MAX_EMBEDDING = 8;
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static final class Holder {
    static final ProtobufDecoder INSTANCE = new ProtobufDecoder();
  }

  private final ProtobufKinds kinds;
  private final MessageToJson json;
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

  public ProtobufDecoder() {
    this.kinds = new ProtobufKinds(ProtoSchema.get());
    this.json = new MessageToJson(GoFieldRules.get(), this::decodeEmbedded);
  }

  /** The shared decoder. */
  public static ProtobufDecoder get() { return Holder.INSTANCE; }

  /** Whether the body starts with the {@code k8s\0} prefix of a Kubernetes protobuf message. */
  public static boolean hasMagic(byte[] body) {
    if (body == null || body.length < MAGIC.length) return false;
    for (int i = 0; i < MAGIC.length; i++) {
      if (body[i] != MAGIC[i]) return false;
    }
    return true;
  }

  /** Whether bodies of this kind can be decoded. */
  public boolean supports(String apiVersion, String kind) {
    return kinds.find(apiVersion, kind) != null;
  }

  /**
   * "apiVersion/kind" of every decodable kind ("v1/Pod", "apps/v1/Deployment", the lists too). DeleteOptions, accepted
   * with any of these apiVersions and meta.k8s.io/v1, is not listed.
   */
  public Set<String> supportedKinds() { return kinds.keys(); }

  /**
   * Decodes a protobuf request body.
   *
   * @return a new JSON object: {@code kind}, {@code apiVersion}, then the fields of the kind
   * @throws ProtobufDecodeException when the body is not a protobuf message of a known kind
   */
  public ObjectNode decode(byte[] body) {
    return decode(body, null, null);
  }

  /**
   * Decodes a protobuf request body whose envelope may lack its apiVersion or kind, taking them from the
   * request's target (as Go's protobuf serializer does with the kind it decodes into).
   *
   * @param defaultApiVersion used when the envelope has no apiVersion (may be null)
   * @param defaultKind used when the envelope has no kind (may be null)
   */
  public ObjectNode decode(byte[] body, String defaultApiVersion, String defaultKind) {
    if (body == null || body.length == 0) throw new ProtobufDecodeException("empty protobuf body");
    if (!hasMagic(body)) {
      throw new ProtobufDecodeException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
    }
    if (body.length == MAGIC.length) throw new ProtobufDecodeException("empty protobuf body after the k8s prefix");
    Unknown envelope;
    try {
      envelope = Unknown.parser().parseFrom(body, MAGIC.length, body.length - MAGIC.length);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtobufDecodeException("malformed protobuf body (runtime.Unknown envelope): " + e.getMessage(), e);
    }
    String apiVersion = envelope.getTypeMeta().getApiVersion();
    String kind = envelope.getTypeMeta().getKind();
    if (apiVersion.isEmpty() && defaultApiVersion != null) apiVersion = defaultApiVersion;
    if (kind.isEmpty() && defaultKind != null) kind = defaultKind;
    if (kind.isEmpty()) throw new ProtobufDecodeException("Object 'Kind' is missing in the protobuf body");
    if (apiVersion.isEmpty()) throw new ProtobufDecodeException("Object 'apiVersion' is missing in the protobuf body");
    if (!envelope.getContentEncoding().isEmpty()) {
      throw new ProtobufDecodeException("unsupported content encoding \"" + envelope.getContentEncoding() + "\" in the protobuf body");
    }
    String contentType = envelope.getContentType();
    if (contentType.startsWith("application/json")) return embeddedJson(envelope.getRaw(), apiVersion, kind);
    if (!contentType.isEmpty() && !contentType.startsWith(MEDIA_TYPE)) {
      throw new ProtobufDecodeException("unsupported content type \"" + contentType + "\" in the protobuf body");
    }
    return decodeMessage(apiVersion, kind, envelope.getRaw());
  }

  /**
   * Decodes the message of a kind without the envelope (the {@code raw} of a runtime.Unknown).
   *
   * @throws ProtobufDecodeException for an unknown kind or malformed bytes
   */
  public ObjectNode decodeMessage(String apiVersion, String kind, byte[] raw) {
    return decodeMessage(apiVersion, kind, ByteString.copyFrom(raw));
  }

  private ObjectNode decodeMessage(String apiVersion, String kind, ByteString raw) {
    Descriptor type = kinds.find(apiVersion, kind);
    if (type == null) {
      throw new ProtobufDecodeException("no kind \"" + kind + "\" is registered for version \"" + apiVersion
          + "\" in the protobuf decoder");
    }
    DynamicMessage message;
    try {
      message = DynamicMessage.parseFrom(type, raw);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtobufDecodeException("malformed protobuf body for " + apiVersion + ", Kind=" + kind + ": " + e.getMessage(), e);
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("kind", kind);
    out.put("apiVersion", apiVersion);
    out.setAll(json.object(message));
    return out;
  }

  private ObjectNode decodeEmbedded(byte[] envelope) {
    int[] d = depth.get();
    if (d[0] >= MAX_EMBEDDING) throw new ProtobufDecodeException("protobuf objects embedded more than " + MAX_EMBEDDING + " deep");
    d[0]++;
    try {
      return decode(envelope);
    } finally {
      d[0]--;
    }
  }

  private static ObjectNode embeddedJson(ByteString raw, String apiVersion, String kind) {
    JsonNode node;
    try {
      node = MAPPER.readTree(raw.toByteArray());
    } catch (JacksonException e) {
      throw new ProtobufDecodeException("malformed JSON in the protobuf envelope: " + e.getOriginalMessage(), e);
    }
    if (!(node instanceof ObjectNode object)) throw new ProtobufDecodeException("the protobuf envelope holds JSON that is not an object");
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("kind", kind);
    out.put("apiVersion", apiVersion);
    object.properties().forEach(e -> {
      if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion")) out.set(e.getKey(), e.getValue());
    });
    return out;
  }
}
