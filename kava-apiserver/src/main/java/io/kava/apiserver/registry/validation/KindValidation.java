package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.NameRule;
import io.kava.apiserver.registry.Validator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Kind validation for the built-in kinds, by group and kind. Messages and field paths are upstream's; generic
 * metadata checks (name format, labels, annotations, immutable name/namespace/uid) are the framework's and are not
 * repeated here. Kind-specific metadata rules are reported here (e.g. CronJob names at most 52 characters, Job
 * generated-selector labels, PriorityClass "system-" names); the kind's object-name format is {@link #nameRule}.
 */
public final class KindValidation {
  private KindValidation() {}

  private record Entry(Function<JsonNode, List<FieldError>> create, BiFunction<JsonNode, JsonNode, List<FieldError>> update) {}

  private static final Map<String, Entry> KINDS = new HashMap<>();

  private static void register(String group, String kind, Function<JsonNode, List<FieldError>> create,
                               BiFunction<JsonNode, JsonNode, List<FieldError>> update) {
    KINDS.put(group + "/" + kind, new Entry(create, update));
  }

  /** Kinds whose update validation is their create validation (upstream re-validates the new object). */
  private static void register(String group, String kind, Function<JsonNode, List<FieldError>> create) {
    register(group, kind, create, (now, old) -> create.apply(now));
  }

  static {
    register("", "Pod", PodValidation::validatePod, PodValidation::validatePodUpdate);
    register("", "Service", ServiceValidation::validate, ServiceValidation::validateUpdate);
    register("", "ReplicationController", CoreValidation::replicationController);
    register("", "PodTemplate", CoreValidation::podTemplate);
    register("", "Namespace", CoreValidation::namespace, (now, old) -> List.of());
    register("", "ConfigMap", CoreValidation::configMap, CoreValidation::configMapUpdate);
    register("", "Secret", CoreValidation::secret, CoreValidation::secretUpdate);
    register("", "ServiceAccount", sa -> List.of());
    register("", "Endpoints", CoreValidation::endpoints);
    register("", "Node", CoreValidation::node, CoreValidation::nodeUpdate);
    register("", "PersistentVolume", CoreValidation::persistentVolume, CoreValidation::persistentVolumeUpdate);
    register("", "PersistentVolumeClaim", CoreValidation::persistentVolumeClaim, CoreValidation::persistentVolumeClaimUpdate);
    register("", "LimitRange", CoreValidation::limitRange);
    register("", "ResourceQuota", CoreValidation::resourceQuota, CoreValidation::resourceQuotaUpdate);
    register("", "Event", CoreValidation::event);
    register("apps", "Deployment", AppsValidation::deployment, AppsValidation::deploymentUpdate);
    register("apps", "ReplicaSet", AppsValidation::replicaSet, AppsValidation::replicaSetUpdate);
    register("apps", "StatefulSet", AppsValidation::statefulSet, AppsValidation::statefulSetUpdate);
    register("apps", "DaemonSet", AppsValidation::daemonSet, AppsValidation::daemonSetUpdate);
    register("apps", "ControllerRevision", AppsValidation::controllerRevision, AppsValidation::controllerRevisionUpdate);
    register("batch", "Job", BatchValidation::job, BatchValidation::jobUpdate);
    register("batch", "CronJob", BatchValidation::cronJob, BatchValidation::cronJobUpdate);
    register("networking.k8s.io", "Ingress", NetworkingValidation::ingress, NetworkingValidation::ingressUpdate);
    register("networking.k8s.io", "IngressClass", NetworkingValidation::ingressClass, NetworkingValidation::ingressClassUpdate);
    register("networking.k8s.io", "NetworkPolicy", NetworkingValidation::networkPolicy);
    register("storage.k8s.io", "StorageClass", MiscValidation::storageClass, MiscValidation::storageClassUpdate);
    register("rbac.authorization.k8s.io", "Role", r -> MiscValidation.role(r, true));
    register("rbac.authorization.k8s.io", "ClusterRole", r -> MiscValidation.role(r, false));
    register("rbac.authorization.k8s.io", "RoleBinding", rb -> MiscValidation.roleBinding(rb, true),
        (now, old) -> MiscValidation.roleBindingUpdate(now, old, true));
    register("rbac.authorization.k8s.io", "ClusterRoleBinding", rb -> MiscValidation.roleBinding(rb, false),
        (now, old) -> MiscValidation.roleBindingUpdate(now, old, false));
    register("policy", "PodDisruptionBudget", MiscValidation::podDisruptionBudget);
    register("scheduling.k8s.io", "PriorityClass", MiscValidation::priorityClass, MiscValidation::priorityClassUpdate);
    register("coordination.k8s.io", "Lease", MiscValidation::lease);
    register("discovery.k8s.io", "EndpointSlice", MiscValidation::endpointSlice, MiscValidation::endpointSliceUpdate);
    register("events.k8s.io", "Event", CoreValidation::eventsV1Event);
  }

  /** The validator of a kind, or {@link Validator#NONE} for kinds not covered here. */
  public static Validator forKind(String group, String kind) {
    Entry e = KINDS.get((group == null ? "" : group) + "/" + kind);
    if (e == null) return Validator.NONE;
    return new Validator() {
      @Override
      public List<FieldError> validate(JsonNode object) { return e.create.apply(object); }

      @Override
      public List<FieldError> validateUpdate(JsonNode object, JsonNode old) { return e.update.apply(object, old); }
    };
  }

  /**
   * The validator of a write to a subresource, as upstream's per-subresource strategies validate it: pods/binding
   * (the node name only), pods/status (ValidatePodStatusUpdate's main rules), namespaces/status and
   * namespaces/finalize; "scale" and the main resource ("") use {@link #forKind}; other status writes are not
   * validated here ({@link Validator#NONE}).
   */
  public static Validator forSubresource(String group, String kind, String subresource) {
    String sub = subresource == null ? "" : subresource;
    String key = (group == null ? "" : group) + "/" + kind + "/" + sub;
    return switch (key) {
      case "/Pod/binding" -> update(StatusValidation::podBinding);
      case "/Pod/status" -> update(StatusValidation::podStatus);
      case "/Namespace/status" -> update(StatusValidation::namespaceStatus);
      case "/Namespace/finalize" -> update(StatusValidation::namespaceFinalize);
      default -> sub.isEmpty() || sub.equals("scale") ? forKind(group, kind) : Validator.NONE;
    };
  }

  private static Validator update(BiFunction<JsonNode, JsonNode, List<FieldError>> f) {
    return new Validator() {
      @Override
      public List<FieldError> validate(JsonNode object) { return List.of(); }

      @Override
      public List<FieldError> validateUpdate(JsonNode object, JsonNode old) { return f.apply(object, old); }
    };
  }

  /** True when {@link #forKind} has a validator for the kind. */
  public static boolean covers(String group, String kind) { return KINDS.containsKey((group == null ? "" : group) + "/" + kind); }

  /**
   * What a valid metadata.name is for a kind (upstream's ValidateNameFunc): DNS-1123 labels for Namespaces and
   * StatefulSets, DNS-1035 labels for Services, path segments for RBAC kinds, DNS-1123 subdomains otherwise.
   */
  public static NameRule nameRule(String group, String kind) {
    String g = group == null ? "" : group;
    if (g.isEmpty() && kind.equals("Namespace")) return NameRule.DNS_LABEL;
    if (g.isEmpty() && kind.equals("Service")) return NameRule.DNS1035_LABEL;
    if (g.equals("apps") && kind.equals("StatefulSet")) return NameRule.DNS_LABEL;
    if (g.equals("rbac.authorization.k8s.io")) return NameRule.PATH_SEGMENT;
    return NameRule.DNS_SUBDOMAIN;
  }
}
