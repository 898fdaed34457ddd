package io.kava.apiserver.registry.validation;

import io.kava.api.quantity.Quantity;
import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** Resource names and quantities (core/helper and the resource parts of core validation). */
final class Resources {
  private Resources() {}

  private static final Set<String> STANDARD_CONTAINER = Set.of("cpu", "memory", "ephemeral-storage");
  private static final Set<String> STANDARD = Set.of(
      "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
      "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services",
      "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims", "storage", "requests.storage",
      "services.nodeports", "services.loadbalancers");
  private static final Set<String> STANDARD_QUOTA = Set.of(
      "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.storage",
      "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services",
      "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
      "services.nodeports", "services.loadbalancers");
  private static final Set<String> INTEGER = Set.of(
      "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims",
      "services.nodeports", "services.loadbalancers");

  static boolean isHugePage(String name) { return name.startsWith("hugepages-"); }

  static boolean isNative(String name) { return !name.contains("/") || name.contains("kubernetes.io/"); }

  static boolean isExtended(String name) {
    if (isNative(name) || name.startsWith("requests.")) return false;
    return NameValidation.isQualifiedName("requests." + name).isEmpty();
  }

  static boolean isOvercommitAllowed(String name) { return isNative(name) && !isHugePage(name); }

  static boolean isInteger(String name) { return INTEGER.contains(name) || isExtended(name); }

  static boolean isStandard(String name) {
    return STANDARD.contains(name) || name.startsWith("hugepages-") || name.startsWith("requests.hugepages-");
  }

  /** validateResourceName. */
  static List<FieldError> validateResourceName(String name, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    for (String msg : NameValidation.isQualifiedName(name)) errs.add(Errs.invalid(p, name, msg));
    if (!errs.isEmpty()) return errs;
    if (!name.contains("/") && !isStandard(name)) {
      errs.add(Errs.invalid(p, name, "must be a standard resource type or fully qualified"));
    }
    return errs;
  }

  /** validateContainerResourceName. */
  static List<FieldError> validateContainerResourceName(String name, FieldPath p) {
    List<FieldError> errs = validateResourceName(name, p);
    if (!name.contains("/")) {
      if (!STANDARD_CONTAINER.contains(name) && !isHugePage(name)) {
        errs.add(Errs.invalid(p, name, "must be a standard resource for containers"));
      }
    } else if (!isNative(name) && !isExtended(name)) {
      errs.add(Errs.invalid(p, name, "doesn't follow extended resource name standard"));
    }
    return errs;
  }

  /** ValidateResourceQuotaResourceName. */
  static List<FieldError> validateQuotaResourceName(String name, FieldPath p) {
    List<FieldError> errs = validateResourceName(name, p);
    if (!name.contains("/") && !STANDARD_QUOTA.contains(name) && !isHugePage(name) && !name.startsWith("requests.hugepages-")) {
      errs.add(Errs.invalid(p, name, "must be a standard resource for quota"));
    }
    return errs;
  }

  /** A quantity at {@code p}; adds the parse error and returns null when it does not parse. */
  static Quantity quantity(JsonNode v, FieldPath p, List<FieldError> errs) {
    String err = JsonQuantity.parseError(v);
    if (err != null) {
      errs.add(Errs.invalid(p, v.isNumber() ? v.numberValue() : v.asString(), err));
      return null;
    }
    return JsonQuantity.parseOrNull(v);
  }

  /** ValidateResourceQuantityValue: non-negative, and whole for integer resources. */
  static void validateQuantityValue(String name, Quantity q, FieldPath p, List<FieldError> errs) {
    if (q.signum() < 0) errs.add(Errs.invalid(p, q.toString(), Errs.IS_NEGATIVE));
    if (isInteger(name) && q.milliValue() % 1000 != 0) errs.add(Errs.invalid(p, q.toString(), Errs.NOT_INTEGER));
  }

  /** A resource list (limits, requests, hard...) as parsed quantities in key order; bad values are reported. */
  static Map<String, Quantity> list(JsonNode node, String field, FieldPath p, List<FieldError> errs) {
    Map<String, Quantity> out = new TreeMap<>();
    JsonNode m = Tree.get(node, field);
    if (m == null || !m.isObject()) return out;
    for (Map.Entry<String, JsonNode> e : new TreeMap<>(toMap(m)).entrySet()) {
      Quantity q = quantity(e.getValue(), p.key(e.getKey()), errs);
      if (q != null) out.put(e.getKey(), q);
    }
    return out;
  }

  private static Map<String, JsonNode> toMap(JsonNode m) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : m.properties()) out.put(e.getKey(), e.getValue());
    return out;
  }

  /** ValidateResourceRequirements for a container (or pod overhead when {@code requestsPath} is null). */
  static List<FieldError> validateRequirements(JsonNode req, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    FieldPath limPath = p.child("limits");
    FieldPath reqPath = p.child("requests");
    Map<String, Quantity> limits = new TreeMap<>();
    Map<String, Quantity> requests = new TreeMap<>();
    boolean limCpuMem = false;
    boolean reqCpuMem = false;
    boolean hugePages = false;
    JsonNode lim = Tree.get(req, "limits");
    if (lim != null && lim.isObject()) {
      for (Map.Entry<String, JsonNode> e : toMap(lim).entrySet()) {
        String name = e.getKey();
        FieldPath fp = limPath.key(name);
        errs.addAll(validateContainerResourceName(name, fp));
        Quantity q = quantity(e.getValue(), fp, errs);
        if (q == null) continue;
        validateQuantityValue(name, q, fp, errs);
        limits.put(name, q);
        if (isHugePage(name)) hugePages = true;
        if (name.equals("cpu") || name.equals("memory")) limCpuMem = true;
      }
    }
    JsonNode rq = Tree.get(req, "requests");
    if (rq != null && rq.isObject()) {
      for (Map.Entry<String, JsonNode> e : toMap(rq).entrySet()) {
        String name = e.getKey();
        FieldPath fp = reqPath.key(name);
        errs.addAll(validateContainerResourceName(name, fp));
        Quantity q = quantity(e.getValue(), fp, errs);
        if (q == null) continue;
        validateQuantityValue(name, q, fp, errs);
        requests.put(name, q);
        Quantity l = limits.get(name);
        if (l != null) {
          if (q.compareTo(l) != 0 && !isOvercommitAllowed(name)) {
            errs.add(Errs.invalid(reqPath, q.toString(), "must be equal to " + name + " limit of " + l));
          } else if (q.compareTo(l) > 0) {
            errs.add(Errs.invalid(reqPath, q.toString(), "must be less than or equal to " + name + " limit of " + l));
          }
        } else if (!isOvercommitAllowed(name)) {
          errs.add(Errs.required(limPath, "Limit must be set for non overcommitable resources"));
        }
        if (isHugePage(name)) hugePages = true;
        if (name.equals("cpu") || name.equals("memory")) reqCpuMem = true;
      }
    }
    if (!limCpuMem && !reqCpuMem && hugePages) errs.add(Errs.forbidden(p, "HugePages require cpu or memory"));
    return errs;
  }
}
