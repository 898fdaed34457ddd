package io.kava.apiserver.cache;

import io.kava.api.json.Json;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import io.kava.store.Event;
import io.kava.store.KeyValue;
import io.kava.store.RangeResult;
import io.kava.store.Store;
import io.kava.store.Watch;
import io.kava.store.WatchListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API server's in-memory view of the store: one store watch over the whole keyspace, demultiplexed by
 * storage prefix into {@link ResourceCache}s. Reads and watches are served from here. The cache keeps each object's
 * bytes with its resourceVersion and its selectable fields ({@link CachedObject#compact}), made once per change
 * whatever the number of readers and watchers: for a write prepared by {@link #prepareWrite} by splicing the
 * revision into the writer's bytes, for any other change by parsing the stored bytes and serializing them again.
 */
public final class WatchCache implements WatchListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchCache.class);

  private final Store store;
  private final ResourceRegistry registry;
  private final int historyPerResource;
  private final Map<String, ResourceCache> caches = new ConcurrentHashMap<>();
  private final ReentrantLock revisionLock = new ReentrantLock();
  private final Condition revisionAdvanced = revisionLock.newCondition();
  private volatile long revision;
  private volatile long startRevision;
  private Watch watch;
  // Writes about to be stored, by their stored byte array: arrays hash and compare by identity, and the store hands
  // the array it was given back in the write's event.
  private final Map<byte[], PendingWrite> pendingWrites = new ConcurrentHashMap<>();
  private final AtomicLong parsedChanges = new AtomicLong();
  // False once the store's watch has ended: no event will take a prepared write out of pendingWrites any more.
  private volatile boolean following = true;
  // Delivery thread only: when prepared writes whose event never matched them were last dropped.
  private long lastPrune = System.nanoTime();

  public WatchCache(Store store, ResourceRegistry registry, int historyPerResource) {
    this.store = store;
    this.registry = registry;
    this.historyPerResource = historyPerResource;
  }

  /** Loads everything at the store's current revision and starts following its changes. */
  public void start() {
    RangeResult all = store.range("/", Store.prefixEnd("/"), 0, 0);
    startRevision = all.revision();
    for (KeyValue kv : all.kvs()) {
      CachedObject o = toCached(kv.key(), kv.value(), kv.modRevision());
      if (o != null) cacheFor(kv.key()).load(o);
    }
    revision = all.revision();
    watch = store.watch("/", Store.prefixEnd("/"), all.revision() + 1, this);
    log.debug("watch cache loaded {} objects at revision {}", all.kvs().size(), all.revision());
  }

  /** The revision up to which every change has been applied. */
  public long revision() { return revision; }

  /** The cache for a storage prefix such as {@code /apps/deployments/}; created empty on first use. */
  public ResourceCache cache(String prefix) {
    return caches.computeIfAbsent(prefix, p -> new ResourceCache(p, historyPerResource, startRevision));
  }

  private ResourceCache cacheFor(String key) {
    int second = key.indexOf('/', 1);
    int third = key.indexOf('/', second + 1);
    return cache(key.substring(0, third + 1));
  }

  /** Blocks until the cache has applied every change up to {@code rev}; false on timeout. */
  public boolean awaitRevision(long rev, long timeoutMillis) throws InterruptedException {
    if (revision >= rev) return true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    revisionLock.lock();
    try {
      while (revision < rev) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        revisionAdvanced.awaitNanos(left);
      }
      return true;
    } finally {
      revisionLock.unlock();
    }
  }

  /** Waits until every write the store acknowledged before this call is visible here (a consistent read). */
  public boolean awaitFresh(long timeoutMillis) throws InterruptedException {
    return awaitRevision(store.acknowledgedRevision(), timeoutMillis);
  }

  /**
   * Serializes {@code object} (the stored form, which the caller no longer changes before the write) for a write of
   * {@code key}; the caller stores exactly {@link PendingWrite#bytes()}, and calls {@link #abandon} when that write
   * does not happen (a conflict, an error). When the store reports the write, its cache entry is made from these
   * bytes and the fields read here. An object whose metadata already has a resourceVersion is cached the slow way.
   */
  public PendingWrite prepareWrite(String key, ObjectNode object) {
    PendingWrite w = new PendingWrite(key, SerializedObject.of(object), cachedFields(key, object));
    if (w.spliceable() && following) pendingWrites.put(w.bytes(), w);
    return w;
  }

  /**
   * A prepared write left this long is dropped: its event came with other bytes than the writer's (the store read it
   * back from its history for a watch that fell behind), or it never came. Either way the cache parsed that change;
   * dropping an entry costs a parse at most, never correctness.
   */
  static final long PENDING_WRITE_TTL_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** Forgets a prepared write that was not stored. */
  public void abandon(PendingWrite w) { pendingWrites.remove(w.bytes(), w); }

  /** How many changes the cache made its entry for by parsing the stored bytes (not prepared by their writer). */
  public long parsedChanges() { return parsedChanges.get(); }

  /** Prepared writes not yet seen in the store's events (nor abandoned). */
  public int pendingWrites() { return pendingWrites.size(); }

  @Override
  public void onEvents(List<Event> events) {
    long last = revision;
    for (Event e : events) {
      try {
        apply(e);
      } catch (RuntimeException ex) {
        log.error("watch cache could not apply the change of {} at revision {}", e.kv().key(), e.revision(), ex);
      }
      last = e.revision();
    }
    revisionLock.lock();
    try {
      revision = last;
      revisionAdvanced.signalAll();
    } finally {
      revisionLock.unlock();
    }
    long now = System.nanoTime();
    if (now - lastPrune > PENDING_WRITE_TTL_NANOS / 4) {
      lastPrune = now;
      dropPendingWritesOlderThanTtl(now);
    }
  }

  /** Drops the prepared writes made more than {@link #PENDING_WRITE_TTL_NANOS} before {@code now}. */
  void dropPendingWritesOlderThanTtl(long now) {
    pendingWrites.values().removeIf(w -> now - w.preparedAt() > PENDING_WRITE_TTL_NANOS);
  }

  private void apply(Event e) {
    String key = e.kv().key();
    ResourceCache cache = cacheFor(key);
    CachedObject previous = cache.get(key);
    if (e.type() == Event.Type.DELETE) {
      if (previous == null) return;
      ObjectNode last = previous.object();
      if (!previous.isCompact()) last = last.deepCopy();
      last.withObject("metadata").put("resourceVersion", Long.toString(e.revision()));
      CachedObject gone = CachedObject.compact(key, previous.namespace(), previous.name(), Json.bytes(last),
          e.revision(), previous.labels(), previous.fields());
      cache.apply(new WatchEvent(WatchEvent.Type.DELETED, gone, previous));
      return;
    }
    PendingWrite prepared = pendingWrites.remove(e.kv().value());
    CachedObject now = prepared != null && prepared.key().equals(key) ? prepared.cachedAt(e.revision()) : null;
    if (now == null) {
      parsedChanges.incrementAndGet();
      now = toCached(key, e.kv().value(), e.revision());
    }
    if (now == null) return;
    cache.apply(new WatchEvent(previous == null ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED, now, previous));
  }

  private CachedObject toCached(String key, byte[] value, long modRevision) {
    JsonNode parsed;
    try {
      parsed = Json.parse(value);
    } catch (RuntimeException ex) {
      log.error("stored value of {} is not JSON; skipped", key, ex);
      return null;
    }
    if (!(parsed instanceof ObjectNode object)) return null;
    object.withObject("metadata").put("resourceVersion", Long.toString(modRevision));
    PendingWrite.CachedFields f = cachedFields(key, object);
    // Only the bytes and the selectable fields are kept; the tree is garbage once this returns.
    return CachedObject.compact(key, f.namespace(), f.name(), Json.bytes(object), modRevision, f.labels(), f.selectable());
  }

  /** What the cache keeps of {@code object} (stored under {@code key}) besides its bytes. */
  private PendingWrite.CachedFields cachedFields(String key, ObjectNode object) {
    JsonNode meta = object.path("metadata");
    String name = Json.text(meta, "name");
    String namespace = Json.text(meta, "namespace");
    Map<String, String> fields = new HashMap<>();
    fields.put("metadata.name", name == null ? "" : name);
    fields.put("metadata.namespace", namespace == null ? "" : namespace);
    ResourceDefinition def = registry.byStorageKey(key).orElse(null);
    if (def != null) fields.putAll(def.strategy().selectableFields().apply(object));
    return new PendingWrite.CachedFields(namespace, name, Map.copyOf(Json.stringMap(meta.get("labels"))), Map.copyOf(fields));
  }

  @Override
  public void onCompacted(long compactRevision) {
    log.error("the watch cache fell behind the store's compaction ({}); restart the server", compactRevision);
  }

  @Override
  public void onClosed(Throwable cause) {
    stopFollowing();
    if (cause != null) log.error("the store closed the watch cache's watch", cause);
  }

  @Override
  public void close() {
    stopFollowing();
    if (watch != null) watch.close();
  }

  private void stopFollowing() {
    following = false;
    pendingWrites.clear();
  }
}
