package io.kava.apiserver.registry.defaults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** core/v1 defaulting for the kinds other than Pod (pkg/apis/core/v1/defaults.go and the generated defaulters). */
public final class CoreDefaults {
  private CoreDefaults() {}

  // ---- Service -----------------------------------------------------------------------------------------------------

  /**
   * SetObjectDefaults_Service, plus what the service REST storage fills in before validation on a single-stack
   * IPv4 cluster: {@code clusterIPs} from {@code clusterIP}, {@code ipFamilyPolicy} and {@code ipFamilies}.
   * ClusterIP and NodePort allocation are not done here.
   */
  public static void service(ObjectNode svc) {
    ObjectNode spec = D.objOrCreate(svc, "spec");
    D.stringIfEmpty(spec, "sessionAffinity", "None");
    String affinity = D.str(spec, "sessionAffinity");
    if (affinity.equals("None")) spec.remove("sessionAffinityConfig");
    if (affinity.equals("ClientIP")) {
      ObjectNode clientIP = D.obj(D.obj(spec, "sessionAffinityConfig"), "clientIP");
      if (clientIP == null || D.isNil(clientIP, "timeoutSeconds")) {
        ObjectNode cfg = spec.putObject("sessionAffinityConfig");
        cfg.putObject("clientIP").put("timeoutSeconds", 10800);
      }
    }
    D.stringIfEmpty(spec, "type", "ClusterIP");
    String type = D.str(spec, "type");
    for (ObjectNode port : D.objs(spec, "ports")) {
      D.stringIfEmpty(port, "protocol", "TCP");
      JsonNode target = port.get("targetPort");
      boolean unset = target == null || target.isNull() || (target.isNumber() && target.asLong() == 0)
          || (target.isString() && target.stringValue().isEmpty());
      if (unset && port.has("port")) port.set("targetPort", port.get("port").deepCopy());
    }
    if (externallyAccessible(spec)) D.stringIfEmpty(spec, "externalTrafficPolicy", "Cluster");
    if (D.isNil(spec, "internalTrafficPolicy") && (type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP"))) {
      spec.put("internalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer")) {
      D.boolIfNil(spec, "allocateLoadBalancerNodePorts", true);
      for (ObjectNode ing : D.objs(D.obj(D.obj(svc, "status"), "loadBalancer"), "ingress")) {
        if (!D.str(ing, "ip").isEmpty()) D.stringIfNil(ing, "ipMode", "VIP");
      }
    }
    if (!type.equals("ExternalName")) serviceIPFamilies(spec);
  }

  static boolean externallyAccessible(JsonNode spec) {
    String type = D.str(spec, "type");
    JsonNode ext = spec.get("externalIPs");
    return type.equals("LoadBalancer") || type.equals("NodePort")
        || (type.equals("ClusterIP") && ext != null && ext.isArray() && !ext.isEmpty());
  }

  /**
   * The storage layer's clusterIP/ipFamily initialisation for a single-stack cluster: clusterIPs from the singular
   * field, SingleStack (RequireDualStack for headless services without a selector) and the family of the first
   * cluster IP (IPv4 when none is set yet).
   */
  static void serviceIPFamilies(ObjectNode spec) {
    String clusterIP = D.str(spec, "clusterIP");
    JsonNode ips = spec.get("clusterIPs");
    if (!clusterIP.isEmpty() && (ips == null || ips.isNull() || ips.isEmpty())) {
      spec.putArray("clusterIPs").add(clusterIP);
    }
    boolean headless = clusterIP.equals("None");
    JsonNode selector = spec.get("selector");
    boolean noSelector = selector == null || selector.isNull() || selector.isEmpty();
    if (D.isNil(spec, "ipFamilyPolicy")) spec.put("ipFamilyPolicy", headless && noSelector ? "RequireDualStack" : "SingleStack");
    JsonNode families = spec.get("ipFamilies");
    if (families == null || families.isNull() || families.isEmpty()) {
      String first = firstClusterIP(spec);
      spec.putArray("ipFamilies").add(first != null && first.contains(":") ? "IPv6" : "IPv4");
    }
  }

  private static String firstClusterIP(ObjectNode spec) {
    JsonNode ips = spec.get("clusterIPs");
    if (ips != null && ips.isArray()) {
      for (JsonNode ip : ips) if (!ip.asString().equals("None") && !ip.asString().isEmpty()) return ip.asString();
    }
    return null;
  }

  // ---- Namespace, Secret, ConfigMap ----------------------------------------------------------------------------------

  /** SetDefaults_Namespace (the kubernetes.io/metadata.name label) and SetDefaults_NamespaceStatus. */
  public static void namespace(ObjectNode ns) {
    ObjectNode meta = D.objOrCreate(ns, "metadata");
    String name = D.str(meta, "name");
    if (!name.isEmpty()) D.objOrCreate(meta, "labels").put("kubernetes.io/metadata.name", name);
    D.stringIfEmpty(D.objOrCreate(ns, "status"), "phase", "Active");
  }

  /**
   * SetDefaults_Secret, and the v1 conversion's merge of {@code stringData} into {@code data} (stringData is
   * write-only: its entries, base64-encoded, replace data's and the field is never stored).
   */
  public static void secret(ObjectNode secret) {
    ObjectNode stringData = D.obj(secret, "stringData");
    if (stringData != null) {
      ObjectNode data = D.objOrCreate(secret, "data");
      for (String k : new ArrayList<>(stringData.propertyNames())) {
        String v = D.str(stringData, k);
        data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
      }
    }
    secret.remove("stringData");
    D.stringIfEmpty(secret, "type", "Opaque");
  }

  // ---- PersistentVolume, PersistentVolumeClaim ---------------------------------------------------------------------

  public static void persistentVolume(ObjectNode pv) {
    ObjectNode spec = D.objOrCreate(pv, "spec");
    D.stringIfEmpty(D.objOrCreate(pv, "status"), "phase", "Pending");
    D.stringIfEmpty(spec, "persistentVolumeReclaimPolicy", "Retain");
    D.stringIfNil(spec, "volumeMode", "Filesystem");
    D.resourceList(spec, "capacity");
    ObjectNode hostPath = D.obj(spec, "hostPath");
    if (hostPath != null) D.stringIfNil(hostPath, "type", "");
    ObjectNode rbd = D.obj(spec, "rbd");
    if (rbd != null) PodDefaults.rbd(rbd);
    ObjectNode iscsi = D.obj(spec, "iscsi");
    if (iscsi != null) D.stringIfEmpty(iscsi, "iscsiInterface", "default");
    ObjectNode azureDisk = D.obj(spec, "azureDisk");
    if (azureDisk != null) PodDefaults.azureDisk(azureDisk);
    ObjectNode scaleIO = D.obj(spec, "scaleIO");
    if (scaleIO != null) PodDefaults.scaleIO(scaleIO);
  }

  public static void persistentVolumeClaim(ObjectNode pvc) {
    D.stringIfEmpty(D.objOrCreate(pvc, "status"), "phase", "Pending");
    pvcSpec(D.objOrCreate(pvc, "spec"));
    ObjectNode status = D.obj(pvc, "status");
    D.resourceList(status, "capacity");
    D.resourceList(status, "allocatedResources");
  }

  /** SetDefaults_PersistentVolumeClaimSpec and the resource lists under it. */
  static void pvcSpec(ObjectNode spec) {
    D.stringIfNil(spec, "volumeMode", "Filesystem");
    ObjectNode res = D.obj(spec, "resources");
    D.resourceList(res, "limits");
    D.resourceList(res, "requests");
  }

  // ---- Endpoints, Node, LimitRange, ResourceQuota ------------------------------------------------------------------

  public static void endpoints(ObjectNode ep) {
    for (ObjectNode subset : D.objs(ep, "subsets")) {
      for (ObjectNode port : D.objs(subset, "ports")) D.stringIfEmpty(port, "protocol", "TCP");
    }
  }

  public static void node(ObjectNode node) {
    ObjectNode status = D.obj(node, "status");
    if (status == null) return;
    ObjectNode capacity = D.obj(status, "capacity");
    if (D.isNil(status, "allocatable") && capacity != null) status.set("allocatable", capacity.deepCopy());
    D.resourceList(status, "capacity");
    D.resourceList(status, "allocatable");
  }

  public static void limitRange(ObjectNode lr) {
    for (ObjectNode item : D.objs(D.obj(lr, "spec"), "limits")) {
      if (D.str(item, "type").equals("Container")) {
        ObjectNode dflt = D.obj(item, "default") == null ? D.F.objectNode() : D.obj(item, "default");
        ObjectNode dflReq = D.obj(item, "defaultRequest") == null ? D.F.objectNode() : D.obj(item, "defaultRequest");
        copyMissing(D.obj(item, "max"), dflt);
        copyMissing(dflt, dflReq);
        copyMissing(D.obj(item, "min"), dflReq);
        // empty maps are omitted when serialized: only write the ones that gained entries
        if (!dflt.isEmpty()) item.set("default", dflt);
        if (!dflReq.isEmpty()) item.set("defaultRequest", dflReq);
      }
      for (String f : List.of("max", "min", "default", "defaultRequest", "maxLimitRequestRatio")) D.resourceList(item, f);
    }
  }

  private static void copyMissing(ObjectNode from, ObjectNode to) {
    if (from == null) return;
    for (String k : new ArrayList<>(from.propertyNames())) {
      if (!to.has(k)) to.set(k, from.get(k).deepCopy());
    }
  }

  public static void resourceQuota(ObjectNode rq) {
    D.resourceList(D.obj(rq, "spec"), "hard");
    ObjectNode status = D.obj(rq, "status");
    D.resourceList(status, "hard");
    D.resourceList(status, "used");
  }

  // ---- ReplicationController, PodTemplate --------------------------------------------------------------------------

  /** SetDefaults_ReplicationController (selector and labels from the template), replicas 1, template defaults. */
  public static void replicationController(ObjectNode rc) {
    ObjectNode spec = D.objOrCreate(rc, "spec");
    ObjectNode template = D.obj(spec, "template");
    ObjectNode labels = D.obj(D.obj(template, "metadata"), "labels");
    if (labels != null) {
      JsonNode selector = spec.get("selector");
      if (selector == null || selector.isNull() || selector.isEmpty()) spec.set("selector", labels.deepCopy());
      ObjectNode meta = D.objOrCreate(rc, "metadata");
      JsonNode own = meta.get("labels");
      if (own == null || own.isNull() || own.isEmpty()) meta.set("labels", labels.deepCopy());
    }
    D.numberIfNil(spec, "replicas", 1);
    PodDefaults.podTemplateSpec(template);
  }

  public static void podTemplate(ObjectNode pt) {
    PodDefaults.podTemplateSpec(D.obj(pt, "template"));
  }

  /** Adds a value to a string array field (creating it), unless present. */
  static void addUnique(ObjectNode o, String field, String value) {
    JsonNode arr = o.get(field);
    ArrayNode a = arr instanceof ArrayNode an ? an : o.putArray(field);
    for (JsonNode e : a) if (e.asString().equals(value)) return;
    a.add(value);
  }
}
