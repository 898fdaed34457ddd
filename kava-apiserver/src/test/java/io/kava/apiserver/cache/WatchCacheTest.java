package io.kava.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.json.Json;
import io.kava.apiserver.registry.BuiltinResources;
import io.kava.apiserver.registry.ResourceRegistry;
import io.kava.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class WatchCacheTest {
  private static final String KEY = "/core/configmaps/ns/a";
  private MemoryStore store;
  private WatchCache cache;

  @BeforeEach
  void setUp() {
    store = new MemoryStore();
    ResourceRegistry registry = new ResourceRegistry();
    BuiltinResources.registerAll(registry);
    cache = new WatchCache(store, registry, 100);
    cache.start();
  }

  @AfterEach
  void tearDown() {
    cache.close();
    store.close();
  }

  private static ObjectNode configMap(String resourceVersion) {
    ObjectNode o = (ObjectNode) Json.parse("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","labels":{"app":"web"}},"data":{"k":"v"}}"""
        .getBytes(StandardCharsets.UTF_8));
    if (resourceVersion != null) o.withObject("metadata").put("resourceVersion", resourceVersion);
    return o;
  }

  private CachedObject cached() throws InterruptedException {
    assertThat(cache.awaitRevision(store.currentRevision(), 5_000)).isTrue();
    return cache.cache("/core/configmaps/").get(KEY);
  }

  @Test
  void aPreparedWriteIsCachedWithTheStoresRevisionSplicedIn() throws Exception {
    PendingWrite w = cache.prepareWrite(KEY, configMap(null));
    long rev = store.create(KEY, w.bytes()).orElseThrow().modRevision();
    CachedObject c = cached();
    ObjectNode expected = configMap(Long.toString(rev));
    assertThat(new String(c.bytes(), StandardCharsets.UTF_8)).isEqualTo(new String(Json.bytes(expected), StandardCharsets.UTF_8));
    assertThat(c.bytes()).isSameAs(w.bytesAt(rev));
    assertThat(c.labels()).containsEntry("app", "web");
    assertThat(c.fields()).containsEntry("metadata.name", "a").containsEntry("metadata.namespace", "ns");
    assertThat(cache.parsedChanges()).isZero();
    assertThat(cache.pendingWrites()).isZero();
  }

  @Test
  void anAbandonedWriteIsForgotten() {
    PendingWrite w = cache.prepareWrite(KEY, configMap(null));
    assertThat(cache.pendingWrites()).isOne();
    cache.abandon(w);
    assertThat(cache.pendingWrites()).isZero();
  }

  /** Bytes that carry a resourceVersion already cannot take the store's by splicing: they are parsed, as before. */
  @Test
  void anObjectWithAResourceVersionIsCachedByParsing() throws Exception {
    PendingWrite w = cache.prepareWrite(KEY, configMap("7"));
    assertThat(cache.pendingWrites()).isZero();
    long rev = store.create(KEY, w.bytes()).orElseThrow().modRevision();
    CachedObject c = cached();
    assertThat(cache.parsedChanges()).isOne();
    assertThat(c.object().at("/metadata/resourceVersion").asString()).isEqualTo(Long.toString(rev));
  }

  /**
   * A write whose event brings other bytes than the writer prepared (as when the store replays it from its history)
   * is parsed, and the prepared entry, which nothing will take any more, is dropped once it is old enough.
   */
  @Test
  void aWriteReportedWithOtherBytesIsParsedAndItsPreparedEntryDroppedLater() throws Exception {
    PendingWrite w = cache.prepareWrite(KEY, configMap(null));
    long rev = store.create(KEY, Arrays.copyOf(w.bytes(), w.bytes().length)).orElseThrow().modRevision();
    CachedObject c = cached();
    assertThat(cache.parsedChanges()).isOne();
    assertThat(c.object().at("/metadata/resourceVersion").asString()).isEqualTo(Long.toString(rev));
    assertThat(cache.pendingWrites()).isOne();
    cache.dropPendingWritesOlderThanTtl(System.nanoTime());
    assertThat(cache.pendingWrites()).as("not old enough yet").isOne();
    cache.dropPendingWritesOlderThanTtl(System.nanoTime() + WatchCache.PENDING_WRITE_TTL_NANOS + 1);
    assertThat(cache.pendingWrites()).isZero();
  }

  @Test
  void aClosedCacheKeepsNoPreparedWrites() {
    cache.prepareWrite(KEY, configMap(null));
    cache.close();
    assertThat(cache.pendingWrites()).isZero();
    cache.prepareWrite(KEY, configMap(null));
    assertThat(cache.pendingWrites()).isZero();
  }
}
