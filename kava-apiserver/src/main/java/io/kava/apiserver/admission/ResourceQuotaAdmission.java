package io.kava.apiserver.admission;

import io.kava.api.quantity.Quantity;
import io.kava.api.quota.QuotaUsage;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.CreateAdmission;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ListOptions;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.WriteContext;
import io.kava.apiserver.registry.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's ResourceQuota admission for creates: an object whose usage ({@link QuotaUsage}) would take a quota of
 * its namespace past status.hard is refused with 403 ("exceeded quota: NAME, requested: pods=1, used: pods=2,
 * limited: pods=2"); a pod without requests or limits a quota constrains is refused ("must specify ..."). An
 * admitted object's usage is added to each quota's status.used at once with a compare-and-swap on the quota, so
 * that concurrent creates cannot overrun it; the resource quota controller later recomputes the true usage.
 */
public final class ResourceQuotaAdmission implements CreateAdmission {
  private static final ListOptions ALL = new ListOptions(null, null, 0, null, null, null);
  private final GenericStore store;

  public ResourceQuotaAdmission(GenericStore store) { this.store = store; }

  @Override
  public void admit(WriteContext ctx, ResourceDefinition def, ObjectNode object) {
    if (!def.namespaced()) return;
    String ns = object.path("metadata").path("namespace").asString("");
    ResourceDefinition quotas = store.registry().byPath("", "v1", "resourcequotas").orElse(null);
    if (quotas == null || ns.isEmpty()) return;
    List<CachedObject> inNamespace = store.list(quotas, ns, ALL).items();
    if (inNamespace.isEmpty()) return;
    String name = object.path("metadata").path("name").asString("");
    List<String> interesting = new ArrayList<>();
    for (CachedObject q : inNamespace) {
      JsonNode quota = q.object();
      String quotaName = quota.path("metadata").path("name").asString();
      Set<String> hard = names(quota.path("status").path("hard"));
      Set<String> restricted = QuotaUsage.matchingResources(def.group(), def.plural(), hard);
      if (restricted.isEmpty()) continue;
      if (def.group().isEmpty() && def.plural().equals("pods")) {
        String missing = QuotaUsage.missingPodConstraints(object, restricted);
        if (missing != null) throw forbidden(def, name, "failed quota: " + quotaName + ": " + missing);
      }
      Set<String> used = names(quota.path("status").path("used"));
      if (!used.containsAll(restricted)) {
        throw forbidden(def, name, "status unknown for quota: " + quotaName + ", resources: " + String.join(",", restricted));
      }
      interesting.add(quotaName);
    }
    if (interesting.isEmpty()) return;
    Map<String, Quantity> delta = QuotaUsage.usage(def.group(), def.plural(), object, ctx.now());
    if (delta.isEmpty()) return;
    WriteOptions opts = new WriteOptions(ctx.user(), ctx.dryRun(), "kube-apiserver", null);
    for (String quotaName : interesting) {
      if (ctx.dryRun()) {
        store.find(quotas, ns, quotaName).ifPresent(q -> charge(def, name, q, delta));
        continue;
      }
      store.guaranteedUpdate(quotas, ns, quotaName, "status", opts, current -> {
        charge(def, name, current, delta);
        return current;
      }, null);
    }
  }

  /** Adds {@code delta} (masked to the quota's hard resources) to status.used, or refuses when it would not fit. */
  static void charge(ResourceDefinition def, String name, ObjectNode quota, Map<String, Quantity> delta) {
    JsonNode hardNode = quota.path("status").path("hard");
    JsonNode usedNode = quota.path("status").path("used");
    Map<String, Quantity> requested = new TreeMap<>();
    for (Map.Entry<String, Quantity> e : delta.entrySet()) if (hardNode.has(e.getKey())) requested.put(e.getKey(), e.getValue());
    if (requested.isEmpty()) return;
    Map<String, Quantity> failedRequested = new TreeMap<>();
    Map<String, Quantity> failedUsed = new TreeMap<>();
    Map<String, Quantity> failedHard = new TreeMap<>();
    Map<String, Quantity> next = new TreeMap<>();
    for (Map.Entry<String, Quantity> e : requested.entrySet()) {
      Quantity hard = QuotaUsage.quantity(hardNode.get(e.getKey()));
      Quantity used = QuotaUsage.quantity(usedNode.get(e.getKey()));
      if (used == null) used = Quantity.ZERO;
      Quantity sum = used.add(e.getValue());
      if (hard != null && sum.compareTo(hard) > 0) {
        failedRequested.put(e.getKey(), e.getValue());
        failedUsed.put(e.getKey(), used);
        failedHard.put(e.getKey(), hard);
      }
      next.put(e.getKey(), sum);
    }
    if (!failedRequested.isEmpty()) {
      throw forbidden(def, name, "exceeded quota: " + quota.path("metadata").path("name").asString()
          + ", requested: " + QuotaUsage.format(failedRequested) + ", used: " + QuotaUsage.format(failedUsed)
          + ", limited: " + QuotaUsage.format(failedHard));
    }
    ObjectNode used = quota.withObject("status").withObject("used");
    next.forEach((k, v) -> used.put(k, v.toString()));
  }

  private static Set<String> names(JsonNode list) {
    Set<String> out = new java.util.TreeSet<>();
    if (list != null && list.isObject()) list.propertyNames().forEach(out::add);
    return out;
  }

  /** admission.NewForbidden: {@code pods "x" is forbidden: why}. */
  private static StatusException forbidden(ResourceDefinition def, String name, String why) {
    return new StatusException(403, "Forbidden", def.plural() + " \"" + name + "\" is forbidden: " + why, name, def.group(), def.plural(), List.of(), null);
  }
}
