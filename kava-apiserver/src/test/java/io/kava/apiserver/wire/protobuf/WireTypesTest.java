package io.kava.apiserver.wire.protobuf;

import static io.kava.apiserver.wire.protobuf.GoWire.container;
import static io.kava.apiserver.wire.protobuf.GoWire.envelope;
import static io.kava.apiserver.wire.protobuf.GoWire.json;
import static io.kava.apiserver.wire.protobuf.GoWire.meta;
import static io.kava.apiserver.wire.protobuf.GoWire.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The Kubernetes wire types and the Go field rules, one at a time. */
class WireTypesTest {
  private final ProtobufDecoder decoder = ProtobufDecoder.get();

  private static final long JAN_2_2024_030405 = 1704164645L;

  // ---- a DynamicMessage builder, for the kinds client-java-proto 25 lacks (Lease, EndpointSlice, events/v1)

  private static final class Dyn {
    final DynamicMessage.Builder b;

    Dyn(String fullName) {
      Descriptor d = ProtoSchema.get().message(fullName);
      assertThat(d).as(fullName).isNotNull();
      b = DynamicMessage.newBuilder(d);
    }

    private Object convert(FieldDescriptor f, Object v) {
      if (v instanceof Dyn d) return d.b.build();
      if (v instanceof Message m && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        try {
          return DynamicMessage.parseFrom(f.getMessageType(), m.toByteString());
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException(e);
        }
      }
      return v;
    }

    Dyn set(String field, Object v) {
      FieldDescriptor f = b.getDescriptorForType().findFieldByName(field);
      assertThat(f).as(field).isNotNull();
      b.setField(f, convert(f, v));
      return this;
    }

    Dyn add(String field, Object v) {
      FieldDescriptor f = b.getDescriptorForType().findFieldByName(field);
      assertThat(f).as(field).isNotNull();
      b.addRepeatedField(f, convert(f, v));
      return this;
    }

    ByteString bytes() { return b.build().toByteString(); }
  }

  private static Meta.Time time(long seconds, int nanos) {
    return Meta.Time.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  private static Meta.MicroTime microTime(long seconds, int nanos) {
    return Meta.MicroTime.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  // ---- time

  @Test
  void timeIsRfc3339SecondsInUtc() {
    V1.Namespace ns = V1.Namespace.newBuilder()
        .setMetadata(meta("a").setCreationTimestamp(time(JAN_2_2024_030405, 999_999_999))
            .setDeletionTimestamp(time(0, 0)).setDeletionGracePeriodSeconds(0))
        .build();
    ObjectNode json = decoder.decode(envelope("v1", "Namespace", ns));
    assertThat(json.at("/metadata/creationTimestamp").stringValue()).isEqualTo("2024-01-02T03:04:05Z");
    // a pointer Time at the epoch is a real time, and a zero grace period is kept
    assertThat(json.at("/metadata/deletionTimestamp").stringValue()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(json.at("/metadata/deletionGracePeriodSeconds").isNumber()).isTrue();
  }

  @Test
  void zeroTimeIsDropped() {
    // Go writes a zero Time as an empty message; Go's zero instant (year 1) is zero as well
    for (Meta.Time t : new Meta.Time[] {Meta.Time.getDefaultInstance(), time(MessageToJson.GO_ZERO_TIME_SECONDS, 0)}) {
      V1.Namespace ns = V1.Namespace.newBuilder().setMetadata(meta("a").setCreationTimestamp(t)).build();
      assertThat(decoder.decode(envelope("v1", "Namespace", ns)).get("metadata").toString()).isEqualTo("{\"name\":\"a\"}");
    }
  }

  @Test
  void microTimeHasSixFractionDigits() {
    V1.Event e = V1.Event.newBuilder().setMetadata(meta("e").setNamespace("default"))
        .setInvolvedObject(V1.ObjectReference.newBuilder().setKind("Pod").setName("p"))
        .setReason("Started").setMessage("m").setSource(V1.EventSource.newBuilder().setComponent("kubelet").setHost(""))
        .setFirstTimestamp(time(JAN_2_2024_030405, 0)).setLastTimestamp(Meta.Time.getDefaultInstance()).setCount(1)
        .setType("Normal").setEventTime(microTime(JAN_2_2024_030405, 123_456_789)).setAction("").setReportingComponent("")
        .setReportingInstance("")
        .build();
    assertThat(decoder.decode(envelope("v1", "Event", e))).isEqualTo(json("""
        {
          "kind": "Event", "apiVersion": "v1",
          "metadata": {"name": "e", "namespace": "default"},
          "involvedObject": {"kind": "Pod", "name": "p"},
          "reason": "Started", "message": "m",
          "source": {"component": "kubelet"},
          "firstTimestamp": "2024-01-02T03:04:05Z",
          "count": 1, "type": "Normal",
          "eventTime": "2024-01-02T03:04:05.123456Z",
          "reportingComponent": "", "reportingInstance": ""
        }"""));
  }

  @Test
  void conditionTimeWithoutOmitemptyIsNull() {
    // metav1.Condition.lastTransitionTime has no omitempty: Go's JSON writes a zero one as null, and so do we
    V1.Service svc = V1.Service.newBuilder().setMetadata(meta("s"))
        .setStatus(V1.ServiceStatus.newBuilder().addConditions(Meta.Condition.newBuilder().setType("Ready").setStatus("True")
            .setObservedGeneration(0).setLastTransitionTime(Meta.Time.getDefaultInstance()).setReason("").setMessage("")))
        .build();
    assertThat(decoder.decode(envelope("v1", "Service", svc)).get("status")).isEqualTo(json("""
        {"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": null, "reason": "", "message": ""}]}"""));
  }

  @Test
  void goDurations() {
    assertThat(MessageToJson.goDuration(0)).isEqualTo("0s");
    assertThat(MessageToJson.goDuration(1)).isEqualTo("1ns");
    assertThat(MessageToJson.goDuration(1_500)).isEqualTo("1.5µs");
    assertThat(MessageToJson.goDuration(1_000_000)).isEqualTo("1ms");
    assertThat(MessageToJson.goDuration(2_500_000)).isEqualTo("2.5ms");
    assertThat(MessageToJson.goDuration(1_500_000_000L)).isEqualTo("1.5s");
    assertThat(MessageToJson.goDuration(61_000_000_000L)).isEqualTo("1m1s");
    assertThat(MessageToJson.goDuration(3_600_000_000_000L)).isEqualTo("1h0m0s");
    assertThat(MessageToJson.goDuration(90_061_001_000_000L)).isEqualTo("25h1m1.001s");
    assertThat(MessageToJson.goDuration(-4_000_000_000L)).isEqualTo("-4s");
    assertThat(MessageToJson.goDuration(Long.MIN_VALUE)).isEqualTo("-2562047h47m16.854775808s");
  }

  // ---- quantities, int-or-string, bytes

  private static Resource.Quantity q(String s) {
    return Resource.Quantity.newBuilder().setString(s).build();
  }

  @Test
  void quantitiesAreStrings() {
    V1.Pod pod = V1.Pod.newBuilder().setMetadata(meta("p"))
        .setSpec(podSpec().addContainers(container("c", "busybox")
                .setResources(V1.ResourceRequirements.newBuilder().putLimits("memory", q("1Gi")).putRequests("cpu", q("500m"))
                    .putRequests("ephemeral-storage", q("0"))))
            .addVolumes(V1.Volume.newBuilder().setName("tmp").setVolumeSource(V1.VolumeSource.newBuilder()
                .setEmptyDir(V1.EmptyDirVolumeSource.newBuilder().setMedium("Memory").setSizeLimit(q("0"))))))
        .build();
    ObjectNode json = decoder.decode(envelope("v1", "Pod", pod));
    assertThat(json.at("/spec/containers/0/resources")).isEqualTo(json("""
        {"limits": {"memory": "1Gi"}, "requests": {"cpu": "500m", "ephemeral-storage": "0"}}"""));
    // sizeLimit is a *Quantity: a zero one is kept
    assertThat(json.at("/spec/volumes/0")).isEqualTo(json("""
        {"name": "tmp", "emptyDir": {"medium": "Memory", "sizeLimit": "0"}}"""));
  }

  @Test
  void pointerIntOrStringZeroIsKept() {
    V1Apps.Deployment d = V1Apps.Deployment.newBuilder().setMetadata(meta("d"))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setTemplate(V1.PodTemplateSpec.newBuilder().setMetadata(meta("")))
            .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("RollingUpdate")
                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                    .setMaxSurge(IntStr.IntOrString.newBuilder().setType(0).setIntVal(0).setStrVal(""))
                    .setMaxUnavailable(IntStr.IntOrString.newBuilder().setType(1).setIntVal(0).setStrVal("25%"))))
            .setRevisionHistoryLimit(0).setProgressDeadlineSeconds(600).setMinReadySeconds(0).setPaused(false))
        .build();
    assertThat(decoder.decode(envelope("apps/v1", "Deployment", d)).get("spec")).isEqualTo(json("""
        {
          "template": {},
          "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": 0}},
          "revisionHistoryLimit": 0,
          "progressDeadlineSeconds": 600
        }"""));
  }

  @Test
  void pdbMinAvailableZeroIsKept() {
    V1Policy.PodDisruptionBudget pdb = V1Policy.PodDisruptionBudget.newBuilder().setMetadata(meta("pdb"))
        .setSpec(V1Policy.PodDisruptionBudgetSpec.newBuilder()
            .setMinAvailable(IntStr.IntOrString.newBuilder().setType(0).setIntVal(0).setStrVal("")))
        .build();
    assertThat(decoder.decode(envelope("policy/v1", "PodDisruptionBudget", pdb)).at("/spec/minAvailable").isInt()).isTrue();
  }

  @Test
  void binaryDataIsBase64() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder().setMetadata(meta("cm"))
        .putBinaryData("b", ByteString.copyFrom(new byte[] {(byte) 0xfb, (byte) 0xff})).setImmutable(false).build();
    assertThat(decoder.decode(envelope("v1", "ConfigMap", cm))).isEqualTo(json("""
        {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "cm"}, "immutable": false, "binaryData": {"b": "+/8="}}"""));
  }

  // ---- embedded JSON

  @Test
  void rawExtensionHoldsJsonOrAProtobufObject() {
    V1Apps.ControllerRevision json = V1Apps.ControllerRevision.newBuilder().setMetadata(meta("r1"))
        .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8("{\"spec\":{\"template\":{\"a\":[1,\"\"]}}}")))
        .setRevision(0).build();
    assertThat(decoder.decode(envelope("apps/v1", "ControllerRevision", json))).isEqualTo(json("""
        {"kind": "ControllerRevision", "apiVersion": "apps/v1", "metadata": {"name": "r1"},
         "data": {"spec": {"template": {"a": [1, ""]}}}, "revision": 0}"""));

    byte[] embedded = envelope("v1", "ConfigMap", V1.ConfigMap.newBuilder().setMetadata(meta("cm")).putData("k", "v").build());
    V1Apps.ControllerRevision proto = V1Apps.ControllerRevision.newBuilder().setMetadata(meta("r2"))
        .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(embedded))).setRevision(2).build();
    assertThat(decoder.decode(envelope("apps/v1", "ControllerRevision", proto)).get("data")).isEqualTo(json("""
        {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "cm"}, "data": {"k": "v"}}"""));
  }

  @Test
  void managedFieldsCarryTheirFieldsV1Json() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder().setMetadata(meta("cm").addManagedFields(Meta.ManagedFieldsEntry.newBuilder()
            .setManager("kubectl").setOperation("Apply").setApiVersion("v1").setTime(time(JAN_2_2024_030405, 0))
            .setFieldsType("FieldsV1").setFieldsV1(Meta.FieldsV1.newBuilder().setRaw(ByteString.copyFromUtf8("{\"f:data\":{\".\":{}}}")))
            .setSubresource("")))
        .build();
    assertThat(decoder.decode(envelope("v1", "ConfigMap", cm)).at("/metadata/managedFields/0")).isEqualTo(json("""
        {"manager": "kubectl", "operation": "Apply", "apiVersion": "v1", "time": "2024-01-02T03:04:05Z",
         "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {".": {}}}}"""));
  }

  // ---- inline structs, empty elements, renamed fields

  @Test
  void inlineStructsAreFlattened() {
    V1.Pod pod = V1.Pod.newBuilder().setMetadata(meta("p"))
        .setSpec(podSpec()
            .addVolumes(V1.Volume.newBuilder().setName("cfg").setVolumeSource(V1.VolumeSource.newBuilder()
                .setConfigMap(V1.ConfigMapVolumeSource.newBuilder()
                    .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("app-config"))
                    .setDefaultMode(0644).setOptional(false))))
            .addContainers(container("c", "busybox")
                .addArgs("").addArgs("x")
                .addEnv(V1.EnvVar.newBuilder().setName("EMPTY").setValue(""))
                .addEnv(V1.EnvVar.newBuilder().setName("FROM").setValue("").setValueFrom(V1.EnvVarSource.newBuilder()
                    .setConfigMapKeyRef(V1.ConfigMapKeySelector.newBuilder()
                        .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("app-config")).setKey("k"))))
                .addEnvFrom(V1.EnvFromSource.newBuilder().setPrefix("")
                    .setSecretRef(V1.SecretEnvSource.newBuilder().setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("s"))))
                .setLivenessProbe(V1.Probe.newBuilder()
                    .setHandler(V1.ProbeHandler.newBuilder().setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/healthz")
                        .setPort(IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080).setStrVal("")).setHost("").setScheme("HTTP")))
                    .setInitialDelaySeconds(0).setTimeoutSeconds(0).setPeriodSeconds(10).setSuccessThreshold(0).setFailureThreshold(0))
                .addPorts(V1.ContainerPort.newBuilder().setName("").setHostPort(0).setContainerPort(0).setProtocol("").setHostIP(""))))
        .build();
    ObjectNode spec = (ObjectNode) decoder.decode(envelope("v1", "Pod", pod)).get("spec");
    assertThat(spec.get("volumes")).isEqualTo(json("""
        {"v": [{"name": "cfg", "configMap": {"name": "app-config", "defaultMode": 420, "optional": false}}]}""").get("v"));
    assertThat(spec.at("/containers/0")).isEqualTo(json("""
        {
          "name": "c", "image": "busybox", "args": ["", "x"],
          "ports": [{"containerPort": 0}],
          "envFrom": [{"secretRef": {"name": "s"}}],
          "env": [
            {"name": "EMPTY"},
            {"name": "FROM", "valueFrom": {"configMapKeyRef": {"name": "app-config", "key": "k"}}}
          ],
          "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 10}
        }"""));
  }

  @Test
  void ephemeralContainerFieldsAreInline() {
    V1.Pod pod = V1.Pod.newBuilder().setMetadata(meta("p"))
        .setSpec(podSpec().addEphemeralContainers(V1.EphemeralContainer.newBuilder()
            .setEphemeralContainerCommon(V1.EphemeralContainerCommon.newBuilder().setName("debugger").setImage("busybox")
                .setStdin(true).setTty(true).setResources(V1.ResourceRequirements.getDefaultInstance()))
            .setTargetContainerName("app")))
        .build();
    assertThat(decoder.decode(envelope("v1", "Pod", pod)).at("/spec/ephemeralContainers/0")).isEqualTo(json("""
        {"name": "debugger", "image": "busybox", "stdin": true, "tty": true, "targetContainerName": "app"}"""));
  }

  @Test
  void networkPolicyKeepsEmptySelectorAndEmptyRules() {
    // kubectl apply of {"spec": {"podSelector": {}, "ingress": [{}], "policyTypes": ["Ingress"]}}: allow all ingress
    V1Networking.NetworkPolicy np = V1Networking.NetworkPolicy.newBuilder().setMetadata(meta("allow-all"))
        .setSpec(V1Networking.NetworkPolicySpec.newBuilder().setPodSelector(Meta.LabelSelector.getDefaultInstance())
            .addIngress(V1Networking.NetworkPolicyIngressRule.getDefaultInstance())
            .addEgress(V1Networking.NetworkPolicyEgressRule.newBuilder().addTo(V1Networking.NetworkPolicyPeer.newBuilder()
                .setNamespaceSelector(Meta.LabelSelector.getDefaultInstance())))
            .addPolicyTypes("Ingress").addPolicyTypes("Egress"))
        .build();
    assertThat(decoder.decode(envelope("networking.k8s.io/v1", "NetworkPolicy", np)).get("spec")).isEqualTo(json("""
        {"podSelector": {}, "ingress": [{}], "egress": [{"to": [{"namespaceSelector": {}}]}], "policyTypes": ["Ingress", "Egress"]}"""));
    // podSelector has no omitempty: also written when a client leaves it out
    V1Networking.NetworkPolicy bare = V1Networking.NetworkPolicy.newBuilder().setMetadata(meta("x"))
        .setSpec(V1Networking.NetworkPolicySpec.getDefaultInstance()).build();
    assertThat(decoder.decode(envelope("networking.k8s.io/v1", "NetworkPolicy", bare)).get("spec").toString())
        .isEqualTo("{\"podSelector\":{}}");
  }

  @Test
  void fieldsWithoutOmitemptyKeepTheirZero() {
    // kubectl create priorityclass pc --value=0
    io.kubernetes.client.proto.V1Scheduling.PriorityClass pc = io.kubernetes.client.proto.V1Scheduling.PriorityClass.newBuilder()
        .setMetadata(meta("pc")).setValue(0).setGlobalDefault(false).setDescription("").build();
    assertThat(decoder.decode(envelope("scheduling.k8s.io/v1", "PriorityClass", pc)).toString())
        .isEqualTo("{\"kind\":\"PriorityClass\",\"apiVersion\":\"scheduling.k8s.io/v1\",\"metadata\":{\"name\":\"pc\"},\"value\":0}");
  }

  @Test
  void ingressClassParametersApiGroupIsRenamed() {
    V1Networking.IngressClass ic = V1Networking.IngressClass.newBuilder().setMetadata(meta("nginx"))
        .setSpec(V1Networking.IngressClassSpec.newBuilder().setController("k8s.io/ingress-nginx")
            .setParameters(V1Networking.IngressClassParametersReference.newBuilder().setAPIGroup("")
                .setKind("IngressParameters").setName("p").setScope("Cluster")))
        .build();
    assertThat(decoder.decode(envelope("networking.k8s.io/v1", "IngressClass", ic)).at("/spec/parameters")).isEqualTo(json("""
        {"apiGroup": "", "kind": "IngressParameters", "name": "p", "scope": "Cluster"}"""));
  }

  @Test
  void mapValuesAndListElementsAreKeptEvenWhenEmpty() {
    V1.Namespace ns = V1.Namespace.newBuilder().setMetadata(meta("n").putLabels("empty", "").putAnnotations("a", "")
        .addFinalizers("")).build();
    assertThat(decoder.decode(envelope("v1", "Namespace", ns)).get("metadata")).isEqualTo(json("""
        {"name": "n", "labels": {"empty": ""}, "annotations": {"a": ""}, "finalizers": [""]}"""));
  }

  // ---- options, subresources, lists

  @Test
  void deleteOptionsInAnyGroupVersion() {
    Meta.DeleteOptions opts = Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(0).setOrphanDependents(false)
        .setPropagationPolicy("Foreground").addDryRun("All")
        .setPreconditions(Meta.Preconditions.newBuilder().setUid("u-1")).build();
    for (String apiVersion : new String[] {"v1", "apps/v1", "meta.k8s.io/v1", "batch/v1"}) {
      assertThat(decoder.decode(envelope(apiVersion, "DeleteOptions", opts))).isEqualTo(json("""
          {"kind": "DeleteOptions", "apiVersion": "%s", "gracePeriodSeconds": 0, "preconditions": {"uid": "u-1"},
           "orphanDependents": false, "propagationPolicy": "Foreground", "dryRun": ["All"]}""".formatted(apiVersion)));
    }
  }

  @Test
  void evictionWithDeleteOptions() {
    V1Policy.Eviction ev = V1Policy.Eviction.newBuilder().setMetadata(meta("p").setNamespace("default"))
        .setDeleteOptions(Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(30)).build();
    assertThat(decoder.decode(envelope("policy/v1", "Eviction", ev))).isEqualTo(json("""
        {"kind": "Eviction", "apiVersion": "policy/v1", "metadata": {"name": "p", "namespace": "default"},
         "deleteOptions": {"gracePeriodSeconds": 30}}"""));
  }

  @Test
  void bindingAlwaysHasATarget() {
    V1.Binding b = V1.Binding.newBuilder().setMetadata(meta("p").setNamespace("default"))
        .setTarget(V1.ObjectReference.newBuilder().setKind("Node").setName("node-1").setNamespace("").setUid("")
            .setApiVersion("v1").setResourceVersion("").setFieldPath("")).build();
    assertThat(decoder.decode(envelope("v1", "Binding", b)).get("target")).isEqualTo(json("""
        {"kind": "Node", "name": "node-1", "apiVersion": "v1"}"""));
  }

  @Test
  void scaleToZeroHasNoReplicasLikeGoJson() {
    // ScaleSpec.replicas is a non-pointer int32 with omitempty: Go's JSON of a scale to 0 is "spec": {}
    V1Autoscaling.Scale s = V1Autoscaling.Scale.newBuilder().setMetadata(meta("web").setNamespace("default"))
        .setSpec(V1Autoscaling.ScaleSpec.newBuilder().setReplicas(0))
        .setStatus(V1Autoscaling.ScaleStatus.newBuilder().setReplicas(3).setSelector("app=web")).build();
    assertThat(decoder.decode(envelope("autoscaling/v1", "Scale", s))).isEqualTo(json("""
        {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": {"name": "web", "namespace": "default"},
         "status": {"replicas": 3, "selector": "app=web"}}"""));
  }

  @Test
  void listsHaveItemsWithoutTypeMeta() {
    V1Apps.DeploymentList list = V1Apps.DeploymentList.newBuilder()
        .setMetadata(Meta.ListMeta.newBuilder().setResourceVersion("42").setSelfLink("").setContinue(""))
        .addItems(V1Apps.Deployment.newBuilder().setMetadata(meta("a")).setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(1)))
        .addItems(V1Apps.Deployment.newBuilder().setMetadata(meta("b")))
        .build();
    assertThat(decoder.decode(envelope("apps/v1", "DeploymentList", list))).isEqualTo(json("""
        {"kind": "DeploymentList", "apiVersion": "apps/v1", "metadata": {"resourceVersion": "42"},
         "items": [{"metadata": {"name": "a"}, "spec": {"replicas": 1, "template": {}}}, {"metadata": {"name": "b"}, "spec": {"template": {}}}]}"""));
  }

  @Test
  void decodeMessageWithoutEnvelope() {
    byte[] raw = V1.ConfigMap.newBuilder().setMetadata(meta("cm")).putData("a", "").build().toByteArray();
    assertThat(decoder.decodeMessage("v1", "ConfigMap", raw)).isEqualTo(json("""
        {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "cm"}, "data": {"a": ""}}"""));
  }

  // ---- what client-java-proto 25 lacks

  @Test
  void leaseFromTheAddedCoordinationSchema() {
    Dyn lease = new Dyn("k8s.io.api.coordination.v1.Lease").set("metadata", meta("kava-leader").setNamespace("kube-system").build())
        .set("spec", new Dyn("k8s.io.api.coordination.v1.LeaseSpec").set("holderIdentity", "").set("leaseDurationSeconds", 15)
            .set("renewTime", microTime(JAN_2_2024_030405, 5_000)).set("leaseTransitions", 0));
    assertThat(decoder.decode(envelope("coordination.k8s.io/v1", "Lease", lease.bytes()))).isEqualTo(json("""
        {"kind": "Lease", "apiVersion": "coordination.k8s.io/v1", "metadata": {"name": "kava-leader", "namespace": "kube-system"},
         "spec": {"holderIdentity": "", "leaseDurationSeconds": 15, "renewTime": "2024-01-02T03:04:05.000005Z", "leaseTransitions": 0}}"""));
  }

  @Test
  void endpointSliceFromTheAddedDiscoverySchema() {
    Dyn slice = new Dyn("k8s.io.api.discovery.v1.EndpointSlice").set("metadata", meta("web-abc").build())
        .set("addressType", "IPv4")
        .add("endpoints", new Dyn("k8s.io.api.discovery.v1.Endpoint").add("addresses", "10.244.0.5")
            .set("conditions", new Dyn("k8s.io.api.discovery.v1.EndpointConditions").set("ready", false).set("terminating", false))
            .set("nodeName", "node-1")
            .add("deprecatedTopology", new Dyn("k8s.io.api.discovery.v1.Endpoint.DeprecatedTopologyEntry").set("key", "z").set("value", "")))
        .add("ports", new Dyn("k8s.io.api.discovery.v1.EndpointPort").set("name", "").set("protocol", "TCP").set("port", 8080));
    assertThat(decoder.decode(envelope("discovery.k8s.io/v1", "EndpointSlice", slice.bytes()))).isEqualTo(json("""
        {"kind": "EndpointSlice", "apiVersion": "discovery.k8s.io/v1", "metadata": {"name": "web-abc"}, "addressType": "IPv4",
         "endpoints": [{"addresses": ["10.244.0.5"], "conditions": {"ready": false, "terminating": false},
                        "deprecatedTopology": {"z": ""}, "nodeName": "node-1"}],
         "ports": [{"name": "", "protocol": "TCP", "port": 8080}]}"""));
  }

  @Test
  void eventsV1EventFromTheAddedSchema() {
    Dyn event = new Dyn("k8s.io.api.events.v1.Event").set("metadata", meta("e").build())
        .set("eventTime", microTime(JAN_2_2024_030405, 0))
        .set("series", new Dyn("k8s.io.api.events.v1.EventSeries").set("count", 2).set("lastObservedTime", Meta.MicroTime.getDefaultInstance()))
        .set("reportingController", "kava/scheduler").set("reportingInstance", "").set("action", "Binding").set("reason", "Scheduled")
        .set("regarding", V1.ObjectReference.newBuilder().setKind("Pod").setName("p").build())
        .set("note", "").set("type", "Normal").set("deprecatedCount", 0)
        .set("deprecatedFirstTimestamp", Meta.Time.getDefaultInstance());
    assertThat(decoder.decode(envelope("events.k8s.io/v1", "Event", event.bytes()))).isEqualTo(json("""
        {"kind": "Event", "apiVersion": "events.k8s.io/v1", "metadata": {"name": "e"},
         "eventTime": "2024-01-02T03:04:05.000000Z", "series": {"count": 2, "lastObservedTime": null},
         "reportingController": "kava/scheduler", "action": "Binding", "reason": "Scheduled",
         "regarding": {"kind": "Pod", "name": "p"}, "type": "Normal"}"""));
  }

  @Test
  void fieldsNewerThanClientJavaProtoAreDecoded() throws Exception {
    // PodSpec.resources (40), Lifecycle.stopSignal (3) and VolumeSource.image (30) arrived after Kubernetes 1.30:
    // client-java-proto 25 has them as unknown fields only
    ByteString podResources = V1.ResourceRequirements.newBuilder().putLimits("cpu", q("1")).build().toByteString();
    ByteString image = new Dyn("k8s.io.api.core.v1.ImageVolumeSource").set("reference", "kava.local/data:1").set("pullPolicy", "").bytes();
    V1.Pod pod = V1.Pod.newBuilder().setMetadata(meta("p"))
        .setSpec(podSpec()
            .addVolumes(V1.Volume.newBuilder().setName("data").setVolumeSource(V1.VolumeSource.newBuilder().setUnknownFields(
                UnknownFieldSet.newBuilder().addField(30, UnknownFieldSet.Field.newBuilder().addLengthDelimited(image).build()).build())))
            .addContainers(container("c", "busybox").setLifecycle(V1.Lifecycle.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(3, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("SIGUSR1")).build()).build())))
            .setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(40, UnknownFieldSet.Field.newBuilder().addLengthDelimited(podResources).build())
                .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build()))
        .build();
    ObjectNode spec = (ObjectNode) decoder.decode(envelope("v1", "Pod", pod)).get("spec");
    assertThat(spec.get("resources")).isEqualTo(json("{\"limits\": {\"cpu\": \"1\"}}"));
    assertThat(spec.at("/volumes/0")).isEqualTo(json("{\"name\": \"data\", \"image\": {\"reference\": \"kava.local/data:1\"}}"));
    assertThat(spec.at("/containers/0/lifecycle")).isEqualTo(json("{\"stopSignal\": \"SIGUSR1\"}"));
  }
}
