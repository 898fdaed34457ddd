package io.kava.controllers.namespace;

import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import io.kava.client.ApiException;
import io.kava.client.RawApi;
import io.kava.controllers.runtime.ApiDiscovery;
import io.kava.controllers.runtime.ApiResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Empties a terminating namespace and then releases it (upstream's NamespacedResourcesDeleter): deletes every
 * namespaced resource found through discovery, records progress in the namespace's conditions, and once nothing is
 * left removes the "kubernetes" finalizer through /finalize, after which the API server deletes the namespace.
 *
 * <p>Objects with finalizers, and pods in their grace period, keep the namespace: it is looked at again later.
 */
final class NamespacedContentDeleter {
  static final String FINALIZER = "kubernetes";
  /** Upstream's wait for remaining objects that carry finalizers. */
  static final long FINALIZER_ESTIMATE_SECONDS = 15;

  private final RawApi api;
  private final Supplier<ApiDiscovery.Snapshot> discovery;
  private final Clock clock;

  NamespacedContentDeleter(RawApi api, Supplier<ApiDiscovery.Snapshot> discovery, Clock clock) {
    this.api = api;
    this.discovery = discovery;
    this.clock = clock;
  }

  /** The outcome of one pass: done, or how long to wait before the next one. */
  sealed interface Progress {
    record Finished() implements Progress {}

    record Waiting(Duration estimate) implements Progress {}
  }

  /**
   * One pass over the namespace {@code name}; idempotent.
   *
   * @throws RuntimeException when discovery or some deletion failed (the caller retries with backoff)
   */
  Progress delete(String name) {
    String path = "/api/v1/namespaces/" + name;
    JsonNode ns = api.get(path);
    if (ns == null || !ns.path("metadata").has("deletionTimestamp")) return new Progress.Finished();
    if (!finalizers(ns).contains(FINALIZER)) return new Progress.Finished();

    DeletionOutcome outcome = deleteAllContent(name, deletedAt(ns));
    ns = updateConditions(path, ns, outcome);
    if (ns == null) return new Progress.Finished();
    if (outcome.failed()) {
      throw new IllegalStateException("namespace " + name + ": " + DeletionOutcome.describe(outcome.discoveryFailures())
          + (outcome.discoveryFailures().isEmpty() ? "" : "; ") + DeletionOutcome.describe(outcome.deletionFailures()));
    }
    if (outcome.contentRemains()) {
      if (outcome.estimateSeconds() == 0) {
        // Everything deletable was deleted and nothing explains what is left: retry soon (with backoff).
        throw new IllegalStateException("unexpected items still remain in namespace " + name + ": " + outcome.remaining());
      }
      return new Progress.Waiting(Duration.ofSeconds(outcome.estimateSeconds()));
    }
    finalizeNamespace(path, ns);
    return new Progress.Finished();
  }

  private DeletionOutcome deleteAllContent(String namespace, Instant deletedAt) {
    ApiDiscovery.Snapshot found = discovery.get();
    SortedMap<String, String> failures = new TreeMap<>();
    SortedMap<String, Integer> remaining = new TreeMap<>();
    SortedMap<String, Integer> finalizers = new TreeMap<>();
    long estimate = 0;
    for (ApiResource r : found.preferred()) {
      if (!r.namespaced() || !r.supports("delete")) continue;
      try {
        estimate = Math.max(estimate, deleteAll(r, namespace, deletedAt, remaining, finalizers));
      } catch (RuntimeException e) {
        failures.put(r.groupResource(), e.getMessage());
      }
    }
    return new DeletionOutcome(new TreeMap<>(found.failures()), failures, remaining, finalizers, estimate);
  }

  /** Deletes the resource's objects in the namespace and counts what is left; returns the wait estimate. */
  private long deleteAll(ApiResource r, String namespace, Instant deletedAt, SortedMap<String, Integer> remaining,
                         SortedMap<String, Integer> finalizers) {
    long estimate = isPods(r) ? podGraceEstimate(namespace, deletedAt) : 0;
    // Background: the namespace must not wait for dependents of its content, the garbage collector takes them.
    ObjectNode background = Json.object().put("propagationPolicy", "Background");
    boolean collectionDeleted = false;
    if (r.supports("deletecollection")) {
      try {
        api.delete(r.path(namespace, null), background);
        collectionDeleted = true;
      } catch (ApiException e) {
        if (e.code() != 405) throw e;
      }
    }
    if (!r.supports("list")) return estimate;
    JsonNode items = api.listMetadata(r.path(namespace, null)).path("items");
    if (!collectionDeleted && !items.isEmpty()) {
      for (JsonNode item : items) api.delete(r.path(namespace, item.path("metadata").path("name").asString()), background);
      items = api.listMetadata(r.path(namespace, null)).path("items");
    }
    if (items.isEmpty()) return 0;
    remaining.merge(r.groupResource(), items.size(), Integer::sum);
    boolean anyFinalizer = false;
    for (JsonNode item : items) {
      for (JsonNode f : item.path("metadata").path("finalizers")) {
        finalizers.merge(f.asString(), 1, Integer::sum);
        anyFinalizer = true;
      }
    }
    if (estimate == 0 && anyFinalizer) estimate = FINALIZER_ESTIMATE_SECONDS;
    return estimate;
  }

  private static boolean isPods(ApiResource r) { return r.group().isEmpty() && r.plural().equals("pods"); }

  /** Upstream's estimate for pods: the longest grace period still running, counted from the namespace deletion. */
  private long podGraceEstimate(String namespace, Instant deletedAt) {
    JsonNode pods = api.get("/api/v1/namespaces/" + namespace + "/pods");
    if (pods == null) return 0;
    long estimate = 0;
    Instant now = clock.instant();
    for (JsonNode pod : pods.path("items")) {
      String phase = pod.path("status").path("phase").asString("");
      if (phase.equals("Succeeded") || phase.equals("Failed")) continue;
      JsonNode grace = pod.path("spec").path("terminationGracePeriodSeconds");
      if (!grace.isNumber()) continue;
      long left = Duration.between(now, deletedAt.plusSeconds(grace.asLong())).toSeconds();
      estimate = Math.max(estimate, Math.max(0, left));
    }
    return estimate;
  }

  /** Writes the conditions when they changed; returns the namespace as stored (null if it vanished). */
  private JsonNode updateConditions(String path, JsonNode ns, DeletionOutcome outcome) {
    JsonNode old = ns.path("status").path("conditions");
    ArrayNode conditions = NamespaceConditions.merge(old, outcome, clock.instant());
    if (conditions.equals(old)) return ns;
    ObjectNode updated = (ObjectNode) ns.deepCopy();
    updated.withObject("status").set("conditions", conditions);
    try {
      return api.put(path + "/status", updated);
    } catch (ApiException e) {
      if (e.isNotFound()) return null;
      throw e; // a conflict: the namespace changed under us, the retry starts from a fresh read
    }
  }

  private void finalizeNamespace(String path, JsonNode ns) {
    ObjectNode updated = (ObjectNode) ns.deepCopy();
    ArrayNode keep = updated.withObject("spec").putArray("finalizers");
    for (String f : finalizers(ns)) if (!f.equals(FINALIZER)) keep.add(f);
    try {
      api.put(path + "/finalize", updated);
    } catch (ApiException e) {
      if (!e.isNotFound()) throw e;
    }
  }

  private static List<String> finalizers(JsonNode ns) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : ns.path("spec").path("finalizers")) out.add(f.asString());
    return out;
  }

  private Instant deletedAt(JsonNode ns) {
    try {
      return Timestamps.parseTime(ns.path("metadata").path("deletionTimestamp").asString());
    } catch (RuntimeException e) {
      return clock.instant();
    }
  }
}
