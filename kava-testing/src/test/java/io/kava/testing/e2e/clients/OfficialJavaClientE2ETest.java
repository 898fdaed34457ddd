package io.kava.testing.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.kava.testing.KavaCluster;
import io.kava.testing.Poll;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Yaml;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.io.StringReader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The official Java client (io.kubernetes:client-java) against kava: typed CRUD, watches resumed from a
 * resourceVersion, shared informers with resync, every PatchUtils patch type including server-side apply, and
 * GenericKubernetesApi (the dynamic flavour) on a CRD with its status subresource. It authenticates with the
 * kubeconfig's client certificate and ECDSA key, as written by kava.
 */
@Tag("e2e")
class OfficialJavaClientE2ETest {
  static KavaCluster cluster;
  static ApiClient client;
  static CoreV1Api core;

  @BeforeAll
  static void start() throws Exception {
    cluster = KavaCluster.start();
    KubeConfig kubeconfig = KubeConfig.loadKubeConfig(new StringReader(Files.readString(cluster.kubeconfig())));
    // No read timeout: watches stay open until the server ends them.
    client = ClientBuilder.kubeconfig(kubeconfig).setReadTimeout(Duration.ZERO).build();
    core = new CoreV1Api(client);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  static String namespace(String name) throws ApiException {
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
    // the root-ca-cert-publisher's ConfigMap is there before the test watches (as Fabric8ClientE2ETest.namespace waits)
    eventually(() -> {
      try {
        core.readNamespacedConfigMap(Fabric8ClientE2ETest.ROOT_CA, name).execute();
        return true;
      } catch (ApiException e) {
        return false;
      }
    }, () -> "no " + Fabric8ClientE2ETest.ROOT_CA + " in " + name);
    return name;
  }

  static V1ConfigMap cm(String name, Map<String, String> data) {
    return new V1ConfigMap().apiVersion("v1").kind("ConfigMap").metadata(new V1ObjectMeta().name(name)).data(data);
  }

  static <T> T next(BlockingQueue<T> q) throws InterruptedException {
    T t = q.poll(60, TimeUnit.SECONDS);
    assertThat(t).as("nothing within 60 s").isNotNull();
    return t;
  }

  static void eventually(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> state) {
    Poll.until(done, state);
  }

  @Test
  void coreV1Crud() throws Exception {
    String ns = namespace("jc-crud");
    V1ConfigMap created = core.createNamespacedConfigMap(ns, cm("cfg", Map.of("mode", "fast"))).execute();
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    // client-java 25's models read no managedFields (its V1ObjectMeta drops them), so look at the raw object.
    assertThat(raw("/api/v1/namespaces/" + ns + "/configmaps/cfg").getAsJsonObject("metadata").get("managedFields").toString())
        .contains("\"manager\":\"Kubernetes Java Client\",\"operation\":\"Update\"");
    assertThatThrownBy(() -> core.createNamespacedConfigMap(ns, cm("cfg", Map.of())).execute())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    V1ConfigMap read = core.readNamespacedConfigMap("cfg", ns).execute();
    read.getData().put("size", "small");
    V1ConfigMap replaced = core.replaceNamespacedConfigMap("cfg", ns, read).execute();
    assertThat(replaced.getData()).containsEntry("size", "small");
    assertThat(Long.parseLong(replaced.getMetadata().getResourceVersion())).isGreaterThan(Long.parseLong(read.getMetadata().getResourceVersion()));
    assertThatThrownBy(() -> core.replaceNamespacedConfigMap("cfg", ns, read).execute()) // stale resourceVersion
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getResponseBody()).contains("the object has been modified");
        });

    V1ConfigMapList page = core.listNamespacedConfigMap(ns).limit(1).execute();
    assertThat(page.getItems()).hasSize(1);
    assertThat(page.getMetadata().getResourceVersion()).isNotEmpty();

    V1Deployment d = new AppsV1Api(client).createNamespacedDeployment(ns, new V1Deployment().apiVersion("apps/v1").kind("Deployment")
        .metadata(new V1ObjectMeta().name("web"))
        .spec(new V1DeploymentSpec().selector(new V1LabelSelector().matchLabels(Map.of("app", "web")))
            .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(Map.of("app", "web")))
                .spec(new V1PodSpec().containers(List.of(new V1Container().name("web").image("busybox:1.36"))))))).execute();
    assertThat(d.getSpec().getReplicas()).isEqualTo(1); // defaulted by the server

    V1Status deleted = core.deleteNamespacedConfigMap("cfg", ns).execute();
    assertThat(deleted).isNotNull();
    assertThatThrownBy(() -> core.readNamespacedConfigMap("cfg", ns).execute())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  record Event(String type, String name, String rv, String mode) {}

  /** Reads a watch on a thread of its own, queueing what arrives. */
  static Thread drain(Watch<V1ConfigMap> watch, BlockingQueue<Event> out) {
    return Thread.ofVirtual().start(() -> {
      try (watch) {
        for (Watch.Response<V1ConfigMap> r : watch) {
          if (r.object != null && Fabric8ClientE2ETest.ROOT_CA.equals(r.object.getMetadata().getName())) continue;
          if (r.object == null) out.add(new Event(r.type, null, null, r.status == null ? null : r.status.getMessage()));
          else out.add(new Event(r.type, r.object.getMetadata().getName(), r.object.getMetadata().getResourceVersion(),
              r.object.getData() == null ? null : r.object.getData().get("mode")));
        }
      } catch (Exception e) {
        // closed by the test
      }
    });
  }

  static Watch<V1ConfigMap> watch(String ns, String rv) throws ApiException {
    return Watch.createWatch(client, core.listNamespacedConfigMap(ns).watch(true).resourceVersion(rv).timeoutSeconds(120).buildCall(null),
        new TypeToken<Watch.Response<V1ConfigMap>>() {}.getType());
  }

  @Test
  void watchResumesFromAResourceVersion() throws Exception {
    String ns = namespace("jc-watch");
    String listRv = core.listNamespacedConfigMap(ns).execute().getMetadata().getResourceVersion();
    BlockingQueue<Event> first = new LinkedBlockingQueue<>();
    Watch<V1ConfigMap> w = watch(ns, listRv);
    Thread t = drain(w, first);
    core.createNamespacedConfigMap(ns, cm("a", Map.of("mode", "1"))).execute();
    mergePatch(ns, "a", "{\"data\":{\"mode\":\"2\"}}");
    Event added = next(first);
    Event modified = next(first);
    assertThat(added.type() + " " + modified.type() + " " + modified.mode()).isEqualTo("ADDED MODIFIED 2");
    w.close();
    t.join(10_000);

    mergePatch(ns, "a", "{\"data\":{\"mode\":\"3\"}}");
    core.createNamespacedConfigMap(ns, cm("b", Map.of("mode", "x"))).execute();
    core.deleteNamespacedConfigMap("a", ns).execute();
    BlockingQueue<Event> resumed = new LinkedBlockingQueue<>();
    Watch<V1ConfigMap> w2 = watch(ns, modified.rv());
    drain(w2, resumed);
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Event e = next(resumed);
      seen.add(e.type() + " " + e.name() + " " + e.mode());
    }
    assertThat(seen).containsExactly("MODIFIED a 3", "ADDED b x", "DELETED a 3");
    assertThat(resumed.poll(300, TimeUnit.MILLISECONDS)).isNull();
    w2.close();
  }

  @Test
  void informersSeeChangesAndResync() throws Exception {
    String ns = namespace("jc-inform");
    core.createNamespacedConfigMap(ns, cm("before", Map.of("mode", "0"))).execute();
    SharedInformerFactory factory = new SharedInformerFactory(client);
    SharedIndexInformer<V1ConfigMap> informer = factory.sharedIndexInformerFor(
        params -> core.listNamespacedConfigMap(ns).resourceVersion(params.resourceVersion).watch(params.watch)
            .timeoutSeconds(params.timeoutSeconds).buildCall(null),
        V1ConfigMap.class, V1ConfigMapList.class, 1000); // the informer's resync check period: 0 would disable resyncs
    List<String> log = new CopyOnWriteArrayList<>();
    AtomicInteger resyncs = new AtomicInteger();
    informer.addEventHandlerWithResyncPeriod(new ResourceEventHandler<>() {
      @Override public void onAdd(V1ConfigMap c) { if (!Fabric8ClientE2ETest.ROOT_CA.equals(c.getMetadata().getName())) log.add("add " + c.getMetadata().getName()); }

      @Override
      public void onUpdate(V1ConfigMap old, V1ConfigMap c) {
        if (Fabric8ClientE2ETest.ROOT_CA.equals(c.getMetadata().getName())) return;
        if (old.getMetadata().getResourceVersion().equals(c.getMetadata().getResourceVersion())) resyncs.incrementAndGet();
        else log.add("update " + c.getMetadata().getName() + " " + c.getData().get("mode"));
      }

      @Override public void onDelete(V1ConfigMap c, boolean unknownFinalState) {
        if (!Fabric8ClientE2ETest.ROOT_CA.equals(c.getMetadata().getName())) log.add("delete " + c.getMetadata().getName());
      }
    }, 1000);
    factory.startAllRegisteredInformers();
    try {
      eventually(informer::hasSynced, () -> "not synced");
      core.createNamespacedConfigMap(ns, cm("x", Map.of("mode", "1"))).execute();
      mergePatch(ns, "x", "{\"data\":{\"mode\":\"2\"}}");
      core.deleteNamespacedConfigMap("x", ns).execute();
      eventually(() -> log.size() >= 4, log::toString);
      assertThat(log).containsExactly("add before", "add x", "update x 2", "delete x");
      assertThat(informer.getIndexer().listKeys()).filteredOn(k -> !k.endsWith("/" + Fabric8ClientE2ETest.ROOT_CA)).containsExactly(ns + "/before");
      int r = resyncs.get();
      eventually(() -> resyncs.get() >= r + 2, () -> "resyncs: " + resyncs.get());
      assertThat(log).hasSize(4);
    } finally {
      factory.stopAllRegisteredInformers();
    }
  }

  /** A merge patch: a PATCH needs its patch type named (PatchUtils), else it goes out as application/json (415, as upstream). */
  static V1ConfigMap mergePatch(String ns, String name, String body) throws ApiException {
    return patch(ns, name, V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, body, null, null);
  }

  /** GET of a path through the client's own HTTP client, as JSON. */
  static com.google.gson.JsonObject raw(String path) throws Exception {
    try (okhttp3.Response r = client.getHttpClient().newCall(new okhttp3.Request.Builder().url(client.getBasePath() + path).build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      return com.google.gson.JsonParser.parseString(r.body().string()).getAsJsonObject();
    }
  }

  static V1ConfigMap patch(String ns, String name, String format, String body, String fieldManager, Boolean force) throws ApiException {
    return PatchUtils.patch(V1ConfigMap.class,
        () -> core.patchNamespacedConfigMap(name, ns, new V1Patch(body)).fieldManager(fieldManager).force(force).buildCall(null),
        format, client);
  }

  @Test
  void patchesOfEveryPatchUtilsType() throws Exception {
    String ns = namespace("jc-patch");
    core.createNamespacedConfigMap(ns, cm("p", Map.of("a", "1"))).execute();
    assertThat(patch(ns, "p", V1Patch.PATCH_FORMAT_JSON_PATCH, "[{\"op\":\"add\",\"path\":\"/data/b\",\"value\":\"2\"}]", null, null).getData())
        .isEqualTo(Map.of("a", "1", "b", "2"));
    assertThat(patch(ns, "p", V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, "{\"data\":{\"a\":null,\"c\":\"3\"}}", null, null).getData())
        .isEqualTo(Map.of("b", "2", "c", "3"));
    assertThat(patch(ns, "p", V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, "{\"data\":{\"$retainKeys\":[\"c\"],\"c\":\"4\"}}", null, null).getData())
        .isEqualTo(Map.of("c", "4"));

    // Strategic merge on a list with a merge key
    AppsV1Api apps = new AppsV1Api(client);
    apps.createNamespacedDeployment(ns, new V1Deployment().apiVersion("apps/v1").kind("Deployment").metadata(new V1ObjectMeta().name("web"))
        .spec(new V1DeploymentSpec().selector(new V1LabelSelector().matchLabels(Map.of("app", "web")))
            .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(Map.of("app", "web")))
                .spec(new V1PodSpec().containers(List.of(new V1Container().name("web").image("busybox:1.36"),
                    new V1Container().name("side").image("busybox:1.36"))))))).execute();
    V1Deployment d = PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment("web", ns,
        new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"busybox:1.37\"}]}}}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers()).extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactly("web=busybox:1.36", "side=busybox:1.37");

    // Server-side apply (YAML body), conflicts, force.
    String applied = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: v\n";
    V1ConfigMap ssa = patch(ns, "ssa", V1Patch.PATCH_FORMAT_APPLY_YAML, applied, "jc", null);
    assertThat(ssa.getData()).isEqualTo(Map.of("k", "v"));
    assertThat(raw("/api/v1/namespaces/" + ns + "/configmaps/ssa").getAsJsonObject("metadata").get("managedFields").toString())
        .contains("\"manager\":\"jc\",\"operation\":\"Apply\"");
    assertThatThrownBy(() -> patch(ns, "ssa", V1Patch.PATCH_FORMAT_APPLY_YAML, applied.replace("k: v", "k: w"), "other", null))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getResponseBody()).contains("Apply failed with 1 conflict: conflict with \\\"jc\\\": .data.k");
        });
    assertThat(patch(ns, "ssa", V1Patch.PATCH_FORMAT_APPLY_YAML, applied.replace("k: v", "k: w"), "other", true).getData())
        .isEqualTo(Map.of("k", "w"));
    // JSON is YAML: an apply body in JSON works too.
    assertThat(patch(ns, "ssa", V1Patch.PATCH_FORMAT_APPLY_YAML,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ssa\"},\"data\":{\"k\":\"w\",\"j\":\"x\"}}", "other", null).getData())
        .isEqualTo(Map.of("k", "w", "j", "x"));
  }

  static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: gizmos.jc.example.com}
      spec:
        group: jc.example.com
        scope: Namespaced
        names: {plural: gizmos, singular: gizmo, kind: Gizmo}
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    size: {type: integer}
                status:
                  type: object
                  properties:
                    phase: {type: string}
      """;

  static DynamicKubernetesObject gizmo(String name, int size) {
    JsonObject o = new JsonObject();
    o.addProperty("apiVersion", "jc.example.com/v1");
    o.addProperty("kind", "Gizmo");
    JsonObject meta = new JsonObject();
    meta.addProperty("name", name);
    o.add("metadata", meta);
    JsonObject spec = new JsonObject();
    spec.addProperty("size", size);
    o.add("spec", spec);
    return new DynamicKubernetesObject(o);
  }

  @Test
  void genericApiOnACustomResource() throws Exception {
    ApiextensionsV1Api ext = new ApiextensionsV1Api(client);
    ext.createCustomResourceDefinition(Yaml.loadAs(CRD, V1CustomResourceDefinition.class)).execute();
    eventually(() -> {
      try {
        var status = ext.readCustomResourceDefinition("gizmos.jc.example.com").execute().getStatus();
        return status != null && status.getConditions() != null && status.getConditions().stream()
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
      } catch (ApiException e) {
        return false;
      }
    }, () -> "CRD not established");
    String ns = namespace("jc-cr");
    DynamicKubernetesApi gizmos = new DynamicKubernetesApi("jc.example.com", "v1", "gizmos", client);

    KubernetesApiResponse<DynamicKubernetesObject> created = gizmos.create(ns, gizmo("g", 1), new io.kubernetes.client.util.generic.options.CreateOptions());
    assertThat(created.isSuccess()).as(String.valueOf(created.getStatus())).isTrue();
    assertThat(created.getObject().getMetadata().getGeneration()).isEqualTo(1L);
    KubernetesApiResponse<DynamicKubernetesObject> missing = gizmos.get(ns, "absent");
    assertThat(missing.getHttpStatusCode()).isEqualTo(404);
    assertThat(missing.getStatus().getReason()).isEqualTo("NotFound");

    DynamicKubernetesObject got = gizmos.get(ns, "g").throwsApiException().getObject();
    got.getRaw().getAsJsonObject("spec").addProperty("size", 2);
    DynamicKubernetesObject updated = gizmos.update(got).throwsApiException().getObject();
    assertThat(updated.getRaw().getAsJsonObject("spec").get("size").getAsInt()).isEqualTo(2);
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);

    // The status subresource takes the status and nothing else.
    JsonObject status = new JsonObject();
    status.addProperty("phase", "Ready");
    updated.getRaw().add("status", status);
    updated.getRaw().getAsJsonObject("spec").addProperty("size", 99);
    // GenericKubernetesApi.updateStatus sends its JSON patch as application/json, which upstream refuses too (415).
    KubernetesApiResponse<DynamicKubernetesObject> refused = gizmos.updateStatus(updated, o -> o.getRaw().get("status"));
    assertThat(refused.getHttpStatusCode()).isEqualTo(415);
    assertThat(refused.getStatus().getReason()).isEqualTo("UnsupportedMediaType");
    Object replaced = new io.kubernetes.client.openapi.apis.CustomObjectsApi(client)
        .replaceNamespacedCustomObjectStatus("jc.example.com", "v1", ns, "gizmos", "g", updated.getRaw()).execute();
    assertThat(replaced).isNotNull();
    DynamicKubernetesObject withStatus = gizmos.get(ns, "g").throwsApiException().getObject();
    assertThat(withStatus.getRaw().getAsJsonObject("status").get("phase").getAsString()).isEqualTo("Ready");
    assertThat(withStatus.getRaw().getAsJsonObject("spec").get("size").getAsInt()).isEqualTo(2);
    assertThat(withStatus.getMetadata().getGeneration()).isEqualTo(2L);

    DynamicKubernetesObject merged = gizmos.patch(ns, "g", V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
        new V1Patch("{\"spec\":{\"size\":3}}")).throwsApiException().getObject();
    assertThat(merged.getRaw().getAsJsonObject("spec").get("size").getAsInt()).isEqualTo(3);
    PatchOptions apply = new PatchOptions();
    apply.setFieldManager("jc");
    apply.setForce(true);
    DynamicKubernetesObject applied = gizmos.patch(ns, "g", V1Patch.PATCH_FORMAT_APPLY_YAML,
        new V1Patch("apiVersion: jc.example.com/v1\nkind: Gizmo\nmetadata: {name: g}\nspec: {size: 4}\n"), apply).throwsApiException().getObject();
    assertThat(applied.getRaw().getAsJsonObject("spec").get("size").getAsInt()).isEqualTo(4);

    assertThat(gizmos.list(ns).throwsApiException().getObject().getItems()).extracting(o -> o.getMetadata().getName()).containsExactly("g");
    // An informer on the generic API
    SharedInformerFactory factory = new SharedInformerFactory(client);
    SharedIndexInformer<DynamicKubernetesObject> informer = factory.sharedIndexInformerFor(gizmos, DynamicKubernetesObject.class, 0, ns);
    factory.startAllRegisteredInformers();
    try {
      eventually(informer::hasSynced, () -> "not synced");
      assertThat(informer.getIndexer().listKeys()).containsExactly(ns + "/g");
      assertThat(gizmos.delete(ns, "g").isSuccess()).isTrue();
      eventually(() -> informer.getIndexer().listKeys().isEmpty(), () -> "still cached: " + informer.getIndexer().listKeys());
    } finally {
      factory.stopAllRegisteredInformers();
    }
  }
}
