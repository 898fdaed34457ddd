package io.kava.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.json.Json;
import io.kava.api.selector.LabelSelector;
import io.kava.apiserver.ServerServicesImpl;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.cache.ResourceCache;
import io.kava.apiserver.cache.WatchCache;
import io.kava.apiserver.cache.WatchEvent;
import io.kava.apiserver.cache.WatchFilter;
import io.kava.apiserver.cache.WatchSink;
import io.kava.apiserver.errors.StatusException;
import io.kava.store.memory.MemoryStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class GenericStoreTest {
  private MemoryStore store;
  private WatchCache cache;
  private GenericStore generic;
  private ResourceRegistry registry;
  private ResourceDefinition configMaps;
  private ResourceDefinition deployments;
  private ResourceDefinition pods;
  private final WriteOptions admin = WriteOptions.of("admin");

  @BeforeEach
  void setUp() {
    store = new MemoryStore();
    registry = new ResourceRegistry();
    BuiltinResources.registerAll(registry);
    cache = new WatchCache(store, registry, 100);
    cache.start();
    GenericStore[] self = new GenericStore[1];
    ServerServicesImpl services = new ServerServicesImpl(ServerServicesImpl.Options.DEFAULT, () -> self[0]);
    generic = self[0] = new GenericStore(store, cache, registry, services, Clock.systemUTC());
    configMaps = registry.byPath("", "v1", "configmaps").orElseThrow();
    deployments = registry.byPath("apps", "v1", "deployments").orElseThrow();
    pods = registry.byPath("", "v1", "pods").orElseThrow();
    ResourceDefinition ns = registry.byPath("", "v1", "namespaces").orElseThrow();
    generic.create(ns, null, obj("v1", "Namespace", null, "default"), admin);
    // pods run as a service account that must exist (the service account controller creates it in a cluster)
    generic.create(registry.byPath("", "v1", "serviceaccounts").orElseThrow(), "default", obj("v1", "ServiceAccount", null, "default"), admin);
  }

  @AfterEach
  void tearDown() {
    cache.close();
    store.close();
  }

  @Test
  void getIfCurrentAnswersAsGetOnlyWhenNoWaitIsNeeded() {
    generic.create(configMaps, "default", configMap("c1", null), admin);
    generic.awaitConsistent();
    CachedObject viaGet = generic.get(configMaps, "default", "c1", null);
    CachedObject current = generic.getIfCurrent(configMaps, "default", "c1", null);
    assertThat(current).isNotNull();
    assertThat(current.bytes()).isEqualTo(viaGet.bytes());
    assertThat(generic.getIfCurrent(configMaps, "default", "c1", "0")).isNotNull();
    // an explicit version, a missing object: left to get(), which waits or answers 404
    assertThat(generic.getIfCurrent(configMaps, "default", "c1", Long.toString(viaGet.revision()))).isNull();
    assertThat(generic.getIfCurrent(configMaps, "default", "missing", null)).isNull();
  }

  /**
   * Updates start from the watch cache's copy; one that lags the store (here: a cache whose watch was closed) must
   * neither lose another writer's change, nor answer a conflict or a no-op that only the stale copy explains.
   */
  @Test
  void updatesFromAStaleCacheStillActOnTheStoredObject() {
    generic.create(configMaps, "default", configMap("c1", null), admin);
    WatchCache frozen = new WatchCache(store, registry, 100);
    frozen.start();
    frozen.close(); // holds c1 as created from now on
    GenericStore lagging = new GenericStore(store, frozen, registry,
        new ServerServicesImpl(ServerServicesImpl.Options.DEFAULT, () -> generic), Clock.systemUTC());
    long created = frozen.cache(configMaps.keyPrefix()).get(configMaps.key("default", "c1")).revision();

    ObjectNode changed = configMap("c1", null);
    changed.withObject("data").put("k", "v2");
    String rv2 = generic.update(configMaps, "default", "c1", changed, "", admin).object().path("metadata").path("resourceVersion").asString();

    // a read-modify-write counts on the stored object, not the stale copy
    ObjectNode counted = lagging.guaranteedUpdate(configMaps, "default", "c1", "", admin, current -> {
      current.withObject("data").put("seen", current.path("data").path("k").asString());
      return current;
    }, null).object();
    assertThat(counted.path("data").path("seen").asString()).isEqualTo("v2");

    // a conditional update naming the stored version is no conflict, though the copy is older
    ObjectNode conditional = counted.deepCopy();
    conditional.withObject("data").put("k", "v3");
    String rv3 = lagging.update(configMaps, "default", "c1", conditional, "", admin).object().path("metadata").path("resourceVersion").asString();
    assertThat(Long.parseLong(rv3)).isGreaterThan(Long.parseLong(rv2));

    // writing back what the stale copy holds is no no-op: the store has other data
    ObjectNode original = configMap("c1", null);
    ObjectNode back = lagging.update(configMaps, "default", "c1", original, "", admin).object();
    assertThat(Long.parseLong(back.path("metadata").path("resourceVersion").asString())).isGreaterThan(Long.parseLong(rv3));
    assertThat(store.get(configMaps.key("default", "c1")).orElseThrow().modRevision()).isGreaterThan(created);
    assertThat(Json.parse(store.get(configMaps.key("default", "c1")).orElseThrow().value()).path("data").path("k").asString()).isEqualTo("v");

    // and a conflict that the stored object confirms is still answered
    ObjectNode outdated = configMap("c1", null);
    outdated.withObject("metadata").put("resourceVersion", rv2);
    assertThatThrownBy(() -> lagging.update(configMaps, "default", "c1", outdated, "", admin))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(409));
  }

  static ObjectNode obj(String apiVersion, String kind, String ns, String name) {
    ObjectNode o = Json.object();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    ObjectNode meta = o.putObject("metadata");
    if (name != null) meta.put("name", name);
    if (ns != null) meta.put("namespace", ns);
    return o;
  }

  static ObjectNode configMap(String name, String label) {
    ObjectNode cm = obj("v1", "ConfigMap", null, name);
    if (label != null) cm.withObject("metadata").putObject("labels").put("app", label);
    cm.putObject("data").put("k", "v");
    return cm;
  }

  static ObjectNode deployment(String name, int replicas) {
    ObjectNode d = obj("apps/v1", "Deployment", null, name);
    ObjectNode spec = d.putObject("spec");
    spec.put("replicas", replicas);
    spec.putObject("selector").putObject("matchLabels").put("app", name);
    ObjectNode tpl = spec.putObject("template");
    tpl.putObject("metadata").putObject("labels").put("app", name);
    ObjectNode c = tpl.putObject("spec").putArray("containers").addObject();
    c.put("name", "c");
    c.put("image", "busybox");
    return d;
  }

  @Test
  void createSetsSystemFieldsAndRejectsDuplicates() {
    ObjectNode created = generic.create(configMaps, "default", configMap("a", null), admin);
    assertThat(created.at("/metadata/uid").asString()).hasSize(36);
    assertThat(created.at("/metadata/creationTimestamp").asString()).endsWith("Z");
    assertThat(Long.parseLong(created.at("/metadata/resourceVersion").asString())).isPositive();
    assertThat(created.at("/metadata/namespace").asString()).isEqualTo("default");
    assertThatThrownBy(() -> generic.create(configMaps, "default", configMap("a", null), admin))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(409);
          assertThat(e.reason()).isEqualTo("AlreadyExists");
          assertThat(e.getMessage()).isEqualTo("configmaps \"a\" already exists");
        });
  }

  @Test
  void createInMissingNamespaceIsNotFound() {
    assertThatThrownBy(() -> generic.create(configMaps, "nope", configMap("a", null), admin))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).isEqualTo("namespaces \"nope\" not found"));
  }

  @Test
  void generateNameAddsFiveCharacters() {
    ObjectNode cm = configMap(null, null);
    cm.withObject("metadata").put("generateName", "job-");
    ObjectNode created = generic.create(configMaps, "default", cm, admin);
    assertThat(created.at("/metadata/name").asString()).matches("job-[bcdfghjklmnpqrstvwxz2456789]{5}");
  }

  @Test
  void updateChecksResourceVersionAndBumpsGenerationOnSpecChangeOnly() {
    ObjectNode d = generic.create(deployments, "default", deployment("web", 1), admin);
    String rv = d.at("/metadata/resourceVersion").asString();
    ObjectNode labelled = d.deepCopy();
    labelled.withObject("metadata").putObject("labels").put("x", "y");
    ObjectNode afterLabel = generic.update(deployments, "default", "web", labelled, "", admin).object();
    assertThat(afterLabel.at("/metadata/generation").asLong()).isEqualTo(1);
    ObjectNode scaled = afterLabel.deepCopy();
    scaled.withObject("spec").put("replicas", 3);
    ObjectNode afterScale = generic.update(deployments, "default", "web", scaled, "", admin).object();
    assertThat(afterScale.at("/metadata/generation").asLong()).isEqualTo(2);
    ObjectNode stale = d.deepCopy();
    stale.withObject("metadata").put("resourceVersion", rv);
    assertThatThrownBy(() -> generic.update(deployments, "default", "web", stale, "", admin))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(409));
  }

  @Test
  void mainResourceUpdatesKeepStatusAndStatusUpdatesKeepSpec() {
    ObjectNode d = generic.create(deployments, "default", deployment("web", 1), admin);
    ObjectNode withStatus = d.deepCopy();
    withStatus.putObject("status").put("replicas", 5);
    withStatus.withObject("spec").put("replicas", 7);
    ObjectNode afterStatus = generic.update(deployments, "default", "web", withStatus, "status", admin).object();
    assertThat(afterStatus.at("/status/replicas").asInt()).isEqualTo(5);
    assertThat(afterStatus.at("/spec/replicas").asInt()).isEqualTo(1);
    ObjectNode main = afterStatus.deepCopy();
    main.putObject("status").put("replicas", 0);
    ObjectNode afterMain = generic.update(deployments, "default", "web", main, "", admin).object();
    assertThat(afterMain.at("/status/replicas").asInt()).isEqualTo(5);
  }

  @Test
  void listPagesWithContinueTokensAndFiltersByLabel() {
    for (int i = 0; i < 7; i++) generic.create(configMaps, "default", configMap("cm-" + i, i % 2 == 0 ? "even" : "odd"), admin);
    ListResult first = generic.list(configMaps, "default", new ListOptions(null, null, 3, null, null, null));
    assertThat(first.items()).extracting(CachedObject::name).containsExactly("cm-0", "cm-1", "cm-2");
    assertThat(first.remainingItemCount()).isEqualTo(4);
    ListResult second = generic.list(configMaps, "default", new ListOptions(null, null, 3, first.continueToken(), null, null));
    assertThat(second.items()).extracting(CachedObject::name).containsExactly("cm-3", "cm-4", "cm-5");
    // A write between pages does not change what later pages show: they stay at the first page's revision.
    generic.create(configMaps, "default", configMap("cm-9", "odd"), admin);
    ListResult third = generic.list(configMaps, "default", new ListOptions(null, null, 3, second.continueToken(), null, null));
    assertThat(third.items()).extracting(CachedObject::name).containsExactly("cm-6");
    assertThat(third.continueToken()).isNull();
    assertThat(third.revision()).isEqualTo(first.revision());
    ListResult even = generic.list(configMaps, "default", new ListOptions(LabelSelector.parse("app=even"), null, 0, null, null, null));
    assertThat(even.items()).extracting(CachedObject::name).containsExactly("cm-0", "cm-2", "cm-4", "cm-6");
  }

  @Test
  void aClusterWideListKeepsEachPagesNamespaceWhenWritesComeBetweenPages() {
    ResourceDefinition ns = registry.byPath("", "v1", "namespaces").orElseThrow();
    for (String n : new String[] {"a", "b"}) {
      generic.create(ns, null, obj("v1", "Namespace", null, n), admin);
      for (int i = 0; i < 4; i++) generic.create(configMaps, n, configMap("cm-" + i, null), admin);
    }
    List<String> seen = new ArrayList<>();
    ListResult page = generic.list(configMaps, null, new ListOptions(null, null, 3, null, null, null));
    while (true) {
      page.items().forEach(o -> seen.add(o.namespace() + "/" + o.name()));
      if (page.continueToken() == null) break;
      // Each write moves the cache past the list's revision: the next page is read from the store.
      generic.create(configMaps, "default", configMap("late-" + seen.size(), null), admin);
      page = generic.list(configMaps, null, new ListOptions(null, null, 3, page.continueToken(), null, null));
    }
    assertThat(seen).containsExactly("a/cm-0", "a/cm-1", "a/cm-2", "a/cm-3", "b/cm-0", "b/cm-1", "b/cm-2", "b/cm-3");
  }

  @Test
  void finalizersHoldDeletionUntilRemoved() {
    ObjectNode cm = configMap("held", null);
    cm.withObject("metadata").putArray("finalizers").add("example.com/hold");
    generic.create(configMaps, "default", cm, admin);
    DeleteResult marked = generic.delete(configMaps, "default", "held", DeleteOptions.DEFAULT, "admin");
    assertThat(marked.deleted()).isFalse();
    assertThat(marked.object().at("/metadata/deletionTimestamp").isMissingNode()).isFalse();
    ObjectNode current = generic.find(configMaps, "default", "held").orElseThrow();
    current.withObject("metadata").remove("finalizers");
    generic.update(configMaps, "default", "held", current, "", admin);
    assertThat(generic.find(configMaps, "default", "held")).isEmpty();
  }

  @Test
  void podsOnANodeAreDeletedGracefully() {
    ObjectNode pod = obj("v1", "Pod", null, "p");
    ObjectNode spec = pod.putObject("spec");
    spec.put("nodeName", "node-1");
    ObjectNode c = spec.putArray("containers").addObject();
    c.put("name", "c");
    c.put("image", "busybox");
    generic.create(pods, "default", pod, admin);
    DeleteResult graceful = generic.delete(pods, "default", "p", DeleteOptions.DEFAULT, "admin");
    assertThat(graceful.deleted()).isFalse();
    assertThat(graceful.object().at("/metadata/deletionGracePeriodSeconds").asLong()).isEqualTo(30);
    DeleteResult forced = generic.delete(pods, "default", "p", new DeleteOptions(0L, null, null, null, false), "admin");
    assertThat(forced.deleted()).isTrue();
    assertThat(generic.find(pods, "default", "p")).isEmpty();
  }

  @Test
  void podStatusWritesAreValidatedAsStatusAndBindingsByTheirTarget() {
    ObjectNode pod = obj("v1", "Pod", null, "p");
    ObjectNode c = pod.putObject("spec").putArray("containers").addObject();
    c.put("name", "c");
    c.put("image", "busybox");
    generic.create(pods, "default", pod, admin);

    // pods/binding: the node name is checked, not the pod
    assertThatThrownBy(() -> generic.guaranteedUpdate(pods, "default", "p", "binding", admin, p -> {
      p.withObject("spec").put("nodeName", "Not_A_Node");
      return p;
    }, null)).isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).contains("target.name"));
    JsonNode managedBefore = generic.find(pods, "default", "p").orElseThrow().at("/metadata/managedFields");
    WriteOptions scheduler = new WriteOptions("system:kube-scheduler", false, "kube-scheduler", null);
    GenericStore.UpdateResult bound = generic.guaranteedUpdate(pods, "default", "p", "binding", scheduler, p -> {
      p.withObject("spec").put("nodeName", "node-1");
      return p;
    }, null);
    // as upstream's BindingREST, which writes the stored pod past the field manager: no entry for the binding
    assertThat(bound.object().at("/metadata/managedFields")).isEqualTo(managedBefore);

    // pods/status: ValidatePodStatusUpdate's rules (here: duplicate pod IPs), and the spec is the stored one
    assertThatThrownBy(() -> generic.guaranteedUpdate(pods, "default", "p", "status", admin, p -> {
      ObjectNode status = p.withObject("status");
      status.putArray("podIPs").add(Json.object().put("ip", "10.0.0.1")).add(Json.object().put("ip", "10.0.0.1"));
      return p;
    }, null)).isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).contains("status.podIPs[1]"));
    GenericStore.UpdateResult running = generic.guaranteedUpdate(pods, "default", "p", "status", admin, p -> {
      p.withObject("status").put("phase", "Running").put("podIP", "10.0.0.1");
      p.withObject("spec").put("nodeName", "elsewhere"); // ignored: a status write keeps the spec
      return p;
    }, null);
    assertThat(running.object().at("/status/phase").asString()).isEqualTo("Running");
    assertThat(running.object().at("/spec/nodeName").asString()).isEqualTo("node-1");

    // the resource itself is still validated as a pod: its containers cannot be removed
    assertThatThrownBy(() -> generic.guaranteedUpdate(pods, "default", "p", "", admin, p -> {
      ((ObjectNode) p.get("spec")).putArray("containers");
      return p;
    }, null)).isInstanceOf(StatusException.class);
  }

  @Test
  void dryRunStoresNothing() {
    generic.create(configMaps, "default", configMap("dry", null), new WriteOptions("admin", true, null, null));
    assertThat(generic.find(configMaps, "default", "dry")).isEmpty();
  }

  @Test
  void watchFromRevisionReplaysLaterChangesAndTooOldIsRefused() throws Exception {
    ObjectNode a = generic.create(configMaps, "default", configMap("a", null), admin);
    long rv = Long.parseLong(a.at("/metadata/resourceVersion").asString());
    generic.create(configMaps, "default", configMap("b", null), admin);
    generic.delete(configMaps, "default", "a", DeleteOptions.DEFAULT, "admin");
    generic.awaitConsistent();
    List<String> seen = new ArrayList<>();
    WatchSink sink = (type, o) -> seen.add(type + " " + o.name());
    ResourceCache rc = cache.cache(configMaps.keyPrefix());
    assertThat(rc.watch(new WatchFilter("default", null, null), sink, rv, null)).isNotNull();
    assertThat(seen).containsExactly("ADDED b", "DELETED a");
    for (int i = 0; i < 150; i++) generic.create(configMaps, "default", configMap("x" + i, null), admin);
    generic.awaitConsistent();
    assertThat(rc.watch(WatchFilter.ALL, sink, rv, null)).as("history of 100 events no longer reaches rv").isNull();
  }

  @Test
  void theCacheKeepsBytesAndSelectableFieldsAndParsesOnDemand() {
    ObjectNode created = generic.create(configMaps, "default", configMap("lazy", "web"), admin);
    generic.awaitConsistent();
    CachedObject cached = cache.cache(configMaps.keyPrefix()).get(configMaps.key("default", "lazy"));
    assertThat(cached.isCompact()).as("no tree is held in the cache").isTrue();
    assertThat(cached.labels()).containsEntry("app", "web");
    assertThat(cached.fields()).containsEntry("metadata.name", "lazy").containsEntry("metadata.namespace", "default");
    String rv = created.at("/metadata/resourceVersion").asString();
    assertThat(Json.parse(cached.bytes()).at("/metadata/resourceVersion").asString()).isEqualTo(rv);
    // each reader gets its own tree: changing one cannot corrupt the cache or another reader
    ObjectNode mine = cached.object();
    mine.withObject("data").put("k", "changed");
    assertThat(cached.object().at("/data/k").asString()).isEqualTo("v");
    assertThat(cached.object()).isNotSameAs(cached.object());
    assertThat(generic.get(configMaps, "default", "lazy", null).object().at("/data/k").asString()).isEqualTo("v");
  }

  /**
   * The cache makes its entry for a write from the writer's bytes, splicing in the revision, instead of parsing the
   * stored bytes: the entry must be exactly what parsing gives (here: what a cache loaded from the store holds),
   * and the write's response the same bytes. Covers create, update, the status and binding subresources, a no-op
   * update and a graceful deletion.
   */
  @Test
  void writesAreCachedFromTheWritersBytesExactlyAsParsingTheStoreWould() {
    long parsedBefore = cache.parsedChanges();
    ObjectNode pod = obj("v1", "Pod", null, "p");
    pod.withObject("metadata").putObject("labels").put("app", "web");
    ObjectNode c = pod.putObject("spec").putArray("containers").addObject();
    c.put("name", "c");
    c.put("image", "busybox");
    List<byte[]> responses = new ArrayList<>();
    responses.add(generic.createForResponse(pods, "default", pod, admin).json());
    responses.add(generic.guaranteedUpdate(pods, "default", "p", "binding", admin, p -> {
      p.withObject("spec").put("nodeName", "node-1");
      return p;
    }, null).json());
    responses.add(generic.guaranteedUpdate(pods, "default", "p", "status", admin, p -> {
      p.withObject("status").put("phase", "Running").put("podIP", "10.0.0.1").put("ratio", 0.25);
      return p;
    }, null).json());
    GenericStore.UpdateResult same = generic.guaranteedUpdate(pods, "default", "p", "status", admin, p -> p, null);
    ObjectNode cm = configMap("cm", "web");
    cm.withObject("data").put("text", "line\nwith \"quotes\", é and \u0001");
    responses.add(generic.createForResponse(configMaps, "default", cm, admin).json());
    ObjectNode changed = generic.find(configMaps, "default", "cm").orElseThrow();
    changed.withObject("metadata").withObject("labels").put("app", "db");
    responses.add(generic.update(configMaps, "default", "cm", changed, "", admin).json());
    generic.awaitConsistent();
    String podKey = pods.key("default", "p");
    assertThat(same.object().at("/metadata/resourceVersion").asString())
        .as("a no-op writes nothing").isEqualTo(Long.toString(store.get(podKey).orElseThrow().modRevision()));
    generic.delete(pods, "default", "p", DeleteOptions.DEFAULT, "admin"); // graceful: an update that sets deletionTimestamp
    generic.awaitConsistent();

    assertThat(cache.parsedChanges()).as("no write parsed by the cache").isEqualTo(parsedBefore);
    assertThat(cache.pendingWrites()).isZero();
    WatchCache loaded = new WatchCache(store, registry, 100);
    loaded.start();
    try {
      for (String key : List.of(podKey, configMaps.key("default", "cm"))) {
        CachedObject spliced = cache.cache(key.substring(0, key.indexOf('/', key.indexOf('/', 1) + 1) + 1)).get(key);
        CachedObject parsed = loaded.cache(key.substring(0, key.indexOf('/', key.indexOf('/', 1) + 1) + 1)).get(key);
        assertThat(new String(spliced.bytes(), java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo(new String(parsed.bytes(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(spliced.revision()).isEqualTo(store.get(key).orElseThrow().modRevision());
        assertThat(spliced.labels()).isEqualTo(parsed.labels());
        assertThat(spliced.fields()).isEqualTo(parsed.fields());
        assertThat(spliced.name()).isEqualTo(parsed.name());
        assertThat(spliced.namespace()).isEqualTo(parsed.namespace());
      }
      assertThat(loaded.cache(pods.keyPrefix()).get(podKey).fields()).containsEntry("spec.nodeName", "node-1");
    } finally {
      loaded.close();
    }
    // each response is what a GET answered right after its write: the history holds those states
    List<byte[]> history = new ArrayList<>();
    cache.cache(pods.keyPrefix()).watch(WatchFilter.ALL, (t, o) -> history.add(o.bytes()), 0, null);
    cache.cache(configMaps.keyPrefix()).watch(WatchFilter.ALL, (t, o) -> history.add(o.bytes()), 0, null);
    assertThat(responses).allSatisfy(r -> assertThat(history).anySatisfy(h -> assertThat(h).isEqualTo(r)));
  }

  @Test
  void aDirectStoreWriteIsCachedByParsingIt() {
    long parsedBefore = cache.parsedChanges();
    String key = configMaps.key("default", "direct");
    ObjectNode cm = configMap("direct", "web");
    cm.withObject("metadata").put("namespace", "default");
    long rev = store.create(key, Json.bytes(cm)).orElseThrow().modRevision();
    generic.awaitConsistent();
    CachedObject cached = cache.cache(configMaps.keyPrefix()).get(key);
    assertThat(cache.parsedChanges()).isEqualTo(parsedBefore + 1);
    assertThat(cached.object().at("/metadata/resourceVersion").asString()).isEqualTo(Long.toString(rev));
    assertThat(cached.labels()).containsEntry("app", "web");
  }

  /** A write that loses a race to another is retried; the bytes it prepared for the cache are not left behind. */
  @Test
  void aWriteThatLosesARaceLeavesNothingPending() {
    generic.create(configMaps, "default", configMap("raced", null), admin);
    int[] attempts = {0};
    GenericStore.UpdateResult r = generic.guaranteedUpdate(configMaps, "default", "raced", "", admin, current -> {
      if (attempts[0]++ == 0) {
        ObjectNode other = configMap("raced", null);
        other.withObject("data").put("k", "other");
        generic.update(configMaps, "default", "raced", other, "", admin);
      }
      current.withObject("data").put("mine", "yes");
      return current;
    }, null);
    generic.awaitConsistent();
    assertThat(attempts[0]).isEqualTo(2);
    assertThat(cache.pendingWrites()).isZero();
    CachedObject cached = cache.cache(configMaps.keyPrefix()).get(configMaps.key("default", "raced"));
    assertThat(cached.bytes()).isEqualTo(r.json());
    assertThat(cached.object().at("/data/k").asString()).isEqualTo("other");
  }

  @Test
  void aDeletionIsSentWithItsOwnResourceVersionFromTheCompactForm() {
    generic.create(configMaps, "default", configMap("gone", "web"), admin);
    generic.awaitConsistent();
    List<CachedObject> deleted = new ArrayList<>();
    ResourceCache rc = cache.cache(configMaps.keyPrefix());
    rc.watch(WatchFilter.ALL, (t, o) -> {
      if (t == WatchEvent.Type.DELETED) deleted.add(o);
      return true;
    }, cache.revision(), null);
    generic.delete(configMaps, "default", "gone", DeleteOptions.DEFAULT, "admin");
    generic.awaitConsistent();
    assertThat(deleted).hasSize(1);
    CachedObject d = deleted.get(0);
    assertThat(d.isCompact()).isTrue();
    assertThat(d.revision()).isEqualTo(cache.revision());
    assertThat(d.object().at("/metadata/resourceVersion").asString()).isEqualTo(Long.toString(d.revision()));
    assertThat(d.object().at("/data/k").asString()).isEqualTo("v");
    assertThat(d.labels()).containsEntry("app", "web");
  }

  @Test
  void watchFilterTurnsLabelChangesIntoAddedAndDeleted() {
    generic.create(configMaps, "default", configMap("a", "one"), admin);
    generic.awaitConsistent();
    List<WatchEvent.Type> seen = new ArrayList<>();
    ResourceCache rc = cache.cache(configMaps.keyPrefix());
    rc.watch(new WatchFilter(null, LabelSelector.parse("app=two"), null), (t, o) -> seen.add(t), cache.revision(), null);
    ObjectNode cm = generic.find(configMaps, "default", "a").orElseThrow();
    cm.withObject("metadata").withObject("labels").put("app", "two");
    generic.update(configMaps, "default", "a", cm, "", admin);
    cm = generic.find(configMaps, "default", "a").orElseThrow();
    cm.withObject("metadata").withObject("labels").put("app", "three");
    generic.update(configMaps, "default", "a", cm, "", admin);
    generic.awaitConsistent();
    assertThat(seen).containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.DELETED);
  }

  @Test
  void eventsV1AndCoreEventsShareStorage() {
    ResourceDefinition eventsV1 = registry.byPath("events.k8s.io", "v1", "events").orElseThrow();
    ResourceDefinition coreEvents = registry.byPath("", "v1", "events").orElseThrow();
    ObjectNode e = obj("events.k8s.io/v1", "Event", null, "e1");
    e.put("eventTime", "2026-01-01T00:00:00.000000Z");
    e.put("reportingController", "kava.io/test");
    e.put("reportingInstance", "test-1");
    e.put("action", "Testing");
    e.put("reason", "Tested");
    e.put("note", "hello");
    e.put("type", "Normal");
    ObjectNode regarding = e.putObject("regarding");
    regarding.put("kind", "Pod");
    regarding.put("name", "p");
    regarding.put("namespace", "default");
    generic.create(eventsV1, "default", e, admin);
    CachedObject core = generic.get(coreEvents, "default", "e1", null);
    assertThat(core.object().path("apiVersion").asString()).isEqualTo("v1");
    assertThat(core.object().path("message").asString()).isEqualTo("hello");
    assertThat(core.object().at("/involvedObject/name").asString()).isEqualTo("p");
    assertThat(core.object().path("reportingComponent").asString()).isEqualTo("kava.io/test");
    CachedObject v1 = generic.get(eventsV1, "default", "e1", null);
    assertThat(v1.object().path("apiVersion").asString()).isEqualTo("events.k8s.io/v1");
    assertThat(v1.object().path("note").asString()).isEqualTo("hello");
    assertThat(v1.object().has("message")).isFalse();
  }

  @Test
  void podPriorityComesFromItsPriorityClass() {
    ResourceDefinition pcs = registry.byPath("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();
    ObjectNode pc = obj("scheduling.k8s.io/v1", "PriorityClass", null, "high");
    pc.put("value", 1000);
    generic.create(pcs, null, pc, admin);
    ObjectNode pod = obj("v1", "Pod", null, "prio");
    ObjectNode spec = pod.putObject("spec");
    spec.put("priorityClassName", "high");
    ObjectNode c = spec.putArray("containers").addObject();
    c.put("name", "c");
    c.put("image", "busybox");
    ObjectNode missing = pod.deepCopy();
    ObjectNode created = generic.create(pods, "default", pod, admin);
    assertThat(created.at("/spec/priority").asInt()).isEqualTo(1000);
    assertThat(created.at("/spec/preemptionPolicy").asString()).isEqualTo("PreemptLowerPriority");
    missing.withObject("metadata").put("name", "other");
    missing.withObject("spec").put("priorityClassName", "nope");
    assertThatThrownBy(() -> generic.create(pods, "default", missing, admin))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage())
            .isEqualTo("pods \"other\" is forbidden: no PriorityClass with name nope was found"));
  }

  /** A pod without a class gets the global default's, as the classes stand at its create (they are parsed once per change). */
  @Test
  void podsWithoutAClassFollowTheGlobalDefaultAsItChanges() {
    ResourceDefinition pcs = registry.byPath("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();
    java.util.function.IntFunction<ObjectNode> pod = i -> {
      ObjectNode p = obj("v1", "Pod", null, "p" + i);
      ObjectNode c = p.putObject("spec").putArray("containers").addObject();
      c.put("name", "c");
      c.put("image", "busybox");
      return p;
    };
    assertThat(generic.create(pods, "default", pod.apply(1), admin).at("/spec/priority").asInt()).isZero();
    ObjectNode def = obj("scheduling.k8s.io/v1", "PriorityClass", null, "everyone");
    def.put("value", 50).put("globalDefault", true);
    generic.create(pcs, null, def, admin);
    generic.awaitConsistent();
    ObjectNode second = generic.create(pods, "default", pod.apply(2), admin);
    assertThat(second.at("/spec/priority").asInt()).isEqualTo(50);
    assertThat(second.at("/spec/priorityClassName").asString()).isEqualTo("everyone");
    assertThat(generic.create(pods, "default", pod.apply(3), admin).at("/spec/priority").asInt()).isEqualTo(50);
    generic.guaranteedUpdate(pcs, null, "everyone", "", admin, c -> {
      c.put("globalDefault", false);
      return c;
    }, null);
    generic.awaitConsistent();
    assertThat(generic.create(pods, "default", pod.apply(4), admin).at("/spec/priority").asInt()).isZero();
  }
}
