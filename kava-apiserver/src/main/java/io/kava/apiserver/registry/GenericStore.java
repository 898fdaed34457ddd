package io.kava.apiserver.registry;

import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import io.kava.api.validation.FieldError;
import io.kava.apiserver.apply.FieldManager;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.cache.PendingWrite;
import io.kava.apiserver.cache.ResourceCache;
import io.kava.apiserver.cache.WatchCache;
import io.kava.apiserver.cache.WatchFilter;
import io.kava.apiserver.errors.StatusException;
import io.kava.store.CompactedException;
import io.kava.store.KeyValue;
import io.kava.store.RangeResult;
import io.kava.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic REST storage every resource goes through (upstream's registry/generic Store): create, get, list,
 * update, delete over the {@link Store}, with reads served by the {@link WatchCache}. The order of steps is fixed
 * here; everything kind-specific comes from the resource's {@link ResourceStrategy}.
 */
public final class GenericStore {
  /** How long a consistent read waits for the cache to catch up with the store. */
  static final long FRESHNESS_TIMEOUT_MS = 5_000;
  private static final int MAX_UPDATE_ATTEMPTS = 64;
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final Store store;
  private final WatchCache cache;
  private final ResourceRegistry registry;
  private final ServerServices services;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Uids uids = new Uids();
  /** Keeps metadata.managedFields on every write and does server-side apply (io.kava.apiserver.apply). */
  private volatile FieldManager fieldManager;

  public GenericStore(Store store, WatchCache cache, ResourceRegistry registry, ServerServices services, Clock clock) {
    this.store = store;
    this.cache = cache;
    this.registry = registry;
    this.services = services;
    this.clock = clock;
    this.fieldManager = FieldManager.builtIn(clock);
  }

  /** The field manager writes record ownership with; server-side apply patches are prepared with it. */
  public FieldManager fieldManager() { return fieldManager; }

  // Set while the server is wired, before it serves; read by every create.
  private volatile List<CreateAdmission> admissions = List.of();

  /** Adds a validating admission step that every create passes after validation (see {@link CreateAdmission}). */
  public void admission(CreateAdmission a) {
    List<CreateAdmission> next = new ArrayList<>(admissions);
    next.add(Objects.requireNonNull(a));
    admissions = List.copyOf(next);
  }

  /** Replaces the field manager, e.g. with one whose type resolver also knows CRD schemas. */
  public void fieldManager(FieldManager m) { fieldManager = Objects.requireNonNull(m); }

  public WatchCache cache() { return cache; }

  public ResourceRegistry registry() { return registry; }

  /** Server-side state that writes and reviews may need. */
  public ServerServices services() { return services; }

  public Clock clock() { return clock; }

  // ---------------------------------------------------------------- reads

  /** GET of one object; {@code resourceVersion} null means "most recent", "0" means "any". */
  public CachedObject get(ResourceDefinition def, String namespace, String name, String resourceVersion) {
    awaitReadable(resourceVersion);
    CachedObject o = cache.cache(def.keyPrefix()).get(def.key(namespace, name));
    if (o == null) throw StatusException.notFound(def.group(), def.plural(), name);
    return view(def, o);
  }

  /**
   * What {@link #get} answers, when it can be answered without waiting: the cache has applied every write the store
   * has acknowledged (for an unset resourceVersion; any state for "0"), the object is there and is served as stored.
   * Null otherwise (an explicit resourceVersion, a lagging cache, a converted resource, no such object): {@link #get}
   * then gives the answer, or the error, after waiting if it must. Never blocks, so an event loop may call it.
   */
  public CachedObject getIfCurrent(ResourceDefinition def, String namespace, String name, String resourceVersion) {
    boolean latest = resourceVersion == null || resourceVersion.isEmpty();
    if (!latest && !resourceVersion.equals("0")) return null;
    if (def.strategy().conversion() != null) return null;
    // The revision is read before the cache: a write acknowledged after this point may or may not be seen, as with
    // a request that arrived a moment earlier; one acknowledged before it is always seen.
    if (latest && cache.revision() < store.acknowledgedRevision()) return null;
    return cache.cache(def.keyPrefix()).get(def.key(namespace, name));
  }

  /** The cached object as {@code def} serves it (converted when the resource shares another's storage). */
  public CachedObject view(ResourceDefinition def, CachedObject o) {
    StorageConversion c = def.strategy().conversion();
    if (c == null) return o;
    ObjectNode served = c.fromStorage(o.isCompact() ? o.object() : o.object().deepCopy());
    return new CachedObject(o.key(), o.namespace(), o.name(), served, Json.bytes(served), o.revision(), o.labels(), o.fields());
  }

  /** Parses stored bytes into the served form, with resourceVersion set. */
  private static ObjectNode served(ResourceDefinition def, KeyValue kv) {
    ObjectNode o = (ObjectNode) Json.parse(kv.value());
    o.withObject("metadata").put("resourceVersion", Long.toString(kv.modRevision()));
    StorageConversion c = def.strategy().conversion();
    return c == null ? o : c.fromStorage(o);
  }

  /** The bytes to store for a served object (which is not changed). */
  private static byte[] stored(ResourceDefinition def, ObjectNode served) {
    StorageConversion c = def.strategy().conversion();
    if (c == null) return Json.bytes(served);
    ObjectNode copy = served.deepCopy();
    copy.withObject("metadata").remove("resourceVersion");
    return Json.bytes(c.toStorage(copy));
  }

  /** The object as a mutable copy, or empty. */
  public Optional<ObjectNode> find(ResourceDefinition def, String namespace, String name) {
    awaitReadable(null);
    CachedObject o = cache.cache(def.keyPrefix()).get(def.key(namespace, name));
    if (o == null) return Optional.empty();
    CachedObject v = view(def, o);
    return Optional.of(v.isCompact() ? v.object() : v.object().deepCopy());
  }

  public ListResult list(ResourceDefinition def, String namespace, ListOptions options) {
    checkFieldSelector(def, options);
    WatchFilter filter = new WatchFilter(namespace, options.labelSelector(), options.fieldSelector());
    String prefix = namespace == null || !def.namespaced() ? def.keyPrefix() : def.keyPrefix(namespace);
    String end = Store.prefixEnd(prefix);
    String start = prefix;
    long revision;
    if (options.continueToken() != null && !options.continueToken().isEmpty()) {
      ContinueToken token = ContinueToken.decode(options.continueToken());
      start = prefix + token.startAfter() + "\0";
      revision = token.revision();
      if (revision != cache.revision()) return listFromStore(def, filter, prefix, start, end, revision, options.limit());
    } else {
      if ("Exact".equals(options.resourceVersionMatch()) && options.resourceVersion() != null) {
        long exact = parseResourceVersion(options.resourceVersion());
        awaitRevision(exact);
        if (exact != cache.revision()) return listFromStore(def, filter, prefix, start, end, exact, options.limit());
      } else {
        awaitReadable(options.resourceVersion());
      }
      revision = cache.revision();
    }
    ResourceCache rc = cache.cache(def.keyPrefix());
    List<CachedObject> items = new ArrayList<>();
    long limit = options.limit();
    String lastKey = null;
    boolean more = false;
    long remaining = 0;
    boolean filtered = !filter.isTrivial();
    for (CachedObject o : rc.range(start, end)) {
      if (o.revision() > revision) {
        // Changed after the revision this page is pinned to: the cache moved on mid-list; read the store instead.
        return listFromStore(def, filter, prefix, start, end, revision, limit);
      }
      if (!filter.matches(o)) continue;
      if (limit > 0 && items.size() >= limit) {
        more = true;
        if (filtered) break;
        remaining++;
        continue;
      }
      items.add(view(def, o));
      lastKey = o.key();
    }
    String token = more ? new ContinueToken(revision, lastKey.substring(prefix.length())).encode() : null;
    return new ListResult(items, revision, token, more && !filtered ? remaining : null);
  }

  /**
   * A page at an older revision, read from the store. {@code prefix} is the list's key prefix (the resource's, or a
   * namespace's): continue tokens hold keys relative to it, so a cluster-wide list keeps the namespace in them.
   */
  private ListResult listFromStore(ResourceDefinition def, WatchFilter filter, String prefix, String start, String end, long revision,
                                   long limit) {
    List<CachedObject> items = new ArrayList<>();
    String from = start;
    boolean more = false;
    Long remaining = null;
    String lastKey = null;
    try {
      while (true) {
        long batch = limit > 0 ? Math.max(limit - items.size() + 1, 64) : 0;
        RangeResult r = store.range(from, end, revision, batch);
        int read = 0;
        for (KeyValue kv : r.kvs()) {
          CachedObject o = fromStore(def, kv);
          read++;
          if (!filter.matches(o)) continue;
          if (limit > 0 && items.size() >= limit) {
            more = true;
            // Without selectors every key counts: the range's total minus what this batch already passed over.
            if (filter.isTrivial()) remaining = r.count() - (read - 1);
            break;
          }
          items.add(o);
          lastKey = o.key();
        }
        if (more || !r.more() || r.kvs().isEmpty()) break;
        from = r.kvs().get(r.kvs().size() - 1).key() + "\0";
      }
    } catch (CompactedException e) {
      throw StatusException.gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
    }
    String token = more && lastKey != null ? new ContinueToken(revision, lastKey.substring(prefix.length())).encode() : null;
    return new ListResult(items, revision, token, token == null ? null : remaining);
  }

  private CachedObject fromStore(ResourceDefinition def, KeyValue kv) {
    ObjectNode object = served(def, kv);
    ObjectNode meta = object.withObject("metadata");
    Map<String, String> fields = new HashMap<>(def.strategy().selectableFields().apply(object));
    String name = Json.text(meta, "name");
    String namespace = Json.text(meta, "namespace");
    fields.put("metadata.name", name == null ? "" : name);
    fields.put("metadata.namespace", namespace == null ? "" : namespace);
    return new CachedObject(kv.key(), namespace, name, object, Json.bytes(object), kv.modRevision(),
        Json.stringMap(meta.get("labels")), fields);
  }

  public void checkFieldSelector(ResourceDefinition def, ListOptions options) {
    if (options.fieldSelector() == null) return;
    for (String f : options.fieldSelector().fields()) {
      if (!f.equals("metadata.name") && !f.equals("metadata.namespace") && !def.strategy().selectableFieldNames().contains(f)) {
        throw StatusException.badRequest("field label not supported: " + f);
      }
    }
  }

  /** Waits until every write acknowledged so far is visible in the cache. */
  public void awaitConsistent() { awaitRevision(store.acknowledgedRevision()); }

  private void awaitReadable(String resourceVersion) {
    if (resourceVersion == null || resourceVersion.isEmpty()) {
      awaitRevision(store.acknowledgedRevision());
    } else if (!resourceVersion.equals("0")) {
      awaitRevision(parseResourceVersion(resourceVersion));
    }
  }

  /** Waits for the cache to reach {@code rev}; a revision the store has not reached is "too large". */
  public void awaitRevision(long rev) {
    try {
      if (rev > store.currentRevision() + 0 && !cache.awaitRevision(rev, 3_000)) {
        throw new StatusException(504, "Timeout", "Too large resource version: " + rev + ", current: " + cache.revision(),
            null, null, null, List.of(new StatusException.Cause("ResourceVersionTooLarge", "Too large resource version", "")), 1);
      }
      if (!cache.awaitRevision(rev, FRESHNESS_TIMEOUT_MS)) throw StatusException.timeout("the watch cache did not catch up with the store in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StatusException.timeout("interrupted while waiting for the watch cache");
    }
  }

  public static long parseResourceVersion(String rv) {
    try {
      long v = Long.parseLong(rv);
      if (v < 0) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new StatusException(400, "BadRequest", "resourceVersion: Invalid value: \"" + rv + "\": strconv.ParseUint: parsing \"" + rv + "\": invalid syntax");
    }
  }

  // ---------------------------------------------------------------- create

  /** Creates {@code object} (already decoded and checked for kind) in {@code namespace}. */
  public ObjectNode create(ResourceDefinition def, String namespace, ObjectNode object, WriteOptions opts) {
    return create(def, namespace, object, opts, true).object();
  }

  /**
   * A create whose answer is sent as JSON: also gives the created object's JSON, made from the bytes written to the
   * store (the object is serialized once per create, not once for the store, again for the response and again in the
   * watch cache).
   */
  public Created createForResponse(ResourceDefinition def, String namespace, ObjectNode object, WriteOptions opts) {
    return create(def, namespace, object, opts, true);
  }

  /**
   * A created object and its JSON as a GET would serve it.
   *
   * @param json null when it was not made (a dry run, or a resource stored in another form than it is served)
   */
  public record Created(ObjectNode object, byte[] json) {}

  /** @param recordOwnership false when the object already carries its managedFields (a create by server-side apply) */
  private Created create(ResourceDefinition def, String namespace, ObjectNode object, WriteOptions opts, boolean recordOwnership) {
    ResourceStrategy s = def.strategy();
    ObjectNode meta = object.withObject("metadata");
    if (def.namespaced()) {
      String bodyNs = Json.text(meta, "namespace");
      if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
        throw StatusException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.put("namespace", namespace);
    } else {
      meta.remove("namespace");
    }
    String rv = Json.text(meta, "resourceVersion");
    if (rv != null && !rv.isEmpty()) throw StatusException.badRequest("resourceVersion should not be set on objects to be created");
    if (def.namespaced()) checkNamespaceAcceptsContent(namespace);
    Instant now = clock.instant();
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    meta.remove("resourceVersion");
    meta.put("uid", uids.next());
    meta.put("creationTimestamp", Timestamps.formatTime(now));
    if (s.tracksGeneration()) meta.put("generation", 1);
    else meta.remove("generation");
    removeEmpty(meta, "labels", "annotations", "finalizers", "ownerReferences");
    String generateName = Json.text(meta, "generateName");
    boolean generated = (Json.text(meta, "name") == null || Json.text(meta, "name").isEmpty()) && generateName != null && !generateName.isEmpty();
    if (generated) meta.put("name", generateName(generateName));
    WriteContext ctx = new WriteContext(opts.user(), opts.dryRun(), now, "", services);
    s.defaulter().apply(object);
    if (s.statusSubresource()) object.putObject("status"); // clients cannot set status on create
    // managedFields: the creator owns what it set (after defaults, before hooks fill in server-owned fields)
    if (recordOwnership) fieldManager.recordCreate(def, object, opts.fieldManager());
    s.prepareForCreate().apply(ctx, object, null);
    validateCreate(def, object);
    for (CreateAdmission a : admissions) a.admit(ctx, def, object);
    String name = Json.text(meta, "name");
    if (opts.dryRun()) return new Created(object, null);
    for (int attempt = 0; ; attempt++) {
      String key = def.key(namespace, name);
      PendingWrite pending = s.conversion() == null ? cache.prepareWrite(key, object) : null;
      byte[] bytes = pending != null ? pending.bytes() : stored(def, object);
      Optional<KeyValue> created = written(pending, () -> store.create(key, bytes));
      if (created.isPresent()) {
        long revision = created.get().modRevision();
        meta.put("resourceVersion", Long.toString(revision));
        return new Created(object, pending != null ? pending.bytesAt(revision) : null);
      }
      if (!generated || attempt >= 8) {
        s.afterDelete().apply(ctx, object, null);
        throw StatusException.alreadyExists(def.group(), def.plural(), name);
      }
      name = generateName(generateName);
      meta.put("name", name);
    }
  }

  private String generateName(String base) {
    // Upstream trims the base so that base + 5 random characters fits in 63 characters.
    String prefix = base.length() > 58 ? base.substring(0, 58) : base;
    StringBuilder b = new StringBuilder(prefix);
    for (int i = 0; i < 5; i++) b.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    return b.toString();
  }

  private static void removeEmpty(ObjectNode meta, String... fields) {
    for (String f : fields) {
      JsonNode v = meta.get(f);
      if (v != null && (v.isNull() || (v.isContainer() && v.isEmpty()))) meta.remove(f);
    }
  }

  private void checkNamespaceAcceptsContent(String namespace) {
    if (namespace == null || namespace.isEmpty()) throw StatusException.badRequest("the server could not find the requested resource: namespace is required");
    ResourceDefinition nsDef = registry.byPath("", "v1", "namespaces").orElseThrow();
    CachedObject ns = cache.cache(nsDef.keyPrefix()).get(nsDef.key(null, namespace));
    if (ns == null) {
      // The cache may lag a namespace created a moment ago by the same client.
      awaitRevision(store.acknowledgedRevision());
      ns = cache.cache(nsDef.keyPrefix()).get(nsDef.key(null, namespace));
    }
    if (ns == null) throw StatusException.notFound("", "namespaces", namespace);
    if (terminating(namespace, ns)) {
      throw new StatusException(403, "Forbidden", "unable to create new content in namespace " + namespace + " because it is being terminated",
          namespace, "", "namespaces", List.of(new StatusException.Cause("NamespaceTerminating",
              "namespace " + namespace + " is being terminated", "metadata.namespace")), null);
    }
  }

  /** What {@link #terminating} found for the cached object of a namespace; a new revision is a new object. */
  private record NamespaceState(CachedObject seen, boolean terminating) {}

  /** Per namespace name; bounded by clearing (a miss only costs one parse of the namespace). */
  private final java.util.concurrent.ConcurrentHashMap<String, NamespaceState> namespaceStates = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Whether the namespace is being deleted. The cache keeps namespaces as bytes, so the answer is remembered per
   * cached revision of the namespace instead of parsing it on every create in it.
   */
  private boolean terminating(String namespace, CachedObject ns) {
    NamespaceState known = namespaceStates.get(namespace);
    if (known != null && known.seen() == ns) return known.terminating();
    ObjectNode object = ns.object();
    boolean terminating = object.path("metadata").has("deletionTimestamp")
        || "Terminating".equals(object.path("status").path("phase").asString(""));
    if (namespaceStates.size() >= 4096) namespaceStates.clear();
    namespaceStates.put(namespace, new NamespaceState(ns, terminating));
    return terminating;
  }

  private void validateCreate(ResourceDefinition def, ObjectNode object) {
    List<FieldError> errors = new ArrayList<>(def.strategy().validator().validate(object));
    errors.addAll(MetadataValidation.validate(def, object.path("metadata")));
    if (!errors.isEmpty()) throw invalid(def, object, errors);
  }

  private void validateUpdate(ResourceDefinition def, String subresource, ObjectNode object, JsonNode old) {
    List<FieldError> errors = new ArrayList<>(def.strategy().validatorFor(subresource).validateUpdate(object, old));
    errors.addAll(MetadataValidation.validateUpdate(def, object.path("metadata"), old.path("metadata")));
    if (!errors.isEmpty()) throw invalid(def, object, errors);
  }

  private static StatusException invalid(ResourceDefinition def, JsonNode object, List<FieldError> errors) {
    String name = object.path("metadata").path("name").asString("");
    if (name.isEmpty()) name = object.path("metadata").path("generateName").asString("");
    return StatusException.invalid(def.group(), def.kind(), name, errors);
  }

  // ---------------------------------------------------------------- update

  /** A PUT: {@code object} replaces the stored one (of the main resource or the given subresource). */
  public UpdateResult update(ResourceDefinition def, String namespace, String name, ObjectNode object, String subresource, WriteOptions opts) {
    ObjectNode meta = object.withObject("metadata");
    String bodyName = Json.text(meta, "name");
    if (bodyName == null || bodyName.isEmpty()) {
      throw invalid(def, object, List.of(FieldError.required("metadata.name", "name is required")));
    }
    if (!bodyName.equals(name)) throw StatusException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
    if (def.namespaced()) {
      String bodyNs = Json.text(meta, "namespace");
      if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
        throw StatusException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.put("namespace", namespace);
    } else {
      meta.remove("namespace");
    }
    String expectedRv = Json.text(meta, "resourceVersion");
    boolean conditional = expectedRv != null && !expectedRv.isEmpty();
    long expected = conditional ? parseResourceVersion(expectedRv) : 0;
    return guaranteedUpdate(def, namespace, name, subresource, opts, current -> {
      if (current == null) return null;
      if (conditional && expected != currentRevision(current)) throw StatusException.conflict(def.group(), def.plural(), name);
      return object.deepCopy();
    }, def.strategy().allowCreateOnUpdate() && subresource.isEmpty() ? object : null);
  }

  /**
   * Result of an update: the stored object and whether it was created by the update.
   *
   * @param json the object's JSON as a GET would serve it, spliced from the bytes written to the store; null when not
   *             made (nothing written, a dry run, a resource stored in another form than it is served)
   */
  public record UpdateResult(ObjectNode object, boolean created, byte[] json) {
    public UpdateResult(ObjectNode object, boolean created) { this(object, created, null); }
  }

  /**
   * Read-modify-write with retries on conflict (upstream's GuaranteedUpdate). {@code mutation} gets a copy of the
   * current object (null when absent) and returns the desired object (the full object the client means to store);
   * the framework then applies the strategy (status/spec preservation, defaults, generation, validation).
   *
   * @param createIfMissing the object to create when none exists (create-on-update), or null for 404
   */
  public UpdateResult guaranteedUpdate(ResourceDefinition def, String namespace, String name, String subresource, WriteOptions opts,
                                       UnaryOperator<ObjectNode> mutation, ObjectNode createIfMissing) {
    return guaranteedUpdate(def, namespace, name, subresource, opts, mutation, createIfMissing, false);
  }

  /**
   * {@link #guaranteedUpdate(ResourceDefinition, String, String, String, WriteOptions, UnaryOperator, ObjectNode)}
   * for a mutation that sets metadata.managedFields itself.
   *
   * @param applied true for server-side apply: the mutation (and createIfMissing) carry their Apply entry, so no
   *                Update entry is recorded for the write
   */
  public UpdateResult guaranteedUpdate(ResourceDefinition def, String namespace, String name, String subresource, WriteOptions opts,
                                       UnaryOperator<ObjectNode> mutation, ObjectNode createIfMissing, boolean applied) {
    String key = def.key(namespace, name);
    // The first attempt starts from the watch cache's copy (upstream's Cacher hands its cached object to
    // GuaranteedUpdate the same way): a store read per write spared, e.g. for every node Lease renewal. The write is
    // conditional on that copy's revision, so a stale copy costs a retry from the store, never a lost update; an
    // outcome that a stale copy could explain (an error, a no-op) is confirmed from the store before it is returned.
    boolean fromCache = !opts.dryRun();
    for (int attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      Current cur = fromCache ? cached(def, key) : null;
      fromCache = false;
      if (cur == null) {
        Optional<KeyValue> currentKv = store.get(key);
        if (currentKv.isEmpty()) {
          if (createIfMissing != null) {
            ObjectNode fresh = createIfMissing.deepCopy();
            fresh.withObject("metadata").remove("resourceVersion");
            try {
              Created c = create(def, namespace, fresh, opts, !applied);
              return new UpdateResult(c.object(), true, c.json());
            } catch (StatusException e) {
              if (e.code() == 409 && "AlreadyExists".equals(e.reason())) continue;
              throw e;
            }
          }
          throw StatusException.notFound(def.group(), def.plural(), name);
        }
        KeyValue kv = currentKv.get();
        cur = new Current(served(def, kv), kv.modRevision(), false);
      }
      ObjectNode current = cur.object();
      ObjectNode updated;
      try {
        ObjectNode desired = mutation.apply(current.deepCopy());
        if (desired == null) throw StatusException.notFound(def.group(), def.plural(), name);
        updated = prepareUpdate(def, desired, current, subresource, opts, !applied);
      } catch (RuntimeException e) {
        if (cur.fromCache() && !isStoredRevision(key, cur.modRevision())) continue; // judged on a stale copy: again
        throw e;
      }
      ObjectNode updatedMeta = updated.withObject("metadata");
      updatedMeta.remove("resourceVersion");
      current.withObject("metadata").remove("resourceVersion");
      if (updated.equals(current)) {
        if (cur.fromCache()) continue; // nothing to write against a copy that may be stale: again, from the store
        // Nothing changed: upstream skips the write and returns the stored object with its revision.
        updatedMeta.put("resourceVersion", Long.toString(cur.modRevision()));
        return new UpdateResult(updated, false);
      }
      if (shouldDeleteDuringUpdate(updated, current) && !def.strategy().finalizationPending().test(updated)) {
        if (opts.dryRun()) return new UpdateResult(updated, false);
        Optional<Long> rev = store.delete(key, cur.modRevision());
        if (rev.isEmpty()) continue;
        def.strategy().afterDelete().apply(new WriteContext(opts.user(), false, clock.instant(), subresource, services), updated, current);
        updatedMeta.put("resourceVersion", Long.toString(rev.get()));
        return new UpdateResult(updated, false);
      }
      Written w = writeOver(def, key, cur.modRevision(), updated, updatedMeta, opts.dryRun());
      if (w != null) return new UpdateResult(updated, false, w.json());
    }
    throw StatusException.conflict(def.group(), def.plural(), name, "too many concurrent updates; try again");
  }

  /** The object an update attempt starts from (served form, resourceVersion set) and its revision. */
  private record Current(ObjectNode object, long modRevision, boolean fromCache) {}

  /** The watch cache's copy of {@code key} as a fresh tree; null when it has none or the resource is converted. */
  private Current cached(ResourceDefinition def, String key) {
    if (def.strategy().conversion() != null) return null;
    CachedObject o = cache.cache(def.keyPrefix()).get(key);
    if (o == null) return null;
    return new Current(o.isCompact() ? o.object() : o.object().deepCopy(), o.revision(), true);
  }

  private boolean isStoredRevision(String key, long modRevision) {
    return store.get(key).map(kv -> kv.modRevision() == modRevision).orElse(false);
  }

  private static long currentRevision(ObjectNode current) {
    return Long.parseLong(current.path("metadata").path("resourceVersion").asString("0"));
  }

  /** The update half of upstream's BeforeUpdate: fixed ordering, kind rules from the strategy. */
  private ObjectNode prepareUpdate(ResourceDefinition def, ObjectNode desired, ObjectNode current, String subresource, WriteOptions opts,
                                   boolean recordOwnership) {
    ResourceStrategy s = def.strategy();
    ObjectNode updated;
    if (subresource.equals("status")) {
      // /status writes change status (and metadata labels/annotations), nothing else.
      updated = current.deepCopy();
      JsonNode status = desired.get("status");
      if (status == null) updated.remove("status");
      else updated.set("status", status);
      ObjectNode um = updated.withObject("metadata");
      JsonNode dm = desired.path("metadata");
      for (String f : List.of("labels", "annotations")) {
        if (dm.has(f)) um.set(f, dm.get(f));
        else um.remove(f);
      }
      // server-side apply to /status computed the object's managedFields itself
      if (!recordOwnership) {
        if (dm.has("managedFields")) um.set("managedFields", dm.get("managedFields"));
        else um.remove("managedFields");
      }
    } else if (subresource.equals("binding") || subresource.equals("finalize")) {
      // Internal writes (pod binding, namespace finalize) whose mutation already limited what changes.
      updated = desired;
    } else {
      updated = desired;
      if (s.statusSubresource()) {
        JsonNode oldStatus = current.get("status");
        if (oldStatus == null) updated.remove("status");
        else updated.set("status", oldStatus.deepCopy());
      }
    }
    ObjectNode meta = updated.withObject("metadata");
    JsonNode oldMeta = current.path("metadata");
    // An unconditional update is validated as if it named the current version.
    if (meta.path("resourceVersion").asString("").isEmpty()) meta.set("resourceVersion", oldMeta.get("resourceVersion"));
    // Fields clients cannot change through an update.
    if (!meta.has("uid") || meta.path("uid").asString("").isEmpty()) meta.set("uid", oldMeta.get("uid"));
    meta.set("creationTimestamp", oldMeta.get("creationTimestamp"));
    copyOrRemove(meta, oldMeta, "deletionTimestamp");
    copyOrRemove(meta, oldMeta, "deletionGracePeriodSeconds");
    copyOrRemove(meta, oldMeta, "generation");
    removeEmpty(meta, "labels", "annotations", "finalizers", "ownerReferences");
    if (def.namespaced()) meta.set("namespace", oldMeta.get("namespace"));
    WriteContext ctx = new WriteContext(opts.user(), opts.dryRun(), clock.instant(), subresource, services);
    s.defaulter().apply(updated);
    s.prepareForUpdate().apply(ctx, updated, current);
    boolean specWrite = subresource.isEmpty() || subresource.equals("scale");
    if (s.tracksGeneration() && specWrite && specChanged(updated, current)) {
      meta.put("generation", oldMeta.path("generation").asLong(0) + 1);
    }
    // managedFields: the writer owns what it changed; before validation, which checks what clients sent in them
    if (recordOwnership) fieldManager.recordUpdate(def, current, updated, subresource, opts.fieldManager());
    validateUpdate(def, subresource, updated, current);
    return updated;
  }

  private static boolean specChanged(ObjectNode updated, ObjectNode current) {
    for (Map.Entry<String, JsonNode> e : updated.properties()) {
      String f = e.getKey();
      if (f.equals("metadata") || f.equals("status") || f.equals("kind") || f.equals("apiVersion")) continue;
      if (!Objects.equals(e.getValue(), current.get(f))) return true;
    }
    for (String f : current.propertyNames()) {
      if (f.equals("metadata") || f.equals("status") || f.equals("kind") || f.equals("apiVersion")) continue;
      if (!updated.has(f)) return true;
    }
    return false;
  }

  private static void copyOrRemove(ObjectNode meta, JsonNode oldMeta, String field) {
    JsonNode v = oldMeta.get(field);
    if (v == null) meta.remove(field);
    else meta.set(field, v.deepCopy());
  }

  /** Upstream's ShouldDeleteDuringUpdate: the last finalizer went away from an object deleted without grace. */
  private static boolean shouldDeleteDuringUpdate(ObjectNode updated, ObjectNode current) {
    JsonNode oldMeta = current.path("metadata");
    JsonNode fin = updated.path("metadata").path("finalizers");
    return oldMeta.has("deletionTimestamp") && (fin.isMissingNode() || fin.isEmpty())
        && oldMeta.path("deletionGracePeriodSeconds").asLong(-1) == 0;
  }

  // ---------------------------------------------------------------- delete

  public DeleteResult delete(ResourceDefinition def, String namespace, String name, DeleteOptions options, String user) {
    String key = def.key(namespace, name);
    for (int attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      Optional<KeyValue> currentKv = store.get(key);
      if (currentKv.isEmpty()) throw StatusException.notFound(def.group(), def.plural(), name);
      KeyValue kv = currentKv.get();
      ObjectNode current = served(def, kv);
      ObjectNode meta = current.withObject("metadata");
      checkPreconditions(def, name, meta, options);
      Instant now = clock.instant();
      long grace = def.strategy().gracefulDeletion().gracePeriodSeconds(current, options.gracePeriodSeconds());
      if (grace < 0) grace = 0;
      ArrayNode finalizers = meta.has("finalizers") && meta.get("finalizers").isArray() ? (ArrayNode) meta.get("finalizers") : null;
      ObjectNode updated = current.deepCopy();
      ObjectNode um = updated.withObject("metadata");
      boolean changedFinalizers = addPropagationFinalizer(um, options.propagationPolicy());
      ArrayNode newFinalizers = um.has("finalizers") ? (ArrayNode) um.get("finalizers") : null;
      boolean hasFinalizers = newFinalizers != null && !newFinalizers.isEmpty() || def.strategy().finalizationPending().test(current);
      boolean alreadyDeleting = meta.has("deletionTimestamp");
      if (alreadyDeleting) {
        long existingGrace = meta.path("deletionGracePeriodSeconds").asLong(0);
        boolean shorten = grace < existingGrace;
        if (!hasFinalizers && (grace == 0)) {
          return deleteNow(def, key, kv, current, options, user);
        }
        if (!shorten && !changedFinalizers) return new DeleteResult(current, false);
        if (shorten) {
          um.put("deletionTimestamp", Timestamps.formatTime(now.plusSeconds(grace)));
          um.put("deletionGracePeriodSeconds", grace);
        }
      } else {
        if (!hasFinalizers && grace == 0) return deleteNow(def, key, kv, current, options, user);
        um.put("deletionTimestamp", Timestamps.formatTime(now.plusSeconds(grace)));
        um.put("deletionGracePeriodSeconds", grace);
        if (um.has("generation")) um.put("generation", um.path("generation").asLong() + 1);
        def.strategy().markedForDeletion().apply(new WriteContext(user, options.dryRun(), now, "", services), updated, current);
      }
      if (finalizers == null && newFinalizers != null && newFinalizers.isEmpty()) um.remove("finalizers");
      um.remove("resourceVersion");
      if (writeOver(def, key, kv.modRevision(), updated, um, options.dryRun()) != null) return new DeleteResult(updated, false);
    }
    throw StatusException.conflict(def.group(), def.plural(), name, "too many concurrent updates; try again");
  }

  /** A write over a revision that happened; {@code json} as in {@link UpdateResult}. */
  private record Written(byte[] json) {}

  /**
   * Writes {@code updated} over {@code modRevision} and stamps the new resourceVersion into {@code meta} (a
   * dry run stamps the current one and writes nothing); null when another write came first, so the caller retries.
   */
  private Written writeOver(ResourceDefinition def, String key, long modRevision, ObjectNode updated, ObjectNode meta, boolean dryRun) {
    if (dryRun) {
      meta.put("resourceVersion", Long.toString(modRevision));
      return new Written(null);
    }
    PendingWrite pending = def.strategy().conversion() == null ? cache.prepareWrite(key, updated) : null;
    byte[] bytes = pending != null ? pending.bytes() : stored(def, updated);
    Optional<KeyValue> written = written(pending, () -> store.update(key, bytes, modRevision));
    if (written.isEmpty()) return null;
    long revision = written.get().modRevision();
    meta.put("resourceVersion", Long.toString(revision));
    return new Written(pending != null ? pending.bytesAt(revision) : null);
  }

  /** Runs a store write of {@code pending}'s bytes; the cache forgets them when it does not happen. */
  private Optional<KeyValue> written(PendingWrite pending, Supplier<Optional<KeyValue>> write) {
    Optional<KeyValue> result;
    try {
      result = write.get();
    } catch (RuntimeException e) {
      if (pending != null) cache.abandon(pending);
      throw e;
    }
    if (result.isEmpty() && pending != null) cache.abandon(pending);
    return result;
  }

  private DeleteResult deleteNow(ResourceDefinition def, String key, KeyValue kv, ObjectNode current, DeleteOptions options, String user) {
    if (options.dryRun()) return new DeleteResult(current, true);
    Optional<Long> rev = store.delete(key, kv.modRevision());
    if (rev.isEmpty()) return delete(def, nsOf(current), current.path("metadata").path("name").asString(), options, user);
    def.strategy().afterDelete().apply(new WriteContext(user, false, clock.instant(), "", services), current, current);
    return new DeleteResult(current, true);
  }

  private static String nsOf(JsonNode o) {
    String ns = o.path("metadata").path("namespace").asString("");
    return ns.isEmpty() ? null : ns;
  }

  private static boolean addPropagationFinalizer(ObjectNode meta, String policy) {
    if (policy == null) return false;
    String wanted = switch (policy) {
      case "Orphan" -> "orphan";
      case "Foreground" -> "foregroundDeletion";
      case "Background" -> null;
      default -> throw StatusException.invalidDeleteOptions(policy);
    };
    ArrayNode fin = meta.withArray("finalizers");
    boolean changed = false;
    // One propagation policy at a time, as upstream: asking for one removes the other.
    for (int i = fin.size() - 1; i >= 0; i--) {
      String f = fin.get(i).asString();
      if ((f.equals("orphan") || f.equals("foregroundDeletion")) && !f.equals(wanted)) {
        fin.remove(i);
        changed = true;
      }
    }
    if (wanted != null) {
      boolean present = false;
      for (JsonNode f : fin) present |= f.asString().equals(wanted);
      if (!present) {
        fin.add(wanted);
        changed = true;
      }
    }
    return changed;
  }

  private static void checkPreconditions(ResourceDefinition def, String name, JsonNode meta, DeleteOptions options) {
    String uid = meta.path("uid").asString("");
    if (options.preconditionUid() != null && !options.preconditionUid().equals(uid)) {
      throw StatusException.conflict(def.group(), def.plural(), name,
          "Precondition failed: UID in precondition: " + options.preconditionUid() + ", UID in object meta: " + uid);
    }
    String rv = meta.path("resourceVersion").asString("");
    if (options.preconditionResourceVersion() != null && !options.preconditionResourceVersion().equals(rv)) {
      throw StatusException.conflict(def.group(), def.plural(), name,
          "Precondition failed: ResourceVersion in precondition: " + options.preconditionResourceVersion() + ", ResourceVersion in object meta: " + rv);
    }
  }

  /** DELETE on a collection: deletes every object the options select, returning the affected objects. */
  public List<ObjectNode> deleteCollection(ResourceDefinition def, String namespace, ListOptions listOptions, DeleteOptions options, String user) {
    ListResult page = list(def, namespace, new ListOptions(listOptions.labelSelector(), listOptions.fieldSelector(), 0, null, null, null));
    List<ObjectNode> deleted = new ArrayList<>();
    for (CachedObject o : page.items()) {
      try {
        deleted.add(delete(def, o.namespace(), o.name(), options, user).object());
      } catch (StatusException e) {
        if (e.code() != 404) throw e;
      }
    }
    return deleted;
  }

  // ---------------------------------------------------------------- continue tokens

  /** Opaque to clients: the revision the list is pinned to and the key (relative to the prefix) to resume after. */
  record ContinueToken(long revision, String startAfter) {
    String encode() {
      ObjectNode n = Json.object();
      n.put("v", "meta.k8s.io/v1");
      n.put("rv", revision);
      n.put("start", startAfter);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(n));
    }

    static ContinueToken decode(String token) {
      try {
        JsonNode n = Json.parse(Base64.getUrlDecoder().decode(token.trim()));
        long rv = n.path("rv").asLong(-1);
        String start = n.path("start").asString(null);
        if (rv <= 0 || start == null) throw new IllegalArgumentException();
        return new ContinueToken(rv, start);
      } catch (RuntimeException e) {
        throw StatusException.badRequest("continue key is not valid: " + new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
      }
    }
  }
}
