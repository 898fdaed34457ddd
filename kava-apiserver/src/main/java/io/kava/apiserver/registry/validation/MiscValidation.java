package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.IpValidation;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** storage, rbac, policy, scheduling, coordination and discovery kinds. */
public final class MiscValidation {
  private MiscValidation() {}

  // ---- storage.k8s.io StorageClass ---------------------------------------------------------------------------------

  public static List<FieldError> storageClass(JsonNode sc) {
    List<FieldError> errs = new ArrayList<>();
    String provisioner = Tree.str(sc, "provisioner");
    FieldPath pp = FieldPath.of("provisioner");
    if (provisioner.isEmpty()) errs.add(Errs.required(pp, ""));
    else for (String msg : NameValidation.isQualifiedName(provisioner.toLowerCase())) errs.add(Errs.invalid(pp, provisioner.toLowerCase(), msg));
    Map<String, String> params = Tree.strMap(sc, "parameters");
    if (params != null) {
      FieldPath ap = FieldPath.of("parameters");
      if (params.size() > 512) {
        errs.add(Errs.tooLong(ap, 512));
      } else {
        long total = 0;
        for (Map.Entry<String, String> e : params.entrySet()) {
          if (e.getKey().isEmpty()) errs.add(Errs.invalid(ap, e.getKey(), "field can not be empty."));
          total += e.getKey().length() + e.getValue().length();
        }
        if (total > 256 * 1024) errs.add(Errs.tooLong(ap, 256 * 1024));
      }
    }
    String reclaim = Tree.strOrNull(sc, "reclaimPolicy");
    if (reclaim != null && !reclaim.isEmpty() && !reclaim.equals("Delete") && !reclaim.equals("Retain")) {
      errs.add(Errs.notSupported(FieldPath.of("reclaimPolicy"), reclaim, "Delete", "Retain"));
    }
    String mode = Tree.strOrNull(sc, "volumeBindingMode");
    if (mode == null) errs.add(Errs.required(FieldPath.of("volumeBindingMode"), ""));
    else if (!mode.equals("Immediate") && !mode.equals("WaitForFirstConsumer")) {
      errs.add(Errs.notSupported(FieldPath.of("volumeBindingMode"), mode, "Immediate", "WaitForFirstConsumer"));
    }
    List<JsonNode> topologies = Tree.list(sc, "allowedTopologies");
    for (int i = 0; i < topologies.size(); i++) {
      FieldPath tp = FieldPath.of("allowedTopologies").index(i);
      List<JsonNode> exprs = Tree.list(topologies.get(i), "matchLabelExpressions");
      if (exprs.isEmpty()) errs.add(Errs.required(tp, "must contain at least one requirement"));
      Set<String> keys = new HashSet<>();
      for (int j = 0; j < exprs.size(); j++) {
        FieldPath ep = tp.child("matchLabelExpressions").index(j);
        List<String> values = Tree.strings(exprs.get(j), "values");
        if (values.isEmpty()) errs.add(Errs.required(ep.child("values"), ""));
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < values.size(); k++) if (!seen.add(values.get(k))) errs.add(Errs.duplicate(ep.child("values").index(k), values.get(k)));
        String key = Tree.str(exprs.get(j), "key");
        errs.addAll(LabelSelectors.validateLabelName(key, ep.child("key")));
        if (!keys.add(key)) errs.add(Errs.duplicate(ep.child("key"), key));
      }
    }
    return errs;
  }

  public static List<FieldError> storageClassUpdate(JsonNode sc, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    if (!Tree.semanticEquals(Tree.get(sc, "parameters"), Tree.get(old, "parameters"))) {
      errs.add(Errs.forbidden(FieldPath.of("parameters"), "updates to parameters are forbidden."));
    }
    if (!Tree.str(sc, "provisioner").equals(Tree.str(old, "provisioner"))) {
      errs.add(Errs.forbidden(FieldPath.of("provisioner"), "updates to provisioner are forbidden."));
    }
    if (!Tree.str(sc, "reclaimPolicy").equals(Tree.str(old, "reclaimPolicy"))) {
      errs.add(Errs.forbidden(FieldPath.of("reclaimPolicy"), "updates to reclaimPolicy are forbidden."));
    }
    String mode = Tree.strOrNull(sc, "volumeBindingMode");
    if (!Objects.equals(mode, Tree.strOrNull(old, "volumeBindingMode"))) errs.add(Errs.immutable(FieldPath.of("volumeBindingMode"), mode));
    return errs;
  }

  // ---- rbac.authorization.k8s.io -----------------------------------------------------------------------------------

  private static final String RBAC = "rbac.authorization.k8s.io";

  /** Role (namespaced) and ClusterRole rules. */
  public static List<FieldError> role(JsonNode role, boolean namespaced) {
    List<FieldError> errs = new ArrayList<>();
    List<JsonNode> rules = Tree.list(role, "rules");
    for (int i = 0; i < rules.size(); i++) errs.addAll(policyRule(rules.get(i), namespaced, FieldPath.of("rules").index(i)));
    if (!namespaced) {
      JsonNode agg = Tree.get(role, "aggregationRule");
      if (agg != null) {
        FieldPath ap = FieldPath.of("aggregationRule", "clusterRoleSelectors");
        List<JsonNode> selectors = Tree.list(agg, "clusterRoleSelectors");
        if (selectors.isEmpty()) errs.add(Errs.required(ap, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
        for (int i = 0; i < selectors.size(); i++) {
          errs.addAll(LabelSelectors.validate(selectors.get(i), ap.index(i), false));
          if (!LabelSelectors.convertible(selectors.get(i))) {
            errs.add(Errs.invalid(ap.index(i), GoValue.labelSelector(selectors.get(i)), "invalid label selector."));
          }
        }
      }
    }
    return errs;
  }

  static List<FieldError> policyRule(JsonNode rule, boolean namespaced, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (Tree.size(rule, "verbs") == 0) errs.add(Errs.required(p.child("verbs"), "verbs must contain at least one value"));
    List<String> urls = Tree.strings(rule, "nonResourceURLs");
    if (!urls.isEmpty()) {
      GoValue v = GoValue.stringSlice("string", urls);
      if (namespaced) errs.add(Errs.invalid(p.child("nonResourceURLs"), v, "namespaced rules cannot apply to non-resource URLs"));
      if (Tree.size(rule, "apiGroups") > 0 || Tree.size(rule, "resources") > 0 || Tree.size(rule, "resourceNames") > 0) {
        errs.add(Errs.invalid(p.child("nonResourceURLs"), v, "rules cannot apply to both regular resources and non-resource URLs"));
      }
      return errs;
    }
    if (Tree.size(rule, "apiGroups") == 0) errs.add(Errs.required(p.child("apiGroups"), "resource rules must supply at least one api group"));
    if (Tree.size(rule, "resources") == 0) errs.add(Errs.required(p.child("resources"), "resource rules must supply at least one resource"));
    return errs;
  }

  public static List<FieldError> roleBinding(JsonNode rb, boolean namespaced) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode ref = Tree.get(rb, "roleRef");
    String group = Tree.str(ref, "apiGroup");
    if (!group.equals(RBAC)) errs.add(Errs.notSupported(FieldPath.of("roleRef", "apiGroup"), group, RBAC));
    String kind = Tree.str(ref, "kind");
    if (namespaced) {
      if (!kind.equals("Role") && !kind.equals("ClusterRole")) errs.add(Errs.notSupported(FieldPath.of("roleRef", "kind"), kind, "Role", "ClusterRole"));
    } else if (!kind.equals("ClusterRole")) {
      errs.add(Errs.notSupported(FieldPath.of("roleRef", "kind"), kind, "ClusterRole"));
    }
    String name = Tree.str(ref, "name");
    if (name.isEmpty()) errs.add(Errs.required(FieldPath.of("roleRef", "name"), ""));
    else for (String msg : NameValidation.isValidPathSegmentName(name)) errs.add(Errs.invalid(FieldPath.of("roleRef", "name"), name, msg));
    List<JsonNode> subjects = Tree.list(rb, "subjects");
    for (int i = 0; i < subjects.size(); i++) errs.addAll(subject(subjects.get(i), namespaced, FieldPath.of("subjects").index(i)));
    return errs;
  }

  private static List<FieldError> subject(JsonNode s, boolean namespaced, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String name = Tree.str(s, "name");
    String group = Tree.str(s, "apiGroup");
    if (name.isEmpty()) errs.add(Errs.required(p.child("name"), ""));
    switch (Tree.str(s, "kind")) {
      case "ServiceAccount" -> {
        if (!name.isEmpty()) for (String msg : NameValidation.isDNS1123Subdomain(name)) errs.add(Errs.invalid(p.child("name"), name, msg));
        if (!group.isEmpty()) errs.add(Errs.notSupported(p.child("apiGroup"), group, ""));
        if (!namespaced && Tree.str(s, "namespace").isEmpty()) errs.add(Errs.required(p.child("namespace"), ""));
      }
      case "User", "Group" -> {
        if (!group.equals(RBAC)) errs.add(Errs.notSupported(p.child("apiGroup"), group, RBAC));
      }
      default -> errs.add(Errs.notSupported(p.child("kind"), Tree.str(s, "kind"), "ServiceAccount", "User", "Group"));
    }
    return errs;
  }

  public static List<FieldError> roleBindingUpdate(JsonNode rb, JsonNode old, boolean namespaced) {
    List<FieldError> errs = roleBinding(rb, namespaced);
    JsonNode ref = Tree.get(rb, "roleRef");
    if (!Tree.semanticEquals(ref, Tree.get(old, "roleRef"))) {
      errs.add(Errs.invalid(FieldPath.of("roleRef"), GoValue.struct("rbac.RoleRef", ref, "APIGroup", "apiGroup", "Kind", "kind", "Name", "name"),
          "cannot change roleRef"));
    }
    return errs;
  }

  // ---- policy/v1 PodDisruptionBudget -------------------------------------------------------------------------------

  public static List<FieldError> podDisruptionBudget(JsonNode pdb) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(pdb, "spec");
    FieldPath p = FieldPath.of("spec");
    JsonNode min = Tree.get(spec, "minAvailable");
    JsonNode max = Tree.get(spec, "maxUnavailable");
    if (min != null && max != null) errs.add(Errs.invalid(p, GoValue.json(spec), "minAvailable and maxUnavailable cannot be both set"));
    if (min != null) {
      errs.addAll(AppsValidation.positiveIntOrPercent(min, p.child("minAvailable")));
      errs.addAll(AppsValidation.notMoreThan100Percent(min, p.child("minAvailable")));
    }
    if (max != null) {
      errs.addAll(AppsValidation.positiveIntOrPercent(max, p.child("maxUnavailable")));
      errs.addAll(AppsValidation.notMoreThan100Percent(max, p.child("maxUnavailable")));
    }
    errs.addAll(LabelSelectors.validate(Tree.get(spec, "selector"), p.child("selector"), false));
    String policy = Tree.strOrNull(spec, "unhealthyPodEvictionPolicy");
    if (policy != null && !policy.equals("IfHealthyBudget") && !policy.equals("AlwaysAllow")) {
      errs.add(Errs.notSupported(p.child("unhealthyPodEvictionPolicy"), policy, "AlwaysAllow", "IfHealthyBudget"));
    }
    return errs;
  }

  // ---- scheduling.k8s.io PriorityClass -----------------------------------------------------------------------------

  static final long HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000L;
  private static final Map<String, Long> SYSTEM_CLASSES = Map.of("system-node-critical", 2_000_001_000L, "system-cluster-critical", 2_000_000_000L);

  public static List<FieldError> priorityClass(JsonNode pc) {
    List<FieldError> errs = new ArrayList<>();
    String name = Tree.str(Tree.get(pc, "metadata"), "name");
    long value = Tree.num(pc, "value", 0);
    boolean globalDefault = Tree.isTrue(pc, "globalDefault");
    if (name.startsWith("system-")) {
      String err;
      Long known = SYSTEM_CLASSES.get(name);
      if (known == null) err = name + " is not a known system priority class";
      else if (known != value) err = "value of " + name + " PriorityClass must be " + known;
      else if (globalDefault) err = "globalDefault of " + name + " PriorityClass must be false";
      else err = null;
      if (err != null) {
        errs.add(Errs.forbidden(FieldPath.of("metadata", "name"),
            "priority class names with 'system-' prefix are reserved for system use only. error: " + err));
      }
    } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      errs.add(Errs.forbidden(FieldPath.of("value"), "maximum allowed value of a user defined priority is " + HIGHEST_USER_DEFINABLE_PRIORITY));
    }
    String policy = Tree.strOrNull(pc, "preemptionPolicy");
    if (policy != null) errs.addAll(PodValidation.preemptionPolicy(policy, FieldPath.of("preemptionPolicy")));
    return errs;
  }

  public static List<FieldError> priorityClassUpdate(JsonNode pc, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    if (Tree.num(pc, "value", 0) != Tree.num(old, "value", 0)) errs.add(Errs.forbidden(FieldPath.of("value"), "may not be changed in an update."));
    String policy = Tree.strOrNull(pc, "preemptionPolicy");
    if (!Objects.equals(policy, Tree.strOrNull(old, "preemptionPolicy"))) errs.add(Errs.immutable(FieldPath.of("preemptionPolicy"), policy));
    return errs;
  }

  // ---- coordination.k8s.io Lease -----------------------------------------------------------------------------------

  public static List<FieldError> lease(JsonNode lease) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(lease, "spec");
    FieldPath p = FieldPath.of("spec");
    Long duration = Tree.num(spec, "leaseDurationSeconds");
    if (duration != null && duration <= 0) errs.add(Errs.invalid(p.child("leaseDurationSeconds"), duration, "must be greater than 0"));
    Long transitions = Tree.num(spec, "leaseTransitions");
    if (transitions != null && transitions < 0) errs.add(Errs.invalid(p.child("leaseTransitions"), transitions, "must be greater than or equal to 0"));
    String strategy = Tree.strOrNull(spec, "strategy");
    if (strategy != null && !strategy.equals("OldestEmulationVersion")) {
      errs.add(Errs.notSupported(p.child("strategy"), strategy, "OldestEmulationVersion"));
    }
    return errs;
  }

  // ---- discovery.k8s.io EndpointSlice ------------------------------------------------------------------------------

  public static List<FieldError> endpointSlice(JsonNode es) {
    List<FieldError> errs = new ArrayList<>();
    String addressType = Tree.str(es, "addressType");
    if (addressType.isEmpty()) errs.add(Errs.required(FieldPath.of("addressType"), ""));
    else if (!List.of("IPv4", "IPv6", "FQDN").contains(addressType)) {
      errs.add(Errs.notSupported(FieldPath.of("addressType"), addressType, "FQDN", "IPv4", "IPv6"));
    }
    List<JsonNode> endpoints = Tree.list(es, "endpoints");
    FieldPath ep = FieldPath.of("endpoints");
    if (endpoints.size() > 1000) {
      errs.add(Errs.tooMany(ep, endpoints.size(), 1000));
    } else {
      for (int i = 0; i < endpoints.size(); i++) {
        JsonNode e = endpoints.get(i);
        FieldPath idx = ep.index(i);
        FieldPath ap = idx.child("addresses");
        List<String> addrs = Tree.strings(e, "addresses");
        if (addrs.isEmpty()) errs.add(Errs.required(ap, "must contain at least 1 address"));
        else if (addrs.size() > 100) errs.add(Errs.tooMany(ap, addrs.size(), 100));
        for (int a = 0; a < addrs.size(); a++) {
          String addr = addrs.get(a);
          switch (addressType) {
            case "IPv4", "IPv6" -> {
              byte[] ip = IpValidation.parse(addr, false);
              boolean v4 = ip != null && addr.indexOf(':') < 0;
              if (ip == null || v4 != addressType.equals("IPv4")) {
                errs.add(Errs.invalid(ap.index(a), addr, addressType.equals("IPv4")
                    ? "must be a valid IPv4 address" : "must be a valid IPv6 address"));
              } else {
                errs.addAll(ServiceValidation.nonSpecialIP(addr, ap.index(a)));
              }
            }
            case "FQDN" -> {
              for (String msg : NameValidation.isDNS1123Subdomain(addr)) errs.add(Errs.invalid(ap.index(a), addr, msg));
            }
            default -> { }
          }
        }
        String node = Tree.strOrNull(e, "nodeName");
        if (node != null) for (String msg : NameValidation.isDNS1123Subdomain(node)) errs.add(Errs.invalid(idx.child("nodeName"), node, msg));
        String hostname = Tree.strOrNull(e, "hostname");
        if (hostname != null) for (String msg : NameValidation.isDNS1123Label(hostname)) errs.add(Errs.invalid(idx.child("hostname"), hostname, msg));
        Map<String, String> topology = Tree.strMap(e, "deprecatedTopology");
        if (topology != null) {
          if (topology.size() > 16) errs.add(Errs.tooMany(idx.child("deprecatedTopology"), topology.size(), 16));
          errs.addAll(LabelSelectors.validateLabels(topology, idx.child("deprecatedTopology")));
        }
      }
    }
    List<JsonNode> ports = Tree.list(es, "ports");
    FieldPath pp = FieldPath.of("ports");
    if (ports.size() > 20000) return List.of(Errs.tooMany(pp, ports.size(), 20000));
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      FieldPath idx = pp.index(i);
      String name = Tree.str(port, "name");
      if (!name.isEmpty()) for (String msg : NameValidation.isDNS1123Label(name)) errs.add(Errs.invalid(idx.child("name"), name, msg));
      if (!names.add(name)) errs.add(Errs.duplicate(idx.child("name"), name));
      String protocol = Tree.strOrNull(port, "protocol");
      if (protocol == null) errs.add(Errs.required(idx.child("protocol"), ""));
      else if (!List.of("SCTP", "TCP", "UDP").contains(protocol)) errs.add(Errs.notSupported(idx.child("protocol"), protocol, "SCTP", "TCP", "UDP"));
      String app = Tree.strOrNull(port, "appProtocol");
      if (app != null) for (String msg : NameValidation.isQualifiedName(app)) errs.add(Errs.invalid(idx.child("appProtocol"), app, msg));
    }
    return errs;
  }

  public static List<FieldError> endpointSliceUpdate(JsonNode es, JsonNode old) {
    List<FieldError> errs = endpointSlice(es);
    String type = Tree.str(es, "addressType");
    if (!type.equals(Tree.str(old, "addressType"))) errs.add(Errs.immutable(FieldPath.of("addressType"), type));
    return errs;
  }
}
