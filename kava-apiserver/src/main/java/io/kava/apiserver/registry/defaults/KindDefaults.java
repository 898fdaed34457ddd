package io.kava.apiserver.registry.defaults;

import io.kava.apiserver.registry.Defaulter;
import java.util.HashMap;
import java.util.Map;

/**
 * Upstream's v1 defaulting for the built-in kinds, by group and kind. Every defaulter is idempotent and only fills
 * what is unset (nil pointers, and zero values of non-pointer fields), then rewrites resource quantities in the
 * canonical form the server stores ("0.5" → "500m", "1024Mi" → "1Gi").
 */
public final class KindDefaults {
  private KindDefaults() {}

  private static final Map<String, Defaulter> KINDS = new HashMap<>();

  private static void register(String group, String kind, Defaulter d) { KINDS.put(group + "/" + kind, d); }

  static {
    register("", "Pod", PodDefaults::pod);
    register("", "PodTemplate", CoreDefaults::podTemplate);
    register("", "ReplicationController", CoreDefaults::replicationController);
    register("", "Service", CoreDefaults::service);
    register("", "Namespace", CoreDefaults::namespace);
    register("", "Secret", CoreDefaults::secret);
    register("", "PersistentVolume", CoreDefaults::persistentVolume);
    register("", "PersistentVolumeClaim", CoreDefaults::persistentVolumeClaim);
    register("", "Endpoints", CoreDefaults::endpoints);
    register("", "Node", CoreDefaults::node);
    register("", "LimitRange", CoreDefaults::limitRange);
    register("", "ResourceQuota", CoreDefaults::resourceQuota);
    register("apps", "Deployment", WorkloadDefaults::deployment);
    register("apps", "ReplicaSet", WorkloadDefaults::replicaSet);
    register("apps", "StatefulSet", WorkloadDefaults::statefulSet);
    register("apps", "DaemonSet", WorkloadDefaults::daemonSet);
    register("batch", "Job", WorkloadDefaults::job);
    register("batch", "CronJob", WorkloadDefaults::cronJob);
    register("networking.k8s.io", "NetworkPolicy", MiscDefaults::networkPolicy);
    register("networking.k8s.io", "IngressClass", MiscDefaults::ingressClass);
    register("storage.k8s.io", "StorageClass", MiscDefaults::storageClass);
    register("rbac.authorization.k8s.io", "RoleBinding", MiscDefaults::roleBinding);
    register("rbac.authorization.k8s.io", "ClusterRoleBinding", MiscDefaults::roleBinding);
    register("scheduling.k8s.io", "PriorityClass", MiscDefaults::priorityClass);
    register("discovery.k8s.io", "EndpointSlice", MiscDefaults::endpointSlice);
  }

  /** The defaulter of a kind, or {@link Defaulter#NONE} for kinds without upstream defaults here. */
  public static Defaulter forKind(String group, String kind) {
    Defaulter d = KINDS.get((group == null ? "" : group) + "/" + kind);
    return d == null ? Defaulter.NONE : d;
  }
}
