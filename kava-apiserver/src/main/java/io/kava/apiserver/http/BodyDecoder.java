package io.kava.apiserver.http;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.wire.protobuf.ProtobufDecodeException;
import io.kava.apiserver.wire.protobuf.ProtobufDecoder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Turns a request body (JSON, YAML or Kubernetes protobuf) into the object tree the registry works on, and checks
 * that it is the kind the URL names. Every failure is a 400 Status; nothing reaches storage.
 */
public final class BodyDecoder {
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  private final java.util.function.Supplier<ProtobufDecoder> protobuf;

  /** {@code protobuf} is asked for lazily: building its descriptors is too slow for the startup path. */
  public BodyDecoder(java.util.function.Supplier<ProtobufDecoder> protobuf) { this.protobuf = protobuf; }

  /** Any JSON or YAML document (patches, DeleteOptions). */
  public JsonNode parse(String contentType, byte[] body) {
    String type = MediaTypes.contentType(contentType);
    if (type.equals(MediaTypes.PROTOBUF)) {
      try {
        return protobuf.get().decode(body);
      } catch (ProtobufDecodeException e) {
        throw e.toStatusException();
      }
    }
    try {
      if (type.endsWith("yaml")) {
        JsonNode n = YAML.readTree(body);
        return n == null || n.isMissingNode() ? Json.NODES.nullNode() : n;
      }
      if (body.length == 0) throw StatusException.badRequest("the request body is empty");
      return Json.MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw StatusException.badRequest("the body of the request could not be decoded as " + (type.endsWith("yaml") ? "YAML" : "JSON")
          + ": " + shortMessage(e));
    }
  }

  /** The object of a create or update, checked against the resource's group, version and kind. */
  public ObjectNode decodeObject(ResourceDefinition def, String contentType, byte[] body) {
    String type = MediaTypes.contentType(contentType);
    JsonNode node;
    if (type.equals(MediaTypes.PROTOBUF)) {
      try {
        node = protobuf.get().decode(body, def.apiVersion(), def.kind());
      } catch (ProtobufDecodeException e) {
        throw e.toStatusException();
      }
    } else if (type.equals(MediaTypes.JSON) || type.endsWith("yaml") || type.equals("*/*") || type.equals("text/plain")) {
      node = parse(type, body);
    } else {
      throw StatusException.unsupportedMediaType(type);
    }
    if (!(node instanceof ObjectNode object)) {
      throw StatusException.badRequest("the body of the request must be a JSON object of kind " + def.kind());
    }
    checkKind(def, object);
    return object;
  }

  /** Upstream accepts a body without apiVersion/kind only when decoding into a known type; kava requires them to match. */
  static void checkKind(ResourceDefinition def, ObjectNode object) {
    String kind = Json.text(object, "kind");
    String apiVersion = Json.text(object, "apiVersion");
    if (kind == null || kind.isEmpty()) {
      object.put("kind", def.kind());
    } else if (!kind.equals(def.kind())) {
      throw StatusException.badRequest(kind + " in version \"" + (apiVersion == null ? "" : apiVersion)
          + "\" cannot be handled as a " + def.kind() + ": the kind of the object (" + kind
          + ") does not match the kind the URL names (" + def.kind() + ")");
    }
    if (apiVersion == null || apiVersion.isEmpty()) {
      object.put("apiVersion", def.apiVersion());
    } else if (!apiVersion.equals(def.apiVersion())) {
      throw StatusException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version ("
          + def.apiVersion() + ")");
    }
    JsonNode meta = object.get("metadata");
    if (meta != null && !meta.isObject() && !meta.isNull()) {
      throw StatusException.badRequest(def.kind() + " in version \"" + def.version() + "\" cannot be handled as a " + def.kind()
          + ": metadata must be an object");
    }
  }

  private static String shortMessage(JacksonException e) {
    String m = e.getOriginalMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
