package io.kava.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.json.Json;
import io.kava.apiserver.ServerServicesImpl;
import io.kava.apiserver.cache.WatchCache;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.patch.PatchType;
import io.kava.apiserver.patch.Patches;
import io.kava.apiserver.registry.BuiltinResources;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import io.kava.apiserver.registry.WriteOptions;
import io.kava.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** managedFields on create, update, patch and server-side apply, through the generic store with the built-in kinds. */
class ManagedFieldsStoreTest {
  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2024-05-01T10:00:00Z");

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
    void tick() { now = now.plusSeconds(61); }
  }

  private MemoryStore store;
  private WatchCache cache;
  private GenericStore generic;
  private final TestClock clock = new TestClock();
  private ResourceDefinition configMaps;
  private ResourceDefinition deployments;

  @BeforeEach
  void setUp() {
    store = new MemoryStore();
    ResourceRegistry registry = new ResourceRegistry();
    BuiltinResources.registerAll(registry);
    cache = new WatchCache(store, registry, 100);
    cache.start();
    GenericStore[] self = new GenericStore[1];
    ServerServicesImpl services = new ServerServicesImpl(ServerServicesImpl.Options.DEFAULT, () -> self[0]);
    generic = self[0] = new GenericStore(store, cache, registry, services, clock);
    configMaps = registry.byPath("", "v1", "configmaps").orElseThrow();
    deployments = registry.byPath("apps", "v1", "deployments").orElseThrow();
    ResourceDefinition ns = registry.byPath("", "v1", "namespaces").orElseThrow();
    generic.create(ns, null, json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'default'}}"), WriteOptions.of("admin"));
  }

  @AfterEach
  void tearDown() {
    cache.close();
    store.close();
  }

  static ObjectNode json(String s) { return (ObjectNode) Json.MAPPER.readTree(s.replace('\'', '"')); }

  static WriteOptions by(String manager) { return new WriteOptions("admin", false, manager, null); }

  ObjectNode create(ResourceDefinition def, String body, String manager) {
    return generic.create(def, "default", json(body), by(manager));
  }

  ObjectNode mergePatch(ResourceDefinition def, String name, String patch, String manager) {
    Patches.Prepared p = Patches.prepare(PatchType.MERGE_PATCH, patch.replace('\'', '"').getBytes(StandardCharsets.UTF_8), def.apiVersion(), def.kind());
    return generic.guaranteedUpdate(def, "default", name, "", by(manager), p::applyInPlace, null).object();
  }

  ObjectNode apply(ResourceDefinition def, String name, String subresource, String yaml, String manager, boolean force) {
    ApplyPatch a = generic.fieldManager().prepareApply(def, subresource, yaml.getBytes(StandardCharsets.UTF_8), manager, force);
    return generic.guaranteedUpdate(def, "default", name, subresource, by(manager), a::apply, a.createIfMissing("default", name), true).object();
  }

  ObjectNode apply(ResourceDefinition def, String name, String yaml, String manager) { return apply(def, name, "", yaml, manager, false); }

  static JsonNode entry(ObjectNode o, String manager, String operation) {
    for (JsonNode e : o.at("/metadata/managedFields")) {
      if (e.path("manager").asString().equals(manager) && e.path("operation").asString().equals(operation)) return e;
    }
    return null;
  }

  static String fields(ObjectNode o, String manager, String operation) {
    JsonNode e = entry(o, manager, operation);
    return e == null ? null : Json.MAPPER.writeValueAsString(e.get("fieldsV1")).replace('"', '\'');
  }

  static List<String> managers(ObjectNode o) {
    return o.at("/metadata/managedFields").valueStream().map(e -> e.path("manager").asString() + "/" + e.path("operation").asString()).toList();
  }

  static final String DEPLOYMENT = """
      {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','creationTimestamp':null,'labels':{'app':'web'}},
       'spec':{'replicas':1,'selector':{'matchLabels':{'app':'web'}},
        'template':{'metadata':{'creationTimestamp':null,'labels':{'app':'web'}},
          'spec':{'containers':[{'name':'nginx','image':'nginx','resources':{}}]}},'strategy':{}},'status':{}}""";

  // ---------------------------------------------------------------- Update

  @Test
  void createRecordsWhatTheCreatorSetAsUpstreamEncodesIt() {
    ObjectNode d = create(deployments, DEPLOYMENT, "kubectl-create");
    JsonNode e = entry(d, "kubectl-create", "Update");
    assertThat(e.path("apiVersion").asString()).isEqualTo("apps/v1");
    assertThat(e.path("time").asString()).isEqualTo("2024-05-01T10:00:00Z");
    assertThat(e.path("fieldsType").asString()).isEqualTo("FieldsV1");
    assertThat(e.has("subresource")).isFalse();
    JsonNode f = e.get("fieldsV1");
    assertThat(f.at("/f:metadata/f:labels").propertyNames()).containsExactly(".", "f:app");
    assertThat(f.at("/f:metadata").has(".")).isFalse();
    assertThat(f.at("/f:metadata").has("f:name")).isFalse();
    JsonNode spec = f.get("f:spec");
    assertThat(spec.has(".")).isFalse();
    assertThat(spec.get("f:selector").isEmpty()).isTrue(); // LabelSelector is atomic
    assertThat(spec.get("f:replicas").isEmpty()).isTrue();
    assertThat(spec.at("/f:template").has(".")).isFalse();
    assertThat(spec.at("/f:template/f:spec/f:containers").has(".")).isFalse();
    JsonNode item = spec.at("/f:template/f:spec/f:containers").get("k:{\"name\":\"nginx\"}");
    assertThat(item.has(".")).isTrue();
    assertThat(item.has("f:image")).isTrue();
    assertThat(item.has("f:imagePullPolicy")).as("defaults belong to the creator").isTrue();
    assertThat(f.has("f:status")).isFalse();
  }

  @Test
  void updatesTakeChangedFieldsAndDropEmptyEntries() {
    create(configMaps, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm','labels':{'a':'1'}},'data':{'k':'v'}}", "creator");
    clock.tick();
    ObjectNode o = mergePatch(configMaps, "cm", "{'data':{'k':'w','j':'x'}}", "editor");
    // the creator keeps the existence of data (".", shown as {} once its keys went), as upstream
    assertThat(fields(o, "creator", "Update")).isEqualTo("{'f:data':{},'f:metadata':{'f:labels':{'.':{},'f:a':{}}}}");
    assertThat(fields(o, "editor", "Update")).isEqualTo("{'f:data':{'f:j':{},'f:k':{}}}");
    assertThat(entry(o, "editor", "Update").path("time").asString()).isEqualTo("2024-05-01T10:01:01Z");
    assertThat(entry(o, "creator", "Update").path("time").asString()).isEqualTo("2024-05-01T10:00:00Z");
    o = mergePatch(configMaps, "cm", "{'metadata':{'labels':null},'data':null}", "editor");
    assertThat(managers(o)).isEmpty();
    assertThat(o.at("/metadata").has("managedFields")).isFalse();
  }

  @Test
  void aWriterRewritingFieldsItOwnsKeepsItsSetAndTakesThemFromOthers() {
    create(configMaps, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},'data':{'k':'v','j':'1'}}", "holder");
    String holderFields = fields(mergePatch(configMaps, "cm", "{'data':{'k':'w'}}", "holder"), "holder", "Update");
    clock.tick();
    ObjectNode o = mergePatch(configMaps, "cm", "{'data':{'k':'x'}}", "holder");
    assertThat(fields(o, "holder", "Update")).isEqualTo(holderFields).isEqualTo("{'f:data':{'.':{},'f:j':{},'f:k':{}}}");
    assertThat(entry(o, "holder", "Update").path("time").asString()).as("the rewrite is recorded").isEqualTo("2024-05-01T10:01:01Z");

    o = mergePatch(configMaps, "cm", "{'data':{'k':'y'}}", "other");
    assertThat(fields(o, "holder", "Update")).isEqualTo("{'f:data':{'.':{},'f:j':{}}}");
    assertThat(fields(o, "other", "Update")).isEqualTo("{'f:data':{'f:k':{}}}");

    o = mergePatch(configMaps, "cm", "{'data':{'k':'z','j':null}}", "holder");
    assertThat(fields(o, "holder", "Update")).as("k back, j removed with the field").isEqualTo("{'f:data':{'.':{},'f:k':{}}}");
    assertThat(managers(o)).containsExactly("holder/Update");
  }

  @Test
  void unchangedWritesKeepManagedFieldsAndRevision() {
    ObjectNode created = create(configMaps, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},'data':{'k':'v'}}", "creator");
    clock.tick();
    ObjectNode o = mergePatch(configMaps, "cm", "{'data':{'k':'v'}}", "other");
    assertThat(o.at("/metadata/resourceVersion")).isEqualTo(created.at("/metadata/resourceVersion"));
    assertThat(o.at("/metadata/managedFields")).isEqualTo(created.at("/metadata/managedFields"));
  }

  @Test
  void anEmptyEntryClearsManagedFieldsButAnEmptyListKeepsThem() {
    create(configMaps, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},'data':{'k':'v'}}", "creator");
    ObjectNode kept = mergePatch(configMaps, "cm", "{'metadata':{'managedFields':[]},'data':{'x':'y'}}", "editor");
    assertThat(managers(kept)).containsExactly("creator/Update", "editor/Update");
    ObjectNode reset = mergePatch(configMaps, "cm", "{'metadata':{'managedFields':[{}]}}", "editor");
    assertThat(reset.at("/metadata").has("managedFields")).isFalse();
    ObjectNode after = mergePatch(configMaps, "cm", "{'data':{'z':'1'}}", "late");
    assertThat(managers(after)).containsExactly("late/Update");
    // reset and change in one request: the writer owns what it changed
    ObjectNode both = mergePatch(configMaps, "cm", "{'metadata':{'managedFields':[{}]},'data':{'w':'2'}}", "both");
    assertThat(managers(both)).containsExactly("both/Update");
    assertThat(fields(both, "both", "Update")).isEqualTo("{'f:data':{'f:w':{}}}");
  }

  @Test
  void managedFieldsThatDoNotDecodeAreIgnored() {
    create(configMaps, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},'data':{'k':'v'}}", "creator");
    ObjectNode o = mergePatch(configMaps, "cm", "{'metadata':{'managedFields':[{'manager':'x','operation':'Foo'}]},'data':{'j':'w'}}", "editor");
    assertThat(managers(o)).containsExactly("creator/Update", "editor/Update");
  }

  @Test
  void clientsMayRewriteManagedFields() {
    create(configMaps, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},'data':{'k':'v'}}", "creator");
    ObjectNode o = mergePatch(configMaps, "cm", "{'metadata':{'managedFields':[{'manager':'kubectl','operation':'Apply','apiVersion':'v1',"
        + "'fieldsType':'FieldsV1','fieldsV1':{'f:data':{'f:k':{}}}}]}}", "kubectl");
    assertThat(managers(o)).containsExactly("kubectl/Apply");
  }

  @Test
  void statusWritesAreRecordedWithTheirSubresource() {
    create(deployments, DEPLOYMENT, "kubectl-create");
    ObjectNode o = generic.guaranteedUpdate(deployments, "default", "web", "status", by("controller"), cur -> {
      cur.withObject("status").put("replicas", 1);
      return cur;
    }, null).object();
    JsonNode e = entry(o, "controller", "Update");
    assertThat(e.path("subresource").asString()).isEqualTo("status");
    assertThat(Json.MAPPER.writeValueAsString(e.get("fieldsV1"))).isEqualTo("{\"f:status\":{\"f:replicas\":{}}}");
  }

  @Test
  void olderUpdateManagersAreMergedIntoAncientChanges() {
    create(configMaps, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},'data':{'k0':'v'}}", "m0");
    ObjectNode o = null;
    for (int i = 1; i <= 11; i++) {
      clock.tick();
      o = mergePatch(configMaps, "cm", "{'data':{'k" + i + "':'v'}}", "m" + i);
    }
    assertThat(managers(o)).hasSize(10).contains("ancient-changes/Update").doesNotContain("m0/Update", "m1/Update", "m2/Update");
    assertThat(fields(o, "ancient-changes", "Update")).isEqualTo("{'f:data':{'.':{},'f:k0':{},'f:k1':{},'f:k2':{}}}");
  }

  @Test
  void internalWritesWithoutAManagerRecordNothing() {
    ObjectNode o = generic.create(configMaps, "default", json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},'data':{'k':'v'}}"), by(null));
    assertThat(o.at("/metadata").has("managedFields")).isFalse();
  }

  // ---------------------------------------------------------------- Apply

  static final String APPLIED = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: nginx
              image: nginx:1.25
              ports: [{containerPort: 80}]
      """;

  @Test
  void applyCreatesAndOwnsExactlyItsConfiguration() {
    ObjectNode d = apply(deployments, "web", APPLIED, "kubectl");
    assertThat(managers(d)).containsExactly("kubectl/Apply");
    assertThat(fields(d, "kubectl", "Apply")).isEqualTo(("{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:replicas':{},'f:selector':{},"
        + "'f:template':{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:containers':{'k:{\\'name\\':\\'nginx\\'}':{'.':{},"
        + "'f:image':{},'f:name':{},'f:ports':{'k:{\\'containerPort\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:containerPort':{}}}}}}}}}"));
    assertThat(d.at("/spec/template/spec/containers/0/imagePullPolicy").asString()).isEqualTo("IfNotPresent"); // defaulted, unowned
    assertThat(d.at("/metadata/generation").asLong()).isEqualTo(1);
  }

  @Test
  void reapplyingIsANoOp() {
    ObjectNode first = apply(deployments, "web", APPLIED, "kubectl");
    clock.tick();
    ObjectNode again = apply(deployments, "web", APPLIED, "kubectl");
    assertThat(again.at("/metadata/resourceVersion")).isEqualTo(first.at("/metadata/resourceVersion"));
    assertThat(again.at("/metadata/managedFields")).isEqualTo(first.at("/metadata/managedFields"));
  }

  @Test
  void changingAFieldAnotherManagerOwnsConflictsUnlessForced() {
    apply(deployments, "web", APPLIED, "kubectl");
    mergePatch(deployments, "web", "{'spec':{'replicas':5}}", "kubectl-scale");
    assertThatThrownBy(() -> apply(deployments, "web", APPLIED, "kubectl"))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(409);
          assertThat(e.reason()).isEqualTo("Conflict");
          assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas");
          assertThat(e.causes()).containsExactly(new StatusException.Cause("FieldManagerConflict", "conflict with \"kubectl-scale\" using apps/v1", ".spec.replicas"));
        });
    ObjectNode forced = apply(deployments, "web", "", APPLIED, "kubectl", true);
    assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(managers(forced)).containsExactly("kubectl/Apply");
  }

  @Test
  void applyingTheSameValueSharesOwnership() {
    apply(deployments, "web", APPLIED, "kubectl");
    ObjectNode o = apply(deployments, "web", "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 2}}", "other");
    assertThat(fields(o, "other", "Apply")).isEqualTo("{'f:spec':{'f:replicas':{}}}");
    // kubectl drops replicas: other still owns it, so it stays
    o = apply(deployments, "web", APPLIED.replace("  replicas: 2\n", ""), "kubectl");
    assertThat(o.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(e(() -> apply(deployments, "web", APPLIED.replace("replicas: 2", "replicas: 3"), "kubectl")).getMessage())
        .isEqualTo("Apply failed with 1 conflict: conflict with \"other\": .spec.replicas");
  }

  @Test
  void fieldsDroppedFromTheConfigurationAreRemoved() {
    apply(deployments, "web", APPLIED.replace("labels: {app: web}\nspec", "labels: {app: web, tier: x}\nspec"), "kubectl");
    String dropped = APPLIED.replace("  replicas: 2\n", "").replace("        ports: [{containerPort: 80}]\n", "");
    ObjectNode o = apply(deployments, "web", dropped, "kubectl");
    assertThat(o.at("/metadata/labels").propertyNames()).containsExactly("app");
    assertThat(o.at("/spec/replicas").asInt()).as("reset to its default").isEqualTo(1);
    assertThat(o.at("/spec/template/spec/containers/0").has("ports")).isFalse();
    assertThat(fields(o, "kubectl", "Apply")).doesNotContain("f:replicas", "f:ports");
  }

  @Test
  void listItemsOfOtherManagersSurviveAndOwnItemsGo() {
    apply(deployments, "web", APPLIED, "kubectl");
    mergePatch(deployments, "web", "{'metadata':{'finalizers':['example.com/keep']}}", "controller");
    String twoContainers = APPLIED.replace("        ports: [{containerPort: 80}]\n", "        ports: [{containerPort: 80}]\n      - name: side\n        image: busybox\n");
    ObjectNode o = apply(deployments, "web", twoContainers, "kubectl");
    assertThat(o.at("/spec/template/spec/containers").valueStream().map(c -> c.path("name").asString()).toList()).containsExactly("nginx", "side");
    o = apply(deployments, "web", APPLIED, "kubectl");
    assertThat(o.at("/spec/template/spec/containers").valueStream().map(c -> c.path("name").asString()).toList()).containsExactly("nginx");
    assertThat(o.at("/metadata/finalizers/0").asString()).isEqualTo("example.com/keep");
    assertThat(fields(o, "controller", "Update")).isEqualTo("{'f:metadata':{'f:finalizers':{'.':{},'v:\\'example.com/keep\\'':{}}}}");
  }

  @Test
  void applyToStatusOwnsOnlyStatus() {
    apply(deployments, "web", APPLIED, "kubectl");
    ObjectNode o = apply(deployments, "web", "status", APPLIED.replace("replicas: 2", "replicas: 9") + "status: {replicas: 3}\n", "ctl", false);
    assertThat(o.at("/status/replicas").asInt()).isEqualTo(3);
    assertThat(o.at("/spec/replicas").asInt()).isEqualTo(2);
    JsonNode e = entry(o, "ctl", "Apply");
    assertThat(e.path("subresource").asString()).isEqualTo("status");
    assertThat(fields(o, "ctl", "Apply")).isEqualTo("{'f:metadata':{'f:labels':{'f:app':{}}},'f:status':{'f:replicas':{}}}");
  }

  @Test
  void kubectlTakesOverFromClientSideApplyWhereLastAppliedMatches() {
    String lastApplied = "{\"apiVersion\":\"v1\",\"data\":{\"k\":\"v\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"}}\n";
    ObjectNode cm = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},'data':{'k':'v','other':'o'}}");
    cm.withObject("metadata").putObject("annotations").put(ApplyPatch.LAST_APPLIED, lastApplied);
    generic.create(configMaps, "default", cm, by("kubectl-client-side-apply"));
    String config = "{apiVersion: v1, kind: ConfigMap, metadata: {name: cm}, data: {k: changed, other: changed}}";
    StatusException e = e(() -> apply(configMaps, "cm", config, "kubectl"));
    assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.other");
    ObjectNode o = apply(configMaps, "cm", config.replace("other: changed", "other: o"), "kubectl");
    assertThat(o.at("/data/k").asString()).isEqualTo("changed");
    assertThat(o.at("/metadata/annotations").get(ApplyPatch.LAST_APPLIED).asString())
        .isEqualTo("{\"apiVersion\":\"v1\",\"data\":{\"k\":\"changed\",\"other\":\"o\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"}}\n");
    assertThat(e(() -> apply(configMaps, "cm", config, "someone")).getMessage()).contains("conflict");
    // An applied configuration whose only annotation was last-applied keeps an empty map there, as upstream does.
    ObjectNode again = apply(configMaps, "cm",
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: cm, annotations: {}}, data: {k: changed, other: o}}", "kubectl");
    assertThat(again.at("/metadata/annotations").get(ApplyPatch.LAST_APPLIED).asString())
        .isEqualTo("{\"apiVersion\":\"v1\",\"data\":{\"k\":\"changed\",\"other\":\"o\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"cm\"}}\n");
  }

  @Test
  void objectsWithoutManagedFieldsGetABeforeFirstApplyOwner() {
    generic.create(configMaps, "default", json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},'data':{'k':'v'}}"), by(null));
    ObjectNode o = apply(configMaps, "cm", "{apiVersion: v1, kind: ConfigMap, metadata: {name: cm}, data: {j: w}}", "kubectl");
    assertThat(managers(o)).containsExactly("kubectl/Apply", "before-first-apply/Update");
    assertThat(fields(o, "before-first-apply", "Update")).isEqualTo("{'f:data':{'.':{},'f:k':{}}}");
  }

  @Test
  void applyRequestsAreChecked() {
    assertThat(e(() -> apply(configMaps, "cm", "{apiVersion: v1, kind: ConfigMap, metadata: {name: cm}}", null)).getMessage())
        .isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    assertThat(e(() -> apply(configMaps, "cm", "{apiVersion: v2, kind: ConfigMap, metadata: {name: cm}}", "m")).getMessage())
        .isEqualTo("Incorrect version specified in apply patch. Specified patch version: v2, expected: v1");
    assertThat(e(() -> apply(configMaps, "cm", "{apiVersion: v1, kind: ConfigMap, metadata: {name: cm, managedFields: []}}", "m")).getMessage())
        .isEqualTo("metadata.managedFields must be nil");
    assertThat(e(() -> apply(configMaps, "cm", "{apiVersion: v1, kind: ConfigMap, metadata: {name: other}}", "m")).getMessage())
        .isEqualTo("the name of the object (other) does not match the name on the URL (cm)");
    assertThat(e(() -> apply(configMaps, "cm", "[1]", "m")).code()).isEqualTo(400);
    StatusException missingKey = e(() -> apply(deployments, "web", APPLIED.replace("- name: nginx\n        image", "- image"), "m"));
    assertThat(missingKey.code()).isEqualTo(500);
    assertThat(missingKey.getMessage()).contains(".spec.template.spec.containers: element 0: associative list with keys has an element that omits key field \"name\"");
  }

  static StatusException e(Runnable r) {
    try {
      r.run();
    } catch (StatusException e) {
      return e;
    }
    throw new AssertionError("no StatusException");
  }
}
