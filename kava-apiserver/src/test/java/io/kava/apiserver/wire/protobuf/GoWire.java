package io.kava.apiserver.wire.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.MessageLite;
import io.kava.apiserver.wire.protobuf.GoFieldRules.Rule;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import java.io.ByteArrayOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds protobuf bodies the way the Go client (kubectl) writes them: the {@code k8s\0} envelope, and every
 * non-pointer field written even when it is empty.
 */
final class GoWire {
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private GoWire() {}

  /** {@code k8s\0} + runtime.Unknown{typeMeta, raw, contentEncoding: "", contentType: ""}, as Go writes it. */
  static byte[] envelope(String apiVersion, String kind, ByteString raw) {
    Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(raw).setContentEncoding("").setContentType("").build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'k', '8', 's', 0});
    out.writeBytes(unknown.toByteArray());
    return out.toByteArray();
  }

  static byte[] envelope(String apiVersion, String kind, MessageLite message) {
    return envelope(apiVersion, kind, message.toByteString());
  }

  /** ObjectMeta with its non-pointer fields written empty, and the zero creationTimestamp (an empty Time). */
  static Meta.ObjectMeta.Builder meta(String name) {
    return Meta.ObjectMeta.newBuilder().setName(name).setGenerateName("").setNamespace("").setSelfLink("").setUid("")
        .setResourceVersion("").setGeneration(0).setCreationTimestamp(Meta.Time.getDefaultInstance());
  }

  /** A Container as kubectl's generators fill it: name and image, the other non-pointer fields empty. */
  static V1.Container.Builder container(String name, String image) {
    return V1.Container.newBuilder().setName(name).setImage(image).setWorkingDir("")
        .setResources(V1.ResourceRequirements.getDefaultInstance()).setTerminationMessagePath("").setImagePullPolicy("")
        .setStdin(false).setStdinOnce(false).setTty(false).setTerminationMessagePolicy("");
  }

  /** A PodSpec with its non-pointer scalar fields written empty. */
  static V1.PodSpec.Builder podSpec() {
    return V1.PodSpec.newBuilder().setRestartPolicy("").setDnsPolicy("").setServiceAccountName("").setServiceAccount("")
        .setNodeName("").setHostNetwork(false).setHostPID(false).setHostIPC(false).setHostname("").setSubdomain("")
        .setSchedulerName("").setPriorityClassName("");
  }

  /**
   * Writes every field of a message that Go would write although it was never set: each non-pointer,
   * non-repeated field that is absent gets its zero value (a zero struct filled the same way, recursively; an
   * empty message for Time and MicroTime, whose zero Go writes as nothing). Present sub-messages are filled too.
   * Pointer fields are left as they are, as Go writes a nil pointer as nothing.
   */
  static DynamicMessage goFill(Descriptor type, ByteString bytes) {
    try {
      DynamicMessage.Builder b = DynamicMessage.newBuilder(type).mergeFrom(bytes);
      fill(b);
      return b.build();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void fill(DynamicMessage.Builder b) {
    GoFieldRules rules = GoFieldRules.get();
    for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
      if (f.isRepeated()) {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField()) {
          for (int i = 0; i < b.getRepeatedFieldCount(f); i++) {
            DynamicMessage.Builder e = ((DynamicMessage) b.getRepeatedField(f, i)).toBuilder();
            fill(e);
            b.setRepeatedField(f, i, e.build());
          }
        }
        continue;
      }
      boolean present = b.hasField(f);
      if (!present && rules.rule(f) == Rule.POINTER) continue;
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        String t = f.getMessageType().getFullName();
        if (t.endsWith("meta.v1.Time") || t.endsWith("meta.v1.MicroTime")) {
          if (!present) b.setField(f, DynamicMessage.getDefaultInstance(f.getMessageType()));
          continue;
        }
        DynamicMessage.Builder sub = present ? ((DynamicMessage) b.getField(f)).toBuilder()
            : DynamicMessage.newBuilder(f.getMessageType());
        if (t.endsWith("resource.Quantity") && !present) {
          sub.setField(f.getMessageType().findFieldByName("string"), "0");
        } else if (!t.endsWith("runtime.RawExtension") && !t.endsWith("meta.v1.FieldsV1")) {
          fill(sub);
        }
        b.setField(f, sub.build());
      } else if (!present) {
        b.setField(f, f.getDefaultValue());
      }
    }
  }

  static ObjectNode json(String text) {
    JsonNode n = MAPPER.readTree(text);
    return (ObjectNode) n;
  }

  /**
   * kubectl's JSON (as {@code kubectl create ... -o json} prints it) without the properties the decoder leaves
   * out by design: {@code null}s (a zero creationTimestamp) and empty objects ({@code status: {}},
   * {@code resources: {}}, {@code strategy: {}}), removed repeatedly until none is left. The decoder keeps an
   * empty object or a null only for a pointer field or a field without omitempty; no kubectl create command
   * below has one, except where a test says so.
   */
  static ObjectNode withoutEmpties(ObjectNode kubectl) {
    ObjectNode copy = kubectl.deepCopy();
    prune(copy);
    return copy;
  }

  private static boolean prune(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (String name : o.propertyNames().stream().toList()) {
        JsonNode v = o.get(name);
        if (v.isNull() || prune(v) && v.isEmpty()) o.remove(name);
      }
      return true;
    }
    if (node.isArray()) {
      for (JsonNode e : node) prune(e);
    }
    return false;
  }
}
