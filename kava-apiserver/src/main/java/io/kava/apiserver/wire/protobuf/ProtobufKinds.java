package io.kava.apiserver.wire.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table from apiVersion + kind to the protobuf message of that kind. Every kind listed here brings its
 * {@code <Kind>List} when the schema has one. {@code DeleteOptions} is accepted with any apiVersion of the table
 * (and meta.k8s.io/v1), as the Go scheme registers it in every group version.
 */
final class ProtobufKinds {
  /** apiVersion → proto package → kinds. */
  private static final Object[][] TABLE = {
      {"v1", "k8s.io.api.core.v1", new String[] {"Namespace", "Pod", "Service", "Endpoints", "Node", "ConfigMap", "Secret",
          "ServiceAccount", "Event", "PersistentVolume", "PersistentVolumeClaim", "LimitRange", "ResourceQuota",
          "ReplicationController", "Binding", "PodTemplate", "ComponentStatus"}},
      {"apps/v1", "k8s.io.api.apps.v1", new String[] {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ControllerRevision"}},
      {"batch/v1", "k8s.io.api.batch.v1", new String[] {"Job", "CronJob"}},
      {"networking.k8s.io/v1", "k8s.io.api.networking.v1", new String[] {"Ingress", "IngressClass", "NetworkPolicy",
          "IPAddress", "ServiceCIDR"}},
      {"storage.k8s.io/v1", "k8s.io.api.storage.v1", new String[] {"StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
          "CSIStorageCapacity"}},
      {"rbac.authorization.k8s.io/v1", "k8s.io.api.rbac.v1", new String[] {"Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"}},
      {"coordination.k8s.io/v1", "k8s.io.api.coordination.v1", new String[] {"Lease"}},
      {"discovery.k8s.io/v1", "k8s.io.api.discovery.v1", new String[] {"EndpointSlice"}},
      {"events.k8s.io/v1", "k8s.io.api.events.v1", new String[] {"Event"}},
      {"policy/v1", "k8s.io.api.policy.v1", new String[] {"PodDisruptionBudget", "Eviction"}},
      {"scheduling.k8s.io/v1", "k8s.io.api.scheduling.v1", new String[] {"PriorityClass"}},
      {"autoscaling/v1", "k8s.io.api.autoscaling.v1", new String[] {"Scale", "HorizontalPodAutoscaler"}},
      {"autoscaling/v2", "k8s.io.api.autoscaling.v2", new String[] {"HorizontalPodAutoscaler"}},
      {"authentication.k8s.io/v1", "k8s.io.api.authentication.v1", new String[] {"TokenRequest", "TokenReview", "SelfSubjectReview"}},
      {"authorization.k8s.io/v1", "k8s.io.api.authorization.v1", new String[] {"SubjectAccessReview", "SelfSubjectAccessReview",
          "LocalSubjectAccessReview", "SelfSubjectRulesReview"}},
      {"certificates.k8s.io/v1", "k8s.io.api.certificates.v1", new String[] {"CertificateSigningRequest"}},
  };

  static final String DELETE_OPTIONS = "DeleteOptions";

  /** "apiVersion/kind" keys ("v1/Pod", "apps/v1/Deployment") → message. */
  private final Map<String, Descriptor> kinds = new LinkedHashMap<>();
  private final Set<String> apiVersions = new LinkedHashSet<>();
  private final Descriptor deleteOptions;

  ProtobufKinds(ProtoSchema schema) {
    for (Object[] row : TABLE) {
      String apiVersion = (String) row[0];
      String pkg = (String) row[1];
      apiVersions.add(apiVersion);
      for (String kind : (String[]) row[2]) {
        Descriptor d = schema.message(pkg + "." + kind);
        if (d == null) throw new IllegalStateException("protobuf kinds: no message " + pkg + "." + kind);
        kinds.put(apiVersion + "/" + kind, d);
        Descriptor list = schema.message(pkg + "." + kind + "List");
        if (list != null) kinds.put(apiVersion + "/" + kind + "List", list);
      }
    }
    apiVersions.add("meta.k8s.io/v1");
    deleteOptions = schema.message(ProtoSchema.META + ".DeleteOptions");
  }

  /** The message of this kind, or null when the kind is not served as protobuf. */
  Descriptor find(String apiVersion, String kind) {
    if (DELETE_OPTIONS.equals(kind) && apiVersions.contains(apiVersion)) return deleteOptions;
    return kinds.get(apiVersion + "/" + kind);
  }

  /** "apiVersion/kind" of every kind in the table (DeleteOptions not included). */
  Set<String> keys() { return Collections.unmodifiableSet(kinds.keySet()); }
}
