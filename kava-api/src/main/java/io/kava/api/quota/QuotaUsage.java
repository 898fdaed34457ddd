package io.kava.api.quota;

import io.kava.api.quantity.Quantity;
import io.kava.api.time.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * What an object counts against a ResourceQuota (upstream's quota evaluators: the object-count evaluator and the
 * pod, service and persistent-volume-claim evaluators), on objects as JSON trees so that the API server's quota
 * admission and the resource quota controller charge exactly the same.
 *
 * <pre>{@code
 * Map<String, Quantity> u = QuotaUsage.usage("", "pods", podJson, now);   // {pods=1, count/pods=1, requests.cpu=500m, ...}
 * }</pre>
 */
public final class QuotaUsage {
  /** Object counts under their legacy names (core kinds only). */
  static final Set<String> LEGACY_COUNTS = Set.of("pods", "services", "configmaps", "secrets", "persistentvolumeclaims",
      "replicationcontrollers", "resourcequotas");
  /** Resources a pod must request (or limit) explicitly when a quota constrains them (upstream's validationSet). */
  static final List<String> POD_CONSTRAINED = List.of("cpu", "limits.cpu", "limits.memory", "memory", "requests.cpu", "requests.memory");

  private QuotaUsage() {}

  /** The name of a kind's object count: count/pods, count/deployments.apps. */
  public static String countName(String group, String plural) {
    return group == null || group.isEmpty() ? "count/" + plural : "count/" + plural + "." + group;
  }

  /**
   * Everything {@code object} (of resource {@code plural} in {@code group}) uses: its object count (both names for
   * core kinds) and, for pods, services and claims, their compute, port and storage usage. A pod that no longer
   * counts (finished, or deleted and past its grace period) uses nothing.
   */
  public static Map<String, Quantity> usage(String group, String plural, JsonNode object, Instant now) {
    Map<String, Quantity> u = new TreeMap<>();
    boolean core = group == null || group.isEmpty();
    if (core && plural.equals("pods") && !podCounts(object, now)) return u;
    u.put(countName(group, plural), Quantity.of(1, Quantity.Format.DECIMAL_SI));
    if (core && LEGACY_COUNTS.contains(plural)) u.put(plural, Quantity.of(1, Quantity.Format.DECIMAL_SI));
    if (!core) return u;
    switch (plural) {
      case "pods" -> podResources(object, u);
      case "services" -> {
        String type = object.path("spec").path("type").asString("ClusterIP");
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
          u.put("services.nodeports", Quantity.of(object.path("spec").path("ports").size(), Quantity.Format.DECIMAL_SI));
        }
        if (type.equals("LoadBalancer")) u.put("services.loadbalancers", Quantity.of(1, Quantity.Format.DECIMAL_SI));
      }
      case "persistentvolumeclaims" -> {
        Quantity storage = quantity(object.path("spec").path("resources").path("requests").path("storage"));
        if (storage != null) u.put("requests.storage", storage);
      }
      default -> {}
    }
    return u;
  }

  /**
   * The resources among {@code hard} that objects of this kind are charged for (upstream's MatchingResources of the
   * kind's evaluator), whatever the particular object uses.
   */
  public static Set<String> matchingResources(String group, String plural, Set<String> hard) {
    Set<String> mine = new TreeSet<>();
    boolean core = group == null || group.isEmpty();
    mine.add(countName(group, plural));
    if (core && LEGACY_COUNTS.contains(plural)) mine.add(plural);
    if (core) {
      switch (plural) {
        case "pods" -> {
          for (String res : List.of("cpu", "memory", "ephemeral-storage")) {
            mine.add(res);
            mine.add("requests." + res);
            mine.add("limits." + res);
          }
        }
        case "services" -> mine.addAll(List.of("services.nodeports", "services.loadbalancers"));
        case "persistentvolumeclaims" -> mine.add("requests.storage");
        default -> {}
      }
    }
    mine.retainAll(hard);
    return mine;
  }

  /** Upstream's QuotaV1Pod: not finished, and not deleted past its grace period. */
  public static boolean podCounts(JsonNode pod, Instant now) {
    String phase = pod.path("status").path("phase").asString("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) return false;
    JsonNode deleted = pod.path("metadata").path("deletionTimestamp");
    if (deleted.isString() && !deleted.asString().isEmpty()) {
      long grace = pod.path("metadata").path("deletionGracePeriodSeconds").asLong(0);
      try {
        Instant at = Timestamps.parseTime(deleted.asString());
        return !at.plusSeconds(grace).isBefore(now);
      } catch (RuntimeException e) {
        return true;
      }
    }
    return true;
  }

  /**
   * requests.cpu/memory (also as cpu and memory) and limits.cpu/memory of a pod: the larger of its containers' sum
   * and its largest init container, plus its overhead (upstream's PodRequests/PodLimits).
   */
  static void podResources(JsonNode pod, Map<String, Quantity> u) {
    for (String kind : List.of("requests", "limits")) {
      for (String res : List.of("cpu", "memory", "ephemeral-storage")) {
        Quantity sum = null;
        for (JsonNode c : pod.path("spec").path("containers")) sum = add(sum, quantity(c.path("resources").path(kind).path(res)));
        Quantity initMax = null;
        for (JsonNode c : pod.path("spec").path("initContainers")) {
          Quantity q = quantity(c.path("resources").path(kind).path(res));
          if (q != null && (initMax == null || q.compareTo(initMax) > 0)) initMax = q;
        }
        Quantity total = sum == null ? initMax : initMax == null || sum.compareTo(initMax) >= 0 ? sum : initMax;
        Quantity overhead = quantity(pod.path("spec").path("overhead").path(res));
        if (total != null && overhead != null) total = total.add(overhead);
        if (total == null) continue;
        u.put(kind + "." + res, total);
        if (kind.equals("requests")) u.put(res, total);
      }
    }
  }

  /**
   * Upstream's pod Constraints: when a quota limits cpu or memory, every container must state the request (or limit)
   * for it. Null when satisfied, else "must specify limits.cpu for: a,b; requests.memory for: a".
   */
  public static String missingPodConstraints(JsonNode pod, Set<String> quotaResources) {
    Map<String, Set<String>> missing = new TreeMap<>();
    for (String res : POD_CONSTRAINED) {
      if (!quotaResources.contains(res)) continue;
      String kind = res.startsWith("limits.") ? "limits" : "requests";
      String name = res.contains(".") ? res.substring(res.indexOf('.') + 1) : res;
      for (String list : List.of("containers", "initContainers")) {
        for (JsonNode c : pod.path("spec").path(list)) {
          if (quantity(c.path("resources").path(kind).path(name)) == null) {
            missing.computeIfAbsent(res, k -> new TreeSet<>()).add(c.path("name").asString(""));
          }
        }
      }
    }
    if (missing.isEmpty()) return null;
    List<String> parts = new ArrayList<>();
    missing.forEach((res, containers) -> parts.add(res + " for: " + String.join(",", containers)));
    return "must specify " + String.join("; ", parts);
  }

  /** Upstream's PrettyPrint of a resource list: "pods=1,requests.cpu=500m", sorted by name. */
  public static String format(Map<String, Quantity> list) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Quantity> e : new TreeMap<>(list).entrySet()) {
      if (!b.isEmpty()) b.append(',');
      b.append(e.getKey()).append('=').append(e.getValue());
    }
    return b.toString();
  }

  /** A quantity field, or null when absent or unreadable (validation rejects those before they get here). */
  public static Quantity quantity(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) return null;
    return Quantity.tryParse(v.asString()).orElse(null);
  }

  private static Quantity add(Quantity a, Quantity b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.add(b);
  }
}
