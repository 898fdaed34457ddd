package io.kava.apiserver.wire.protobuf;

import static io.kava.apiserver.wire.protobuf.GoWire.envelope;
import static io.kava.apiserver.wire.protobuf.GoWire.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Every kind of the table, through the whole descriptor. */
class AllKindsTest {
  private final ProtobufDecoder decoder = ProtobufDecoder.get();

  static Stream<String> kinds() {
    return Stream.concat(ProtobufDecoder.get().supportedKinds().stream(),
        Stream.of("v1/DeleteOptions", "apps/v1/DeleteOptions", "meta.k8s.io/v1/DeleteOptions"));
  }

  private static String apiVersion(String key) { return key.substring(0, key.lastIndexOf('/')); }

  private static String kind(String key) { return key.substring(key.lastIndexOf('/') + 1); }

  private static Descriptor type(String key) {
    Descriptor d = new ProtobufKinds(ProtoSchema.get()).find(apiVersion(key), kind(key));
    assertThat(d).as(key).isNotNull();
    return d;
  }

  @Test
  void theServedKindsAreAllThere() {
    assertThat(decoder.supportedKinds()).contains("v1/Namespace", "v1/Pod", "v1/Service", "v1/Endpoints", "v1/Node",
        "v1/ConfigMap", "v1/Secret", "v1/ServiceAccount", "v1/Event", "v1/PersistentVolume", "v1/PersistentVolumeClaim",
        "v1/LimitRange", "v1/ResourceQuota", "v1/ReplicationController", "v1/Binding", "apps/v1/Deployment",
        "apps/v1/ReplicaSet", "apps/v1/StatefulSet", "apps/v1/DaemonSet", "apps/v1/ControllerRevision", "batch/v1/Job",
        "batch/v1/CronJob", "networking.k8s.io/v1/Ingress", "networking.k8s.io/v1/IngressClass",
        "networking.k8s.io/v1/NetworkPolicy", "storage.k8s.io/v1/StorageClass", "rbac.authorization.k8s.io/v1/Role",
        "rbac.authorization.k8s.io/v1/RoleBinding", "rbac.authorization.k8s.io/v1/ClusterRole",
        "rbac.authorization.k8s.io/v1/ClusterRoleBinding", "coordination.k8s.io/v1/Lease",
        "discovery.k8s.io/v1/EndpointSlice", "events.k8s.io/v1/Event", "policy/v1/PodDisruptionBudget", "policy/v1/Eviction",
        "scheduling.k8s.io/v1/PriorityClass", "autoscaling/v1/Scale", "authentication.k8s.io/v1/TokenRequest",
        "v1/PodList", "apps/v1/DeploymentList", "coordination.k8s.io/v1/LeaseList");
    assertThat(decoder.supports("apps/v1", "DeleteOptions")).isTrue();
    assertThat(decoder.supports("example.com/v1", "DeleteOptions")).isFalse();
  }

  /**
   * Go writes every non-pointer field, a client that is not Go may write only what is set: both mean the same Go
   * value and must decode to the same JSON.
   */
  @ParameterizedTest
  @MethodSource("kinds")
  void goZeroFieldsChangeNothing(String key) {
    Descriptor type = type(key);
    ObjectNode bare = decoder.decode(envelope(apiVersion(key), kind(key), ByteString.EMPTY));
    DynamicMessage goZero = GoWire.goFill(type, ByteString.EMPTY);
    if (!kind(key).equals("DeleteOptions")) { // all pointers and slices: Go writes nothing for its zero
      assertThat(goZero.toByteString().size()).as("the Go zero of " + key + " writes fields").isPositive();
    }
    assertThat(decoder.decode(envelope(apiVersion(key), kind(key), goZero.toByteString()))).isEqualTo(bare);
    assertThat(bare.get("kind").stringValue()).isEqualTo(kind(key));
    assertThat(bare.get("apiVersion").stringValue()).isEqualTo(apiVersion(key));
    assertThat(bare.has("metadata")).as("an empty ObjectMeta is left out").isEqualTo(key.endsWith("/Event"));
  }

  @Test
  void zeroObjectsLookLikeGoJsonLessTheEmpties() {
    assertThat(decoder.decode(envelope("apps/v1", "Deployment", ByteString.EMPTY)).toString())
        .isEqualTo("{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"spec\":{\"template\":{}}}");
    assertThat(decoder.decode(envelope("rbac.authorization.k8s.io/v1", "RoleBinding", ByteString.EMPTY))).isEqualTo(json("""
        {"kind": "RoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1", "roleRef": {"apiGroup": "", "kind": "", "name": ""}}"""));
    assertThat(decoder.decode(envelope("v1", "Pod", ByteString.EMPTY)).toString()).isEqualTo("{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}");
  }

  /** Every field of every kind set to a non-zero value, nested a few levels deep: decodes, and every field shows. */
  @ParameterizedTest
  @MethodSource("kinds")
  void everyFieldDecodes(String key) {
    DynamicMessage full = populate(type(key), 0);
    ObjectNode json = decoder.decode(envelope(apiVersion(key), kind(key), full.toByteString()));
    assertThat(json.size()).isEqualTo(2 + jsonFieldCount(type(key)));
  }

  private static int jsonFieldCount(Descriptor d) {
    int n = 0;
    for (FieldDescriptor f : d.getFields()) {
      n += GoFieldRules.get().rule(f) == GoFieldRules.Rule.INLINE ? jsonFieldCount(f.getMessageType()) : 1;
    }
    return n;
  }

  private static DynamicMessage populate(Descriptor d, int depth) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
    String name = d.getFullName();
    if (name.endsWith("meta.v1.Time") || name.endsWith("meta.v1.MicroTime")) {
      return b.setField(d.findFieldByName("seconds"), 1704164645L).setField(d.findFieldByName("nanos"), 5000).build();
    }
    if (name.endsWith("resource.Quantity")) return b.setField(d.findFieldByName("string"), "1Gi").build();
    if (name.endsWith("runtime.RawExtension")) return b.setField(d.findFieldByName("raw"), ByteString.copyFromUtf8("{\"a\":1}")).build();
    if (name.endsWith("meta.v1.FieldsV1")) return b.setField(d.findFieldByName("Raw"), ByteString.copyFromUtf8("{\"f:a\":{}}")).build();
    for (FieldDescriptor f : d.getFields()) {
      Object v = sample(f, depth);
      if (v == null) continue;
      if (f.isRepeated()) {
        b.addRepeatedField(f, v);
      } else {
        b.setField(f, v);
      }
    }
    return b.build();
  }

  private static Object sample(FieldDescriptor f, int depth) {
    return switch (f.getJavaType()) {
      case STRING -> "s";
      case INT -> 7;
      case LONG -> 7L;
      case BOOLEAN -> true;
      case DOUBLE -> 1.5d;
      case FLOAT -> 1.5f;
      case BYTE_STRING -> ByteString.copyFromUtf8("b");
      case ENUM -> f.getEnumType().getValues().get(0);
      case MESSAGE -> depth > 6 && !f.isMapField() && MessageToJson.special(f.getMessageType()) == MessageToJson.Special.NONE
          ? DynamicMessage.getDefaultInstance(f.getMessageType()) : populate(f.getMessageType(), depth + 1);
    };
  }

  @Test
  void populatedObjectsHaveTheirWireTypesRight() {
    DynamicMessage full = populate(type("apps/v1/Deployment"), 0);
    ObjectNode json = decoder.decode(envelope("apps/v1", "Deployment", full.toByteString()));
    assertThat(json.at("/metadata/creationTimestamp").stringValue()).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(json.at("/spec/strategy/rollingUpdate/maxSurge").isString()).isFalse(); // type 7 is not 1: an int
    JsonNode container = json.at("/spec/template/spec/containers/0");
    assertThat(container.at("/resources/limits/s").stringValue()).isEqualTo("1Gi");
    assertThat(container.at("/livenessProbe/httpGet/path").stringValue()).isEqualTo("s");
    assertThat(json.at("/metadata/managedFields/0/fieldsV1")).isEqualTo(json("{\"f:a\": {}}"));
    List<String> names = json.at("/spec/template/spec/volumes/0").propertyNames().stream().toList();
    assertThat(names).contains("name", "emptyDir", "hostPath", "configMap", "csi").doesNotContain("volumeSource");
  }
}
