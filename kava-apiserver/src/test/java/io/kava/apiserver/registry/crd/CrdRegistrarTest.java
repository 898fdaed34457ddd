package io.kava.apiserver.registry.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.json.Json;
import io.kava.apiserver.ServerServicesImpl;
import io.kava.apiserver.cache.WatchCache;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.BuiltinResources;
import io.kava.apiserver.registry.DeleteOptions;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import io.kava.apiserver.registry.WriteOptions;
import io.kava.store.memory.MemoryStore;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The registrar against a real generic store over the memory backend: CRD in, custom resources served, CRD out. */
class CrdRegistrarTest {
  private static final long DEADLINE_MS = 20_000;

  private MemoryStore store;
  private WatchCache cache;
  private GenericStore generic;
  private ResourceRegistry registry;
  private CrdRegistrar registrar;
  private ResourceDefinition crds;
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
    crds = registry.byPath(Crds.GROUP, Crds.VERSION, Crds.PLURAL).orElseThrow();
    ObjectNode ns = Json.object();
    ns.put("apiVersion", "v1");
    ns.put("kind", "Namespace");
    ns.withObject("metadata").put("name", "default");
    generic.create(registry.byPath("", "v1", "namespaces").orElseThrow(), null, ns, admin);
    registrar = new CrdRegistrar(generic, Clock.systemUTC()).start();
  }

  @AfterEach
  void tearDown() {
    registrar.close();
    cache.close();
    store.close();
  }

  private static <T> T await(String what, Supplier<Optional<T>> probe) {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (true) {
      Optional<T> v = probe.get();
      if (v.isPresent()) return v.get();
      if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private ResourceDefinition awaitServed(String version) {
    return await("crontabs " + version, () -> registry.byPath("stable.example.com", version, "crontabs"));
  }

  private JsonNode crd(String name) { return generic.find(crds, null, name).orElse(null); }

  @Test
  void establishesAndServesEveryVersion() {
    ObjectNode created = generic.create(crds, null, CrdFixtures.cronTabCrd(), admin);
    assertThat(Crds.storedVersions(created)).containsExactly("v1");
    ResourceDefinition v1 = awaitServed("v1");
    ResourceDefinition v2 = awaitServed("v2");
    assertThat(v1.kind()).isEqualTo("CronTab");
    assertThat(v1.shortNames()).containsExactly("ct");
    assertThat(v1.categories()).containsExactly("all");
    assertThat(v1.subresources()).containsExactlyInAnyOrder("status", "scale");
    assertThat(v1.strategy().scale().specReplicasPath()).isEqualTo("/spec/replicas");
    assertThat(v2.subresources()).containsExactly("status");
    assertThat(registry.versions("stable.example.com")).containsExactly("v2", "v1");
    JsonNode established = await("Established", () -> Optional.ofNullable(crd("crontabs.stable.example.com"))
        .filter(c -> Crds.conditionTrue(c, "Established")));
    assertThat(Crds.condition(established, "NamesAccepted").path("reason").asString()).isEqualTo("NoConflicts");
    assertThat(Crds.condition(established, "Established").path("reason").asString()).isEqualTo("InitialNamesAccepted");
    assertThat(established.path("status").path("acceptedNames").path("plural").asString()).isEqualTo("crontabs");
    assertThat(registrar.publishedSchema("stable.example.com", "v1", "CronTab").path("properties").has("spec")).isTrue();
  }

  @Test
  void customResourcesArePrunedDefaultedValidatedAndConverted() {
    generic.create(crds, null, CrdFixtures.cronTabCrd(), admin);
    ResourceDefinition v1 = awaitServed("v1");
    ResourceDefinition v2 = awaitServed("v2");
    ObjectNode cr = CrdFixtures.cronTab("x", "cronSpec: '* * * * */5'\nbogus: 1");
    cr.putObject("status").put("replicas", 5);
    ObjectNode created = generic.create(v1, "default", cr, admin);
    assertThat(created.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(created.path("spec").has("bogus")).isFalse();
    assertThat(created.has("status")).isFalse(); // the status subresource owns it
    assertThat(created.path("metadata").path("generation").asInt()).isEqualTo(1);

    ObjectNode bad = CrdFixtures.cronTab("y", "cronSpec: '* * * * *'\nreplicas: three");
    assertThatThrownBy(() -> generic.create(v1, "default", bad, admin))
        .isInstanceOf(StatusException.class)
        .hasMessage("CronTab.stable.example.com \"y\" is invalid: spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");

    JsonNode asV2 = generic.get(v2, "default", "x", null).object();
    assertThat(asV2.path("apiVersion").asString()).isEqualTo("stable.example.com/v2");
    assertThat(asV2.path("spec").path("cronSpec").asString()).isEqualTo("* * * * */5");
    ObjectNode v2Object = CrdFixtures.cronTab("z", "cronSpec: anything\nfree: form");
    v2Object.put("apiVersion", "stable.example.com/v2");
    generic.create(v2, "default", v2Object, admin);
    assertThat(generic.get(v1, "default", "z", null).object().path("apiVersion").asString()).isEqualTo("stable.example.com/v1");
    assertThat(new String(store.get("/stable.example.com/crontabs/default/z").orElseThrow().value())).contains("\"apiVersion\":\"stable.example.com/v1\"");
  }

  @Test
  void statusWritesIgnoreSpecAndMainWritesIgnoreStatus() {
    generic.create(crds, null, CrdFixtures.cronTabCrd(), admin);
    ResourceDefinition v1 = awaitServed("v1");
    generic.create(v1, "default", CrdFixtures.cronTab("x", "cronSpec: '* * * * *'"), admin);
    ObjectNode withStatus = generic.find(v1, "default", "x").orElseThrow();
    withStatus.withObject("status").put("replicas", 2);
    withStatus.withObject("spec").put("replicas", 7);
    ObjectNode written = generic.update(v1, "default", "x", withStatus, "status", admin).object();
    assertThat(written.path("status").path("replicas").asInt()).isEqualTo(2);
    assertThat(written.path("spec").path("replicas").asInt()).isEqualTo(1);
    ObjectNode main = generic.find(v1, "default", "x").orElseThrow();
    main.withObject("status").put("replicas", 9);
    main.withObject("spec").put("replicas", 4);
    written = generic.update(v1, "default", "x", main, "", admin).object();
    assertThat(written.path("status").path("replicas").asInt()).isEqualTo(2);
    assertThat(written.path("spec").path("replicas").asInt()).isEqualTo(4);
    assertThat(written.path("metadata").path("generation").asInt()).isEqualTo(2);
  }

  @Test
  void conflictingNamesAreNotAccepted() {
    generic.create(crds, null, CrdFixtures.cronTabCrd(), admin);
    awaitServed("v1");
    ObjectNode other = CrdFixtures.cronTabCrd();
    other.withObject("metadata").put("name", "crons.stable.example.com");
    other.withObject("spec").withObject("names").put("plural", "crons");
    other.withObject("spec").withObject("names").put("singular", "cron");
    other.withObject("spec").withObject("names").putArray("shortNames").add("cr");
    other.withObject("spec").withObject("names").remove("categories");
    generic.create(crds, null, other, admin);
    JsonNode c = await("NamesAccepted", () -> Optional.ofNullable(crd("crons.stable.example.com")).filter(x -> Crds.condition(x, "NamesAccepted") != null));
    assertThat(Crds.condition(c, "NamesAccepted").path("status").asString()).isEqualTo("False");
    assertThat(Crds.condition(c, "NamesAccepted").path("reason").asString()).isEqualTo("KindConflict");
    assertThat(Crds.condition(c, "NamesAccepted").path("message").asString()).isEqualTo("\"CronTab\" is already in use");
    assertThat(Crds.condition(c, "Established").path("reason").asString()).isEqualTo("NotAccepted");
    assertThat(registry.byPath("stable.example.com", "v1", "crons")).isEmpty();
    // once the CRD holding the names is gone, the other one gets them
    generic.delete(crds, null, "crontabs.stable.example.com", DeleteOptions.DEFAULT, "admin");
    await("crons served", () -> registry.byPath("stable.example.com", "v1", "crons"));
    JsonNode accepted = await("crons accepted", () -> Optional.ofNullable(crd("crons.stable.example.com"))
        .filter(x -> Crds.conditionTrue(x, "NamesAccepted")));
    assertThat(Crds.condition(accepted, "Established").path("reason").asString()).isEqualTo("InitialNamesAccepted");

    ObjectNode builtin = CrdFixtures.cronTabCrd();
    builtin.withObject("metadata").put("name", "ingresses.networking.k8s.io");
    builtin.withObject("spec").put("group", "networking.k8s.io");
    builtin.withObject("spec").withObject("names").put("plural", "ingresses");
    generic.create(crds, null, builtin, admin);
    JsonNode b = await("NamesAccepted", () -> Optional.ofNullable(crd("ingresses.networking.k8s.io")).filter(x -> Crds.condition(x, "NamesAccepted") != null));
    assertThat(Crds.condition(b, "NamesAccepted").path("reason").asString()).isEqualTo("PluralConflict");
    assertThat(registry.byPath("networking.k8s.io", "v1", "ingresses").orElseThrow().kind()).isEqualTo("Ingress");
  }

  @Test
  void deletingTheCrdDeletesItsObjectsAndStopsServing() {
    generic.create(crds, null, CrdFixtures.cronTabCrd(), admin);
    ResourceDefinition v1 = awaitServed("v1");
    for (String n : new String[] {"a", "b", "c"}) generic.create(v1, "default", CrdFixtures.cronTab(n, "cronSpec: '* * * * *'"), admin);
    generic.delete(crds, null, "crontabs.stable.example.com", DeleteOptions.DEFAULT, "admin");
    await("CRD gone", () -> crd("crontabs.stable.example.com") == null ? Optional.of(true) : Optional.empty());
    await("unregistered", () -> registry.byPath("stable.example.com", "v1", "crontabs").isEmpty()
        && registry.byPath("stable.example.com", "v2", "crontabs").isEmpty() ? Optional.of(true) : Optional.empty());
    assertThat(store.range("/stable.example.com/", "/stable.example.com0", 0, 0).kvs()).isEmpty();
    assertThat(registrar.publishedSchema("stable.example.com", "v1", "CronTab")).isNull();
    // and it can be created again
    generic.create(crds, null, CrdFixtures.cronTabCrd(), admin);
    awaitServed("v1");
  }

  @Test
  void aDeletedCrdRefusesNewObjectsWhileItsObjectsWaitForFinalizers() {
    generic.create(crds, null, CrdFixtures.cronTabCrd(), admin);
    ResourceDefinition v1 = awaitServed("v1");
    ObjectNode held = CrdFixtures.cronTab("held", "cronSpec: '* * * * *'");
    held.withObject("metadata").putArray("finalizers").add("example.com/hold");
    generic.create(v1, "default", held, admin);
    generic.delete(crds, null, "crontabs.stable.example.com", DeleteOptions.DEFAULT, "admin");
    JsonNode terminating = await("Terminating", () -> Optional.ofNullable(crd("crontabs.stable.example.com"))
        .filter(c -> Crds.condition(c, "Terminating") != null && "InstanceDeletionInProgress".equals(Crds.condition(c, "Terminating").path("reason").asString())));
    assertThat(terminating.path("metadata").path("finalizers").get(0).asString()).isEqualTo(Crds.CLEANUP_FINALIZER);
    ResourceDefinition deleting = await("definition rebuilt", () -> registry.byPath("stable.example.com", "v1", "crontabs")
        .filter(d -> d != v1));
    assertThatThrownBy(() -> generic.create(deleting, "default", CrdFixtures.cronTab("new", "cronSpec: '* * * * *'"), admin))
        .isInstanceOf(StatusException.class).hasMessage(CustomResources.TERMINATING);
    await("held marked for deletion", () -> generic.find(deleting, "default", "held")
        .filter(o -> o.path("metadata").has("deletionTimestamp")));
    assertThat(registry.byPath("stable.example.com", "v1", "crontabs")).isPresent();
    generic.guaranteedUpdate(deleting, "default", "held", "", admin, o -> {
      o.withObject("metadata").remove("finalizers");
      return o;
    }, null);
    await("CRD gone", () -> crd("crontabs.stable.example.com") == null ? Optional.of(true) : Optional.empty());
  }

  @Test
  void crdUpdatesChangeWhatIsServedAndHowItIsValidated() {
    generic.create(crds, null, CrdFixtures.cronTabCrd(), admin);
    awaitServed("v2");
    generic.guaranteedUpdate(crds, null, "crontabs.stable.example.com", "", admin, crd -> {
      ObjectNode v1 = (ObjectNode) crd.path("spec").path("versions").get(0);
      ((ObjectNode) v1.path("schema").path("openAPIV3Schema").path("properties").path("spec").path("properties").path("replicas"))
          .put("maximum", 2);
      ((ObjectNode) crd.path("spec").path("versions").get(1)).put("served", false);
      return crd;
    }, null);
    await("v2 unserved", () -> registry.byPath("stable.example.com", "v2", "crontabs").isEmpty() ? Optional.of(true) : Optional.empty());
    ResourceDefinition v1 = awaitServed("v1");
    ObjectNode tooMany = CrdFixtures.cronTab("x", "cronSpec: '* * * * *'\nreplicas: 3");
    assertThatThrownBy(() -> generic.create(v1, "default", tooMany, admin))
        .hasMessageContaining("spec.replicas: Invalid value: 3: spec.replicas in body should be less than or equal to 2");
    assertThat(registry.versions("stable.example.com")).containsExactly("v1");
  }
}
