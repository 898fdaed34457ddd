package io.kava.apiserver.registry.defaults;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Defaulting of the networking, storage, rbac, scheduling and discovery kinds. */
public final class MiscDefaults {
  private MiscDefaults() {}

  /** SetDefaults_NetworkPolicy (policyTypes) and SetDefaults_NetworkPolicyPort (protocol TCP). */
  public static void networkPolicy(ObjectNode np) {
    ObjectNode spec = D.objOrCreate(np, "spec");
    for (String dir : new String[] {"ingress", "egress"}) {
      for (ObjectNode rule : D.objs(spec, dir)) {
        for (ObjectNode port : D.objs(rule, "ports")) D.stringIfNil(port, "protocol", "TCP");
      }
    }
    JsonNode types = spec.get("policyTypes");
    if (types == null || types.isNull() || types.isEmpty()) {
      ArrayNode a = spec.putArray("policyTypes");
      a.add("Ingress");
      JsonNode egress = spec.get("egress");
      if (egress != null && egress.isArray() && !egress.isEmpty()) a.add("Egress");
    }
  }

  /** SetDefaults_IngressClass: parameters are cluster-scoped unless told otherwise. */
  public static void ingressClass(ObjectNode ic) {
    ObjectNode params = D.obj(D.obj(ic, "spec"), "parameters");
    if (params != null) D.stringIfNil(params, "scope", "Cluster");
  }

  /** SetDefaults_StorageClass. */
  public static void storageClass(ObjectNode sc) {
    D.stringIfNil(sc, "reclaimPolicy", "Delete");
    D.stringIfNil(sc, "volumeBindingMode", "Immediate");
  }

  /** SetDefaults_RoleBinding / ClusterRoleBinding (roleRef.apiGroup) and SetDefaults_Subject. */
  public static void roleBinding(ObjectNode rb) {
    ObjectNode ref = D.obj(rb, "roleRef");
    if (ref != null) D.stringIfEmpty(ref, "apiGroup", "rbac.authorization.k8s.io");
    for (ObjectNode subject : D.objs(rb, "subjects")) {
      if (!D.isEmptyString(subject, "apiGroup")) continue;
      switch (D.str(subject, "kind")) {
        // ServiceAccount subjects default to the core group "", which is omitted when serialized
        case "User", "Group" -> subject.put("apiGroup", "rbac.authorization.k8s.io");
        default -> { }
      }
    }
  }

  /** SetDefaults_PriorityClass. */
  public static void priorityClass(ObjectNode pc) { D.stringIfNil(pc, "preemptionPolicy", "PreemptLowerPriority"); }

  /** SetDefaults_EndpointPort: name "" and protocol TCP. */
  public static void endpointSlice(ObjectNode es) {
    for (ObjectNode port : D.objs(es, "ports")) {
      D.stringIfNil(port, "name", "");
      D.stringIfNil(port, "protocol", "TCP");
    }
  }
}
