package io.kava.apiserver.apply;

import io.kava.api.json.Json;
import io.kava.apiserver.patch.PatchMeta;
import io.kava.apiserver.registry.ResourceDefinition;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The object a create is compared with: upstream compares a new object with the Go zero value of its kind, whose JSON
 * has every non-pointer struct ({@code spec}, {@code template}, {@code strategy}, ...) and every list without
 * {@code omitempty} (as null). That decides where a creator's managedFields entry has {@code "."} (a container that
 * did not exist before): {@code f:labels} has one, {@code f:spec} of a Deployment has none, {@code f:spec} of a custom
 * resource (an empty unstructured object) has one. Only containers matter here (scalars are owned either way), so the
 * table lists the containers of the zero values of the common kinds; other built-in kinds are taken to have
 * {@code spec} and {@code status} structs, custom resources nothing.
 */
final class ZeroValues {
  private ZeroValues() {}

  private static final String TEMPLATE = "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"containers\":null}}";
  private static final String BUILT_IN_DEFAULT = "{\"metadata\":{},\"spec\":{},\"status\":{}}";
  private static final ObjectNode EMPTY = (ObjectNode) Json.MAPPER.readTree("{\"metadata\":{}}");
  private static final Map<String, ObjectNode> KINDS = new HashMap<>();

  static {
    put("v1 Pod", "{\"spec\":{\"containers\":null},\"status\":{}}");
    put("v1 PodTemplate", "{\"template\":" + TEMPLATE + "}");
    put("v1 Service", "{\"spec\":{},\"status\":{\"loadBalancer\":{}}}");
    put("v1 Node", "{\"spec\":{},\"status\":{\"daemonEndpoints\":{\"kubeletEndpoint\":{}},\"nodeInfo\":{}}}");
    put("v1 PersistentVolumeClaim", "{\"spec\":{\"resources\":{}},\"status\":{}}");
    put("v1 LimitRange", "{\"spec\":{\"limits\":null}}");
    put("v1 Event", "{\"involvedObject\":{},\"source\":{},\"firstTimestamp\":null,\"lastTimestamp\":null,\"eventTime\":null}");
    for (String k : new String[] {"v1 ConfigMap", "v1 Secret", "v1 ServiceAccount", "v1 Endpoints", "v1 Binding",
        "storage.k8s.io/v1 StorageClass", "scheduling.k8s.io/v1 PriorityClass", "node.k8s.io/v1 RuntimeClass",
        "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration"}) {
      put(k, "{}");
    }
    put("apps/v1 Deployment", "{\"spec\":{\"selector\":null,\"template\":" + TEMPLATE + ",\"strategy\":{}},\"status\":{}}");
    put("apps/v1 ReplicaSet", "{\"spec\":{\"selector\":null,\"template\":" + TEMPLATE + "},\"status\":{}}");
    put("apps/v1 StatefulSet", "{\"spec\":{\"selector\":null,\"template\":" + TEMPLATE + ",\"updateStrategy\":{}},\"status\":{}}");
    put("apps/v1 DaemonSet", "{\"spec\":{\"selector\":null,\"template\":" + TEMPLATE + ",\"updateStrategy\":{}},\"status\":{}}");
    put("apps/v1 ControllerRevision", "{\"data\":null}");
    put("batch/v1 Job", "{\"spec\":{\"template\":" + TEMPLATE + "},\"status\":{}}");
    put("batch/v1 CronJob", "{\"spec\":{\"jobTemplate\":{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"template\":" + TEMPLATE + "}}},\"status\":{}}");
    put("autoscaling/v1 HorizontalPodAutoscaler", "{\"spec\":{\"scaleTargetRef\":{}},\"status\":{}}");
    put("autoscaling/v2 HorizontalPodAutoscaler", "{\"spec\":{\"scaleTargetRef\":{}},\"status\":{}}");
    put("networking.k8s.io/v1 Ingress", "{\"spec\":{},\"status\":{\"loadBalancer\":{}}}");
    put("networking.k8s.io/v1 NetworkPolicy", "{\"spec\":{\"podSelector\":{}}}");
    put("networking.k8s.io/v1 IngressClass", "{\"spec\":{}}");
    put("coordination.k8s.io/v1 Lease", "{\"spec\":{}}");
    put("rbac.authorization.k8s.io/v1 Role", "{\"rules\":null}");
    put("rbac.authorization.k8s.io/v1 ClusterRole", "{\"rules\":null}");
    put("rbac.authorization.k8s.io/v1 RoleBinding", "{\"roleRef\":{}}");
    put("rbac.authorization.k8s.io/v1 ClusterRoleBinding", "{\"roleRef\":{}}");
    put("storage.k8s.io/v1 CSINode", "{\"spec\":{\"drivers\":null}}");
    put("storage.k8s.io/v1 VolumeAttachment", "{\"spec\":{\"source\":{}},\"status\":{}}");
    put("discovery.k8s.io/v1 EndpointSlice", "{\"endpoints\":null}");
    put("events.k8s.io/v1 Event", "{\"eventTime\":null,\"regarding\":{},\"deprecatedSource\":{},\"deprecatedFirstTimestamp\":null,\"deprecatedLastTimestamp\":null}");
    put("apiextensions.k8s.io/v1 CustomResourceDefinition", "{\"spec\":{\"names\":{},\"versions\":null},\"status\":{\"acceptedNames\":{},\"storedVersions\":null}}");
    put("certificates.k8s.io/v1 CertificateSigningRequest", "{\"spec\":{\"request\":null},\"status\":{}}");
    put("flowcontrol.apiserver.k8s.io/v1 FlowSchema", "{\"spec\":{\"priorityLevelConfiguration\":{}},\"status\":{}}");
  }

  private static void put(String kind, String json) {
    ObjectNode o = (ObjectNode) Json.MAPPER.readTree(json);
    if (!o.has("metadata")) o.putObject("metadata");
    KINDS.put(kind, o);
  }

  private static final ObjectNode DEFAULT = (ObjectNode) Json.MAPPER.readTree(BUILT_IN_DEFAULT);

  /** The zero value of {@code def}'s kind. Shared: callers must not modify it. */
  static JsonNode of(ResourceDefinition def) {
    ObjectNode o = KINDS.get(def.apiVersion() + " " + def.kind());
    if (o != null) return o;
    return PatchMeta.supports(def.apiVersion(), def.kind()) ? DEFAULT : EMPTY;
  }
}
