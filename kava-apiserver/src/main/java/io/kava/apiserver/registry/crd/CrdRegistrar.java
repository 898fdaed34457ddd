package io.kava.apiserver.registry.crd;

import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.cache.ResourceCache;
import io.kava.apiserver.cache.WatchEvent;
import io.kava.apiserver.cache.WatchFilter;
import io.kava.apiserver.cache.WatchSink;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.DeleteOptions;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import io.kava.apiserver.registry.WriteOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves the custom resources of every CustomResourceDefinition (upstream's naming, establishing, finalizing
 * controllers and the CRD handler's registration, in one level-triggered loop inside the API server).
 *
 * <p>It follows the CRDs in the watch cache: each change enqueues the CRD's name; one worker reconciles a name at a
 * time from the cached state, never from the event. For a CRD it
 * <ol>
 *   <li>checks its names against the other CRDs of its group and the built-in resources: NamesAccepted
 *       ({@code NoConflicts}, or {@code PluralConflict}, {@code KindConflict}, ...) and acceptedNames;</li>
 *   <li>registers one {@link ResourceDefinition} per served version under the accepted names (so discovery and
 *       OpenAPI list them) <em>before</em> it reports Established ({@code InitialNamesAccepted}), so that a client
 *       that waited for Established finds the resource;</li>
 *   <li>when the CRD is deleted (marked, with the {@value Crds#CLEANUP_FINALIZER} finalizer), deletes its custom
 *       resources, then removes the finalizer; once the CRD is gone, the resources are unregistered.</li>
 * </ol>
 * Every server of an HA control plane runs one: registration is local, and the status writes are idempotent.
 */
public final class CrdRegistrar implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CrdRegistrar.class);

  /** Who the registrar's writes are attributed to. */
  static final String USER = "system:apiserver";
  /** How often a deleted CRD's remaining custom resources (held by finalizers) are checked again. */
  static long cleanupPollMillis = 500;
  static final long MAX_RETRY_MILLIS = 30_000;

  private final GenericStore store;
  private final ResourceRegistry registry;
  private final Clock clock;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  /** "group/version/kind" → published schema; read by OpenAPI request threads. */
  private final Map<String, JsonNode> schemas = new ConcurrentHashMap<>();
  // Touched only by the reconciling thread (start(), then the worker).
  private final Map<String, Served> served = new HashMap<>();
  private final Set<String> owned = new HashSet<>();
  private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "crd-registrar-retry");
    t.setDaemon(true);
    return t;
  });
  private ResourceDefinition crdDef;
  private ResourceCache crds;
  private ResourceCache.Registration watch;
  private Thread worker;
  private volatile boolean closed;

  /** The definitions serving one CRD and what they were built from. */
  private record Served(String fingerprint, List<ResourceDefinition> defs) {}

  public CrdRegistrar(GenericStore store, Clock clock) {
    this.store = store;
    this.registry = store.registry();
    this.clock = clock;
  }

  /**
   * Serves the CRDs already stored (before returning, so a restarted server serves their resources at once), then
   * follows changes on a worker thread.
   */
  public CrdRegistrar start() {
    crdDef = registry.byPath(Crds.GROUP, Crds.VERSION, Crds.PLURAL)
        .orElseThrow(() -> new IllegalStateException("the CustomResourceDefinition kind is not registered"));
    crds = store.cache().cache(crdDef.keyPrefix());
    List<String> initial = new ArrayList<>();
    watch = crds.watch(WatchFilter.ALL, new WatchSink() {
      @Override
      public boolean send(WatchEvent.Type type, CachedObject object) {
        enqueue(object.name());
        return !closed;
      }
    }, 0, o -> initial.add(o.name()));
    for (String name : initial) process(name);
    worker = Thread.ofVirtual().name("crd-registrar").start(this::run);
    return this;
  }

  /** The published OpenAPI schema of a custom resource kind, or null (see {@link PublishedSchema}). */
  public JsonNode publishedSchema(String group, String version, String kind) {
    return schemas.get(group + "/" + version + "/" + kind);
  }

  private void enqueue(String name) {
    if (name != null && !closed && queued.add(name)) queue.add(name);
  }

  private void enqueueLater(String name, long millis) {
    if (closed) return;
    delays.schedule(() -> enqueue(name), millis, TimeUnit.MILLISECONDS);
  }

  private void run() {
    while (!closed) {
      String name;
      try {
        name = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      queued.remove(name); // a change during the reconcile enqueues the name again
      process(name);
    }
  }

  private void process(String name) {
    try {
      reconcile(name);
      failures.remove(name);
    } catch (RuntimeException e) {
      if (closed) return; // shutting down: the store may be gone already
      int n = failures.merge(name, 1, Integer::sum);
      long delay = Math.min(MAX_RETRY_MILLIS, 100L << Math.min(n, 10));
      log.warn("reconciling CustomResourceDefinition {} failed (attempt {}), retrying in {} ms", name, n, delay, e);
      enqueueLater(name, delay);
    }
  }

  // ------------------------------------------------------------------ reconcile

  private void reconcile(String name) {
    // read what every acknowledged write (the status just written for another CRD, say) has made of the cache
    store.awaitConsistent();
    CachedObject cached = crds.get(crdDef.key(null, name));
    if (cached == null) {
      unserve(name);
      // its names are free now: CRDs that wanted them get another look (upstream requeues the group)
      for (CachedObject other : crds.all()) {
        if (!Crds.conditionTrue(other.object(), "NamesAccepted")) enqueue(other.name());
      }
      return;
    }
    JsonNode crd = cached.object();
    if (Crds.storageVersion(crd) == null) return; // never valid; nothing to serve

    NameCheck check = checkNames(name, crd);
    ObjectNode status = desiredStatus(crd, check);
    Crds.Names accepted = Crds.Names.of(status.path("acceptedNames"));
    if (established(status) && !accepted.isEmpty()) serve(name, crd, accepted);
    else unserve(name);
    if (!status.equals(crd.path("status"))) {
      updateStatus(name, s -> applyNames(s, check));
    }
    if (Crds.isDeleting(crd) && Crds.hasFinalizer(crd, Crds.CLEANUP_FINALIZER)) finalizeDeletion(name, crd);
  }

  /** The status {@code crd} should have: accepted names and the NamesAccepted and Established conditions. */
  private ObjectNode desiredStatus(JsonNode crd, NameCheck check) {
    ObjectNode status = crd.get("status") instanceof ObjectNode s ? s.deepCopy() : Json.object();
    applyNames(status, check);
    return status;
  }

  /** Sets acceptedNames and the naming conditions in {@code status} (of the current object). */
  private void applyNames(ObjectNode status, NameCheck check) {
    String now = Timestamps.formatTime(clock.instant());
    if (check.conflict == null) {
      status.set("acceptedNames", check.names.toJson());
      Crds.setCondition(status, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now);
    } else {
      if (!status.has("acceptedNames")) {
        ObjectNode empty = status.putObject("acceptedNames");
        empty.put("kind", "");
        empty.put("plural", "");
      }
      Crds.setCondition(status, "NamesAccepted", "False", check.conflict, check.message, now);
    }
    // once established, a CRD stays established: later conflicts only stop new names from being accepted
    if (!established(status)) {
      if (check.conflict == null) {
        Crds.setCondition(status, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now);
      } else {
        Crds.setCondition(status, "Established", "False", "NotAccepted", "not all names are accepted", now);
      }
    }
  }

  private static boolean established(JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if ("Established".equals(c.path("type").asString("")) && "True".equals(c.path("status").asString(""))) return true;
    }
    return false;
  }

  private void updateStatus(String name, Consumer<ObjectNode> change) {
    try {
      store.guaranteedUpdate(crdDef, null, name, "status", WriteOptions.of(USER), current -> {
        change.accept(current.withObject("status"));
        return current;
      }, null);
    } catch (StatusException e) {
      if (e.code() != 404) throw e; // gone meanwhile: the deletion event follows
    }
  }

  // ------------------------------------------------------------------ names

  /** The outcome of the naming check: the names asked for, and the first conflict (null when none). */
  private record NameCheck(Crds.Names names, String conflict, String message) {}

  /**
   * Upstream's naming controller: the plural, singular, short names, kind and list kind must not be accepted names
   * of another CRD of the group, nor names of a built-in resource of the group.
   */
  private NameCheck checkNames(String name, JsonNode crd) {
    Crds.Names wanted = Crds.specNames(crd);
    String group = Crds.group(crd);
    for (CachedObject other : crds.all()) {
      if (other.name().equals(name) || !Crds.group(other.object()).equals(group)) continue;
      NameCheck c = conflict(wanted, Crds.acceptedNames(other.object()));
      if (c == null && served.get(other.name()) instanceof Served s && !s.defs.isEmpty()) c = conflict(wanted, names(s.defs.get(0)));
      if (c != null) return c;
    }
    for (ResourceDefinition d : registry.all()) {
      if (!d.group().equals(group) || owned.contains(key(d))) continue; // resources of CRDs were checked above
      NameCheck c = conflict(wanted, names(d));
      if (c != null) return c;
    }
    return new NameCheck(wanted, null, null);
  }

  private static Crds.Names names(ResourceDefinition d) {
    return new Crds.Names(d.plural(), d.singular(), d.kind(), d.listKind(), d.shortNames(), List.of());
  }

  private static NameCheck conflict(Crds.Names wanted, Crds.Names taken) {
    if (!wanted.plural().isEmpty() && wanted.plural().equals(taken.plural())) return inUse(wanted, "PluralConflict", wanted.plural());
    if (!wanted.singular().isEmpty() && wanted.singular().equals(taken.singular())) return inUse(wanted, "SingularConflict", wanted.singular());
    for (String s : wanted.shortNames()) if (taken.shortNames().contains(s)) return inUse(wanted, "ShortNamesConflict", s);
    if (!wanted.kind().isEmpty() && wanted.kind().equals(taken.kind())) return inUse(wanted, "KindConflict", wanted.kind());
    if (!wanted.listKind().isEmpty() && wanted.listKind().equals(taken.listKind())) return inUse(wanted, "ListKindConflict", wanted.listKind());
    return null;
  }

  private static NameCheck inUse(Crds.Names wanted, String reason, String name) {
    return new NameCheck(wanted, reason, "\"" + name + "\" is already in use");
  }

  private static String key(ResourceDefinition d) { return d.group() + "/" + d.version() + "/" + d.plural(); }

  // ------------------------------------------------------------------ registration

  private void serve(String name, JsonNode crd, Crds.Names accepted) {
    String fingerprint = fingerprint(crd, accepted);
    Served current = served.get(name);
    if (current != null && current.fingerprint.equals(fingerprint)) return;
    List<ResourceDefinition> defs = CustomResources.served(crd, accepted);
    Set<String> keys = new HashSet<>();
    Set<String> schemaKeys = new HashSet<>();
    Map<String, JsonNode> versionSchemas = new HashMap<>();
    for (JsonNode v : Crds.versions(crd)) versionSchemas.put(v.path("name").asString(""), v.path("schema").get("openAPIV3Schema"));
    // schemas first: registering invalidates the OpenAPI documents, which are rebuilt from them
    for (ResourceDefinition d : defs) {
      String schemaKey = d.group() + "/" + d.version() + "/" + d.kind();
      schemas.put(schemaKey, PublishedSchema.of(versionSchemas.get(d.version())));
      schemaKeys.add(schemaKey);
      keys.add(key(d));
    }
    for (ResourceDefinition d : defs) {
      owned.add(key(d));
      registry.register(d);
    }
    if (current != null) {
      for (ResourceDefinition old : current.defs) {
        if (!keys.contains(key(old))) {
          registry.unregister(old.group(), old.version(), old.plural());
          owned.remove(key(old));
        }
        String schemaKey = old.group() + "/" + old.version() + "/" + old.kind();
        if (!schemaKeys.contains(schemaKey)) schemas.remove(schemaKey);
      }
    }
    served.put(name, new Served(fingerprint, defs));
    log.debug("serving {} in versions {}", name, defs.stream().map(ResourceDefinition::version).toList());
  }

  private void unserve(String name) {
    Served s = served.remove(name);
    if (s == null) return;
    for (ResourceDefinition d : s.defs) {
      registry.unregister(d.group(), d.version(), d.plural());
      owned.remove(key(d));
      schemas.remove(d.group() + "/" + d.version() + "/" + d.kind());
    }
    log.debug("stopped serving {}", name);
  }

  /** What the served definitions depend on. */
  private static String fingerprint(JsonNode crd, Crds.Names accepted) {
    ObjectNode f = Json.object();
    f.set("spec", crd.path("spec"));
    f.set("accepted", accepted.toJson());
    f.set("stored", crd.path("status").path("storedVersions"));
    f.put("deleting", Crds.isDeleting(crd));
    return new String(Json.bytes(f), java.nio.charset.StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ deletion

  /**
   * Upstream's CRD finalizer: Terminating/InstanceDeletionInProgress, delete every custom resource, wait until they
   * are gone (some may wait for finalizers), then Terminating/InstanceDeletionCompleted and remove the finalizer,
   * which lets the store delete the CRD.
   */
  private void finalizeDeletion(String name, JsonNode crd) {
    String now = Timestamps.formatTime(clock.instant());
    JsonNode terminating = Crds.condition(crd, "Terminating");
    if (terminating == null || !"InstanceDeletionInProgress".equals(terminating.path("reason").asString(""))) {
      updateStatus(name, s -> Crds.setCondition(s, "Terminating", "True", "InstanceDeletionInProgress",
          "CustomResource deletion is in progress", now));
    }
    ResourceDefinition storage = CustomResources.storage(crd);
    ResourceCache objects = store.cache().cache(storage.keyPrefix());
    store.awaitConsistent();
    for (CachedObject o : List.copyOf(objects.all())) {
      if (o.object().path("metadata").has("deletionTimestamp")) continue;
      try {
        store.delete(storage, o.namespace(), o.name(), DeleteOptions.DEFAULT, USER);
      } catch (StatusException e) {
        if (e.code() != 404) throw e;
      }
    }
    store.awaitConsistent();
    if (objects.size() > 0) {
      // some wait for their own finalizers: look again soon
      enqueueLater(name, cleanupPollMillis);
      return;
    }
    updateStatus(name, s -> Crds.setCondition(s, "Terminating", "True", "InstanceDeletionCompleted", "removed all instances", now));
    try {
      store.guaranteedUpdate(crdDef, null, name, "", WriteOptions.of(USER), current -> {
        JsonNode fin = current.path("metadata").path("finalizers");
        if (fin instanceof ArrayNode a) {
          for (int i = a.size() - 1; i >= 0; i--) if (Crds.CLEANUP_FINALIZER.equals(a.get(i).asString(""))) a.remove(i);
        }
        return current;
      }, null);
    } catch (StatusException e) {
      if (e.code() != 404) throw e;
    }
  }

  @Override
  public void close() {
    closed = true;
    if (watch != null) crds.unwatch(watch);
    if (worker != null) worker.interrupt();
    delays.shutdownNow();
  }
}
