package io.kava.apiserver.table;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The table convertor of each kind: upstream's printer columns and cells (pkg/printers/internalversion) for the
 * built-in kinds that have one, the NAME/CREATED AT default for the others.
 *
 * <pre>{@code
 * TableConvertor pods = TableConvertors.forKind("", "Pod");
 * List<TableColumn> columns = pods.columns();          // wide columns included (priority 1)
 * List<Object> cells = pods.cells(podJson, Instant.now());
 * }</pre>
 *
 * The cells are always the wide set, as kube-apiserver renders tables; kubectl hides priority-1 columns unless
 * asked for {@code -o wide}.
 */
public final class TableConvertors {
  private static final Map<String, TableConvertor> PRINTERS = new HashMap<>();

  static {
    // core
    core("Pod", PodTableConvertor.INSTANCE);
    core("PodTemplate", CoreTableConvertors.POD_TEMPLATE);
    core("Namespace", CoreTableConvertors.NAMESPACE);
    core("Node", CoreTableConvertors.NODE);
    core("Service", CoreTableConvertors.SERVICE);
    core("Endpoints", CoreTableConvertors.ENDPOINTS);
    core("ConfigMap", CoreTableConvertors.CONFIG_MAP);
    core("Secret", CoreTableConvertors.SECRET);
    core("ServiceAccount", CoreTableConvertors.SERVICE_ACCOUNT);
    core("Event", CoreTableConvertors.EVENT);
    core("PersistentVolume", CoreTableConvertors.PERSISTENT_VOLUME);
    core("PersistentVolumeClaim", CoreTableConvertors.PERSISTENT_VOLUME_CLAIM);
    core("ResourceQuota", CoreTableConvertors.RESOURCE_QUOTA);
    core("ReplicationController", CoreTableConvertors.REPLICATION_CONTROLLER);
    core("ComponentStatus", CoreTableConvertors.COMPONENT_STATUS);
    // LimitRange: no printer upstream (NAME, CREATED AT)

    for (String group : new String[] {"apps", "extensions"}) {
      put(group, "Deployment", AppsTableConvertors.DEPLOYMENT);
      put(group, "ReplicaSet", AppsTableConvertors.REPLICA_SET);
      put(group, "DaemonSet", AppsTableConvertors.DAEMON_SET);
    }
    put("apps", "StatefulSet", AppsTableConvertors.STATEFUL_SET);
    put("apps", "ControllerRevision", AppsTableConvertors.CONTROLLER_REVISION);

    put("batch", "Job", BatchTableConvertors.JOB);
    put("batch", "CronJob", BatchTableConvertors.CRON_JOB);

    for (String group : new String[] {"networking.k8s.io", "extensions"}) {
      put(group, "Ingress", NetworkingTableConvertors.INGRESS);
      put(group, "NetworkPolicy", NetworkingTableConvertors.NETWORK_POLICY);
    }
    put("networking.k8s.io", "IngressClass", NetworkingTableConvertors.INGRESS_CLASS);
    put("networking.k8s.io", "ServiceCIDR", NetworkingTableConvertors.SERVICE_CIDR);
    put("networking.k8s.io", "IPAddress", NetworkingTableConvertors.IP_ADDRESS);
    put("discovery.k8s.io", "EndpointSlice", NetworkingTableConvertors.ENDPOINT_SLICE);
    put("events.k8s.io", "Event", CoreTableConvertors.EVENT);

    put("storage.k8s.io", "StorageClass", StorageTableConvertors.STORAGE_CLASS);
    put("storage.k8s.io", "VolumeAttachment", StorageTableConvertors.VOLUME_ATTACHMENT);
    put("storage.k8s.io", "CSIDriver", StorageTableConvertors.CSI_DRIVER);
    put("storage.k8s.io", "CSINode", StorageTableConvertors.CSI_NODE);
    put("storage.k8s.io", "VolumeAttributesClass", StorageTableConvertors.VOLUME_ATTRIBUTES_CLASS);
    // CSIStorageCapacity: its storage registers the default convertor upstream, although a printer exists

    put("rbac.authorization.k8s.io", "RoleBinding", MiscTableConvertors.ROLE_BINDING);
    put("rbac.authorization.k8s.io", "ClusterRoleBinding", MiscTableConvertors.CLUSTER_ROLE_BINDING);
    // Role, ClusterRole: no printer upstream

    put("coordination.k8s.io", "Lease", MiscTableConvertors.LEASE);
    put("coordination.k8s.io", "LeaseCandidate", MiscTableConvertors.LEASE_CANDIDATE);
    put("policy", "PodDisruptionBudget", MiscTableConvertors.POD_DISRUPTION_BUDGET);
    put("scheduling.k8s.io", "PriorityClass", MiscTableConvertors.PRIORITY_CLASS);
    put("node.k8s.io", "RuntimeClass", MiscTableConvertors.RUNTIME_CLASS);
    put("autoscaling", "HorizontalPodAutoscaler", MiscTableConvertors.HORIZONTAL_POD_AUTOSCALER);
    put("autoscaling", "Scale", MiscTableConvertors.SCALE);
    put("certificates.k8s.io", "CertificateSigningRequest", MiscTableConvertors.CERTIFICATE_SIGNING_REQUEST);
    put("certificates.k8s.io", "ClusterTrustBundle", MiscTableConvertors.CLUSTER_TRUST_BUNDLE);

    String admission = "admissionregistration.k8s.io";
    put(admission, "MutatingWebhookConfiguration", MiscTableConvertors.WEBHOOK_CONFIGURATION);
    put(admission, "ValidatingWebhookConfiguration", MiscTableConvertors.WEBHOOK_CONFIGURATION);
    put(admission, "ValidatingAdmissionPolicy", MiscTableConvertors.VALIDATING_ADMISSION_POLICY);
    put(admission, "ValidatingAdmissionPolicyBinding", MiscTableConvertors.ADMISSION_POLICY_BINDING);
    put(admission, "MutatingAdmissionPolicy", MiscTableConvertors.MUTATING_ADMISSION_POLICY);
    put(admission, "MutatingAdmissionPolicyBinding", MiscTableConvertors.ADMISSION_POLICY_BINDING);

    put("flowcontrol.apiserver.k8s.io", "FlowSchema", MiscTableConvertors.FLOW_SCHEMA);
    put("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration",
        MiscTableConvertors.PRIORITY_LEVEL_CONFIGURATION);
    put("internal.apiserver.k8s.io", "StorageVersion", MiscTableConvertors.STORAGE_VERSION);

    put("resource.k8s.io", "DeviceClass", MiscTableConvertors.NAME_AGE);
    put("resource.k8s.io", "ResourceClaim", MiscTableConvertors.RESOURCE_CLAIM);
    put("resource.k8s.io", "ResourceClaimTemplate", MiscTableConvertors.NAME_AGE);
    put("resource.k8s.io", "ResourceSlice", MiscTableConvertors.RESOURCE_SLICE);

    put("apiregistration.k8s.io", "APIService", MiscTableConvertors.API_SERVICE);
    // CustomResourceDefinition: no printer upstream
  }

  private TableConvertors() {
  }

  private static void core(String kind, TableConvertor c) {
    put("", kind, c);
  }

  private static void put(String group, String kind, TableConvertor c) {
    PRINTERS.put(key(group, kind), c);
  }

  private static String key(String group, String kind) {
    String g = group == null || group.equals("core") ? "" : group;
    return g + "/" + kind;
  }

  /**
   * The convertor for objects of {@code kind} in API group {@code group} ("" or "core" for the core group): the
   * kind's printer, or {@link DefaultTableConvertor} when upstream has none for it.
   */
  public static TableConvertor forKind(String group, String kind) {
    return printerFor(group, kind).orElse(DefaultTableConvertor.INSTANCE);
  }

  /** The kind's own printer, empty when the kind is served with the default NAME/CREATED AT table. */
  public static Optional<TableConvertor> printerFor(String group, String kind) {
    return Optional.ofNullable(PRINTERS.get(key(group, kind)));
  }

  /** The NAME / CREATED AT table. */
  public static TableConvertor defaultConvertor() {
    return DefaultTableConvertor.INSTANCE;
  }

  /**
   * The table of a custom resource served from a CRD version with these {@code additionalPrinterColumns}
   * (JSON array, may be null): NAME plus those columns, or NAME and AGE when there are none.
   */
  public static TableConvertor forCustomResource(JsonNode additionalPrinterColumns) {
    return CustomResourceTableConvertor.of(additionalPrinterColumns);
  }
}
