package io.kava.apiserver.registry;

import io.kava.apiserver.registry.crd.CrdStrategy;
import io.kava.apiserver.registry.defaults.KindDefaults;
import io.kava.apiserver.registry.defaults.KindHooks;
import io.kava.apiserver.registry.defaults.PodAdmissionDefaults;
import io.kava.apiserver.registry.kinds.AccessReviews;
import io.kava.apiserver.registry.kinds.EventsV1Conversion;
import io.kava.apiserver.registry.kinds.NamespaceRules;
import io.kava.apiserver.registry.kinds.PodRules;
import io.kava.apiserver.registry.kinds.ServiceRules;
import io.kava.apiserver.registry.kinds.TokenRequests;
import io.kava.apiserver.registry.kinds.UserReviews;
import io.kava.apiserver.registry.validation.KindValidation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The built-in resources kava serves: one line of description per kind plus its strategy. The order is the
 * discovery order.
 */
public final class BuiltinResources {
  private BuiltinResources() {}

  private static final List<String> ALL = List.of("all");

  public static void registerAll(ResourceRegistry r) {
    // core/v1
    add(r, "", "v1", "Namespace", "namespaces", false, List.of("ns"), List.of(), Set.of("status", "finalize"), b -> b
        .statusSubresource()
        .selectableFields(NamespaceRules.FIELDS, NamespaceRules::fields)
        .finalizationPending(NamespaceRules::finalizationPending)
        .markedForDeletion(NamespaceRules.MARKED_FOR_DELETION));
    add(r, "", "v1", "Pod", "pods", true, List.of("po"), ALL, Set.of("status", "binding", "eviction", "log", "exec", "attach", "portforward"), b -> b
        .statusSubresource()
        .selectableFields(PodRules.FIELDS, PodRules::fields)
        .prepareForCreate(PodRules.ADMISSION_ON_CREATE)
        .prepareForCreate(PodAdmissionDefaults.ON_CREATE)
        // as upstream's podStatusStrategy and BindingREST: a status write is checked by ValidatePodStatusUpdate and a
        // binding by its target, not by re-validating the (unchanged) spec
        .subresourceValidator("status", KindValidation.forSubresource("", "Pod", "status"))
        .subresourceValidator("binding", KindValidation.forSubresource("", "Pod", "binding"))
        .gracefulDeletion(PodRules.GRACE));
    add(r, "", "v1", "Service", "services", true, List.of("svc"), ALL, Set.of("status"), b -> b
        .statusSubresource()
        .selectableFields(ServiceRules.FIELDS, ServiceRules::fields)
        .prepareForCreate(ServiceRules.PREPARE_FOR_CREATE)
        .prepareForUpdate(ServiceRules.PREPARE_FOR_UPDATE)
        .afterDelete(ServiceRules.AFTER_DELETE));
    add(r, "", "v1", "Endpoints", "endpoints", true, List.of("ep"), List.of(), Set.of(), b -> b.allowCreateOnUpdate());
    add(r, "", "v1", "Node", "nodes", false, List.of("no"), List.of(), Set.of("status"), b -> b
        .statusSubresource()
        .selectableFields(Set.of("spec.unschedulable"), o -> Map.of("spec.unschedulable", Boolean.toString(o.path("spec").path("unschedulable").asBoolean(false)))));
    add(r, "", "v1", "ConfigMap", "configmaps", true, List.of("cm"), List.of(), Set.of(), b -> b);
    add(r, "", "v1", "Secret", "secrets", true, List.of(), List.of(), Set.of(), b -> b
        .selectableFields(Set.of("type"), o -> Map.of("type", o.path("type").asString("Opaque"))));
    add(r, "", "v1", "ServiceAccount", "serviceaccounts", true, List.of("sa"), List.of(), Set.of("token"), b -> b
        .createOnly("token", new CreateOnly("authentication.k8s.io", "v1", "TokenRequest", TokenRequests::issue)));
    add(r, "", "v1", "Event", "events", true, List.of("ev"), List.of(), Set.of(), b -> b
        .allowCreateOnUpdate()
        .selectableFields(EVENT_FIELDS, BuiltinResources::eventFields));
    add(r, "", "v1", "PersistentVolume", "persistentvolumes", false, List.of("pv"), List.of(), Set.of("status"), b -> b.statusSubresource());
    add(r, "", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"), List.of(), Set.of("status"), b -> b.statusSubresource());
    add(r, "", "v1", "LimitRange", "limitranges", true, List.of("limits"), List.of(), Set.of(), b -> b);
    add(r, "", "v1", "ResourceQuota", "resourcequotas", true, List.of("quota"), List.of(), Set.of("status"), b -> b.statusSubresource());
    add(r, "", "v1", "ReplicationController", "replicationcontrollers", true, List.of("rc"), ALL, Set.of("status", "scale"), b -> b
        .statusSubresource().tracksGeneration().scale(new ScaleSpec("/spec/replicas", "/status/replicas", "/spec/selector"))
        .selectableFields(Set.of("status.replicas"), o -> Map.of("status.replicas", Integer.toString(o.path("status").path("replicas").asInt(0)))));
    add(r, "", "v1", "PodTemplate", "podtemplates", true, List.of(), List.of(), Set.of(), b -> b);
    // apps/v1
    add(r, "apps", "v1", "Deployment", "deployments", true, List.of("deploy"), ALL, Set.of("status", "scale"), b -> b
        .statusSubresource().tracksGeneration().scale(ScaleSpec.WORKLOAD));
    add(r, "apps", "v1", "ReplicaSet", "replicasets", true, List.of("rs"), ALL, Set.of("status", "scale"), b -> b
        .statusSubresource().tracksGeneration().scale(ScaleSpec.WORKLOAD)
        .selectableFields(Set.of("status.replicas"), o -> Map.of("status.replicas", Integer.toString(o.path("status").path("replicas").asInt(0)))));
    add(r, "apps", "v1", "StatefulSet", "statefulsets", true, List.of("sts"), ALL, Set.of("status", "scale"), b -> b
        .statusSubresource().tracksGeneration().scale(ScaleSpec.WORKLOAD));
    add(r, "apps", "v1", "DaemonSet", "daemonsets", true, List.of("ds"), ALL, Set.of("status"), b -> b
        .statusSubresource().tracksGeneration());
    add(r, "apps", "v1", "ControllerRevision", "controllerrevisions", true, List.of(), List.of(), Set.of(), b -> b);
    // batch/v1
    add(r, "batch", "v1", "Job", "jobs", true, List.of(), ALL, Set.of("status"), b -> b
        .statusSubresource().tracksGeneration()
        .selectableFields(Set.of("status.successful"), o -> Map.of("status.successful", Integer.toString(o.path("status").path("succeeded").asInt(0)))));
    add(r, "batch", "v1", "CronJob", "cronjobs", true, List.of("cj"), ALL, Set.of("status"), b -> b
        .statusSubresource().tracksGeneration());
    // networking.k8s.io/v1
    add(r, "networking.k8s.io", "v1", "Ingress", "ingresses", true, List.of("ing"), List.of(), Set.of("status"), b -> b
        .statusSubresource().tracksGeneration());
    add(r, "networking.k8s.io", "v1", "IngressClass", "ingressclasses", false, List.of(), List.of(), Set.of(), b -> b);
    add(r, "networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, List.of("netpol"), List.of(), Set.of(), b -> b.tracksGeneration());
    // storage.k8s.io/v1
    add(r, "storage.k8s.io", "v1", "StorageClass", "storageclasses", false, List.of("sc"), List.of(), Set.of(), b -> b);
    // rbac.authorization.k8s.io/v1
    for (String[] k : new String[][] {{"Role", "roles", "true"}, {"RoleBinding", "rolebindings", "true"},
        {"ClusterRole", "clusterroles", "false"}, {"ClusterRoleBinding", "clusterrolebindings", "false"}}) {
      add(r, "rbac.authorization.k8s.io", "v1", k[0], k[1], Boolean.parseBoolean(k[2]), List.of(), List.of(), Set.of(), b -> b);
    }
    // coordination.k8s.io/v1
    add(r, "coordination.k8s.io", "v1", "Lease", "leases", true, List.of(), List.of(), Set.of(), b -> b.allowCreateOnUpdate());
    // discovery.k8s.io/v1
    add(r, "discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, List.of(), List.of(), Set.of(), b -> b);
    // events.k8s.io/v1
    add(r, "events.k8s.io", "v1", "Event", "events", true, List.of("ev"), List.of(), Set.of(), b -> b
        .allowCreateOnUpdate().conversion(EventsV1Conversion.INSTANCE));
    // policy/v1
    add(r, "policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, List.of("pdb"), List.of(), Set.of("status"), b -> b
        .statusSubresource().tracksGeneration());
    // scheduling.k8s.io/v1
    add(r, "scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, List.of("pc"), List.of(), Set.of(), b -> b);
    // authorization.k8s.io/v1 and authentication.k8s.io: reviews, answered and never stored
    addReview(r, AccessReviews.GROUP, "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false, AccessReviews::self);
    addReview(r, AccessReviews.GROUP, "v1", "SubjectAccessReview", "subjectaccessreviews", false, AccessReviews::subject);
    addReview(r, AccessReviews.GROUP, "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", true, AccessReviews::local);
    addReview(r, AccessReviews.GROUP, "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false, AccessReviews::rules);
    addReview(r, "authentication.k8s.io", "v1", "TokenReview", "tokenreviews", false, UserReviews::token);
    for (String v : List.of("v1", "v1beta1")) {
      addReview(r, "authentication.k8s.io", v, "SelfSubjectReview", "selfsubjectreviews", false, UserReviews::self);
    }
    // apiextensions.k8s.io/v1: CRDs; their custom resources are registered at run time by registry.crd.CrdRegistrar
    add(r, "apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, List.of("crd", "crds"),
        List.of("api-extensions"), Set.of("status"), CrdStrategy::configure);
  }

  private static void addReview(ResourceRegistry r, String group, String version, String kind, String plural, boolean namespaced,
                                CreateOnly.Review review) {
    add(r, group, version, kind, plural, namespaced, List.of(), List.of(), Set.of(), b -> b
        .createOnly(new CreateOnly(group, version, kind, review)));
  }

  private static void add(ResourceRegistry r, String group, String version, String kind, String plural, boolean namespaced,
                          List<String> shortNames, List<String> categories, Set<String> subresources,
                          java.util.function.UnaryOperator<ResourceStrategy.Builder> strategy) {
    ResourceStrategy.Builder b = ResourceStrategy.builder()
        .defaulter(KindDefaults.forKind(group, kind))
        .validator(KindValidation.forKind(group, kind))
        .nameRule(KindValidation.nameRule(group, kind))
        .prepareForCreate(KindHooks.prepareForCreate(group, kind))
        .prepareForUpdate(KindHooks.prepareForUpdate(group, kind));
    b = strategy.apply(b);
    r.register(new ResourceDefinition(group, version, kind, plural, kind.toLowerCase(), namespaced, shortNames, categories,
        subresources, b.build()));
  }

  static final Set<String> EVENT_FIELDS = Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
      "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
      "reason", "reportingComponent", "source", "type");

  static Map<String, String> eventFields(JsonNode e) {
    Map<String, String> f = new HashMap<>();
    JsonNode io = e.path("involvedObject");
    for (String k : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
      f.put("involvedObject." + k, io.path(k).asString(""));
    }
    f.put("reason", e.path("reason").asString(""));
    f.put("reportingComponent", e.path("reportingComponent").asString(""));
    f.put("source", e.path("source").path("component").asString(""));
    f.put("type", e.path("type").asString(""));
    return f;
  }
}
