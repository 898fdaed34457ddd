package io.kava.apiserver.http;

import io.kava.api.json.Json;
import io.kava.api.selector.LabelSelector;
import io.kava.api.time.Timestamps;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.DeleteOptions;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ListOptions;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.WriteOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * POST pods/{name}/eviction (upstream's EvictionREST): deletes a pod unless that would take its
 * PodDisruptionBudget below what it must keep healthy. An allowed eviction takes one from the budget's
 * status.disruptionsAllowed and records the pod in status.disruptedPods (the disruption controller drops it once the
 * deletion is seen) before deleting the pod, so that concurrent evictions cannot overdraw the budget: the status
 * write is a compare-and-swap on the budget. A refused one is 429 TooManyRequests, which kubectl drain retries.
 */
final class PodEviction {
  static final String VIOLATES_BUDGET = "Cannot evict pod as it would violate the pod's disruption budget.";
  /** Upstream's MaxDisruptedPodSize: a budget whose disruptedPods map is this full refuses more evictions. */
  static final int MAX_DISRUPTED_PODS = 2000;

  private final GenericStore store;
  private final Clock clock;

  PodEviction(GenericStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void evict(Exchange ex, ResourceDefinition pods, String ns, String podName, JsonNode eviction) {
    if (!eviction.isObject()) throw StatusException.badRequest("the body must be a policy/v1 Eviction");
    String name = eviction.path("metadata").path("name").asString("");
    if (!name.isEmpty() && !name.equals(podName)) throw StatusException.badRequest("name in URL does not match name in Eviction object");
    DeleteOptions delete = deleteOptions(eviction.path("deleteOptions"), ResourceHandler.dryRun(ex));
    ObjectNode pod = store.find(pods, ns, podName).orElseThrow(() -> StatusException.notFound("", "pods", podName));
    if (canIgnoreBudget(pod)) {
      deletePod(ex, pods, ns, podName, delete);
      return;
    }
    ResourceDefinition pdbs = store.registry().byPath("policy", "v1", "poddisruptionbudgets").orElseThrow();
    List<ObjectNode> matching = new ArrayList<>();
    java.util.Map<String, String> labels = Json.stringMap(pod.path("metadata").path("labels"));
    for (CachedObject o : store.list(pdbs, ns, new ListOptions(null, null, 0, null, null, null)).items()) {
      JsonNode sel = o.object().path("spec").path("selector");
      if (sel.isMissingNode() || sel.isNull()) continue; // policy/v1: no selector selects no pods
      if (LabelSelector.fromJson(sel).matches(labels)) matching.add(o.object());
    }
    if (matching.size() > 1) {
      throw new StatusException(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
    }
    if (matching.isEmpty()) {
      deletePod(ex, pods, ns, podName, delete);
      return;
    }
    ObjectNode pdb = matching.getFirst();
    String pdbName = pdb.path("metadata").path("name").asString();
    JsonNode status = pdb.path("status");
    // An unready pod may go when the budget is met anyway (policy IfHealthyBudget, the default) or always.
    if (!isReady(pod)) {
      String policy = pdb.path("spec").path("unhealthyPodEvictionPolicy").asString("IfHealthyBudget");
      boolean healthyBudget = status.path("currentHealthy").asInt(0) >= status.path("desiredHealthy").asInt(0)
          && status.path("desiredHealthy").asInt(0) > 0;
      if (policy.equals("AlwaysAllow") || healthyBudget) {
        deletePod(ex, pods, ns, podName, delete);
        return;
      }
    }
    WriteOptions opts = new WriteOptions(ex.user().name(), delete.dryRun(), "kube-apiserver", null);
    if (!delete.dryRun()) {
      store.guaranteedUpdate(pdbs, ns, pdbName, "status", opts, current -> {
        checkAndDecrement(current, podName);
        return current;
      }, null);
    } else {
      checkAndDecrement(pdb.deepCopy(), podName);
    }
    deletePod(ex, pods, ns, podName, delete);
  }

  /** Takes one disruption from the budget (in place) or refuses with upstream's errors. */
  void checkAndDecrement(ObjectNode pdb, String podName) {
    String pdbName = pdb.path("metadata").path("name").asString();
    JsonNode status = pdb.path("status");
    long generation = pdb.path("metadata").path("generation").asLong(0);
    if (status.path("observedGeneration").asLong(0) < generation) {
      throw tooMany("The disruption budget " + pdbName + " is still being processed by the server.");
    }
    int allowed = status.path("disruptionsAllowed").asInt(0);
    if (allowed < 0) throw StatusException.forbidden("pdb disruptions allowed is negative");
    if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
      throw StatusException.forbidden("DisruptedPods map too big - too many evictions not confirmed by PDB controller");
    }
    if (allowed == 0) {
      throw tooMany("The disruption budget " + pdbName + " needs " + status.path("desiredHealthy").asInt(0)
          + " healthy pods and has " + status.path("currentHealthy").asInt(0) + " currently");
    }
    ObjectNode s = pdb.withObject("status");
    s.put("disruptionsAllowed", allowed - 1);
    s.withObject("disruptedPods").put(podName, Timestamps.formatTime(clock.instant()));
  }

  private static StatusException tooMany(String cause) {
    return new StatusException(429, "TooManyRequests", VIOLATES_BUDGET, null, null, null,
        List.of(new StatusException.Cause("DisruptionBudget", cause, null)), null);
  }

  /** Finished, pending or already terminating pods do not count against a budget (upstream's canIgnorePDB). */
  static boolean canIgnoreBudget(JsonNode pod) {
    String phase = pod.path("status").path("phase").asString("");
    return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending") || pod.path("metadata").has("deletionTimestamp");
  }

  static boolean isReady(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asString())) return "True".equals(c.path("status").asString());
    }
    return false;
  }

  private void deletePod(Exchange ex, ResourceDefinition pods, String ns, String podName, DeleteOptions delete) {
    try {
      store.delete(pods, ns, podName, delete, ex.user().name());
    } catch (StatusException e) {
      if (e.code() != 404) throw e; // gone already: the eviction's aim is met
    }
    ex.respond(201, MediaTypes.JSON, Json.bytes(Responses.success(201, null)));
  }

  private static DeleteOptions deleteOptions(JsonNode o, boolean dryRunParam) {
    if (o == null || !o.isObject()) return new DeleteOptions(null, null, null, null, dryRunParam);
    Long grace = o.hasNonNull("gracePeriodSeconds") ? o.get("gracePeriodSeconds").asLong() : null;
    String propagation = o.hasNonNull("propagationPolicy") ? o.get("propagationPolicy").asString() : null;
    JsonNode pre = o.path("preconditions");
    boolean dryRun = dryRunParam;
    for (JsonNode v : o.path("dryRun")) {
      if (!v.asString().equals("All")) throw StatusException.badRequest("Invalid dry run value: \"" + v.asString() + "\"");
      dryRun = true;
    }
    return new DeleteOptions(grace, propagation, pre.hasNonNull("uid") ? pre.get("uid").asString() : null,
        pre.hasNonNull("resourceVersion") ? pre.get("resourceVersion").asString() : null, dryRun);
  }
}
