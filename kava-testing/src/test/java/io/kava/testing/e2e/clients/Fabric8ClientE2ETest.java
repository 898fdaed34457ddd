package io.kava.testing.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import io.kava.testing.KavaCluster;
import io.kava.testing.Poll;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fabric8 client against kava, as a controller or test harness uses it: CRUD of built-in kinds, paginated lists,
 * watches that resume from a resourceVersion (and see 410 Gone), shared informers with resync, every patch type,
 * and a typed custom resource with its status subresource.
 */
@Tag("e2e")
class Fabric8ClientE2ETest {
  static KavaCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = KavaCluster.start();
    client = client(true);
  }

  /** A client for the cluster's admin kubeconfig; {@code httpWatches} false lets fabric8 watch over WebSocket. */
  static KubernetesClient client(boolean httpWatches) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
    config.setClientKeyAlgo("EC"); // kava's admin key is ECDSA (PKCS#8), which fabric8 would read as RSA
    config.setOnlyHttpWatches(httpWatches);
    // generous: the machines that run these suites are shared and often loaded (fabric8's default is 10 s)
    config.setConnectionTimeout(60_000);
    config.setRequestTimeout(60_000);
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new Vertx5HttpClientFactory()).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (cluster != null) cluster.close();
  }

  static String namespace(String name) { return namespace(client, name); }

  /** The ConfigMap the root-ca-cert-publisher keeps in every namespace, at a moment of its choosing: watches skip it. */
  static final String ROOT_CA = "kube-root-ca.crt";

  /** A new namespace, once the root-ca-cert-publisher has put its ConfigMap there (so later watches do not see it come). */
  static String namespace(KubernetesClient client, String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    eventually(() -> client.configMaps().inNamespace(name).withName(ROOT_CA).get() != null, () -> "no " + ROOT_CA + " in " + name);
    return name;
  }

  static ConfigMap cm(String ns, String name, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata().withData(data).build();
  }

  /** Waits for the next event of a queue (generously: the machine is shared). */
  static <T> T next(BlockingQueue<T> q) throws InterruptedException {
    T t = q.poll(60, TimeUnit.SECONDS);
    assertThat(t).as("no event within 60 s").isNotNull();
    return t;
  }

  static void eventually(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> state) {
    Poll.until(done, state);
  }

  @Test
  void crudOfBuiltInKinds() {
    String ns = namespace("f8-crud");
    var cms = client.configMaps().inNamespace(ns);
    ConfigMap created = cms.resource(cm(ns, "cfg", Map.of("mode", "fast"))).create();
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThat(created.getMetadata().getResourceVersion()).isNotEmpty();
    assertThatThrownBy(() -> cms.resource(cm(ns, "cfg", Map.of())).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
        });

    ConfigMap edited = cms.withName("cfg").edit(c -> new ConfigMapBuilder(c).addToData("size", "small").build());
    assertThat(edited.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("mode", "fast", "size", "small"));
    // An update carrying a stale resourceVersion conflicts.
    assertThatThrownBy(() -> cms.resource(created).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    ConfigMap replaced = cms.resource(cm(ns, "cfg", Map.of("mode", "slow"))).update(); // no resourceVersion: unconditional
    assertThat(replaced.getData()).isEqualTo(Map.of("mode", "slow"));
    assertThat(replaced.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());

    Deployment d = client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage("busybox:1.36").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate"); // defaulted by the server
    assertThat(client.apps().deployments().inNamespace(ns).withName("web").scale(3).getSpec().getReplicas()).isEqualTo(3);
    var svc = client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec().build()).create();
    assertThat(svc.getSpec().getClusterIP()).isNotEmpty();
    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");

    assertThat(cms.withName("cfg").delete()).hasSize(1);
    assertThat(cms.withName("cfg").get()).isNull();
    assertThat(cms.withName("cfg").delete()).isEmpty();
    assertThat(client.services().inNamespace(ns).withName("web").delete()).hasSize(1);
  }

  @Test
  void listsInPages() {
    String ns = namespace("f8-pages");
    for (int i = 0; i < 25; i++) client.configMaps().inNamespace(ns).resource(cm(ns, "cm-%02d".formatted(i), Map.of("i", "" + i))).create();
    List<String> names = new ArrayList<>();
    String cont = null;
    int pages = 0;
    do {
      ConfigMapList page = client.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(10L).withContinue(cont).build());
      pages++;
      page.getItems().forEach(c -> names.add(c.getMetadata().getName()));
      cont = page.getMetadata().getContinue();
      // 25 of ours and the root-ca-cert-publisher's kube-root-ca.crt
      if (cont != null && !cont.isEmpty()) assertThat(page.getMetadata().getRemainingItemCount()).isEqualTo(26L - names.size());
    } while (cont != null && !cont.isEmpty());
    assertThat(pages).isEqualTo(3);
    assertThat(names).hasSize(26).contains(ROOT_CA).isSorted().doesNotHaveDuplicates();
    // The client's own pager (resources() walks the pages) gives the same.
    List<String> all = new ArrayList<>();
    client.configMaps().inNamespace(ns).resources().forEach(r -> all.add(r.get().getMetadata().getName()));
    assertThat(all).hasSize(26);
    assertThat(client.configMaps().inNamespace(ns).withLabel("absent").list().getItems()).isEmpty();
  }

  record Event(Watcher.Action action, String name, String rv, String mode) {}

  /** A watcher that queues what it sees. */
  static final class Recorder implements Watcher<ConfigMap> {
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final CompletableFuture<WatcherException> closed = new CompletableFuture<>();

    @Override
    public void eventReceived(Action action, ConfigMap c) {
      if (ROOT_CA.equals(c.getMetadata().getName())) return;
      events.add(new Event(action, c.getMetadata().getName(), c.getMetadata().getResourceVersion(),
          c.getData() == null ? null : c.getData().get("mode")));
    }

    @Override
    public void onClose(WatcherException cause) { closed.complete(cause); }

    @Override
    public void onClose() { closed.complete(null); }
  }

  @Test
  void watchResumesFromAResourceVersion() throws Exception {
    watchResumes(client, "f8-watch");
  }

  static void watchResumes(KubernetesClient client, String nsName) throws Exception {
    String ns = namespace(client, nsName);
    var cms = client.configMaps().inNamespace(ns);
    String listRv = cms.list().getMetadata().getResourceVersion();
    Recorder first = new Recorder();
    Watch w = cms.watch(new ListOptionsBuilder().withResourceVersion(listRv).build(), first);
    cms.resource(cm(ns, "a", Map.of("mode", "1"))).create();
    cms.withName("a").edit(c -> new ConfigMapBuilder(c).withData(Map.of("mode", "2")).build());
    Event added = next(first.events);
    Event modified = next(first.events);
    assertThat(List.of(added.action(), modified.action())).containsExactly(Watcher.Action.ADDED, Watcher.Action.MODIFIED);
    assertThat(modified.mode()).isEqualTo("2");
    w.close();

    // Changes while no one watches are delivered, in order, to a watch resuming from the last version seen.
    cms.withName("a").edit(c -> new ConfigMapBuilder(c).withData(Map.of("mode", "3")).build());
    cms.resource(cm(ns, "b", Map.of("mode", "x"))).create();
    cms.withName("a").delete();
    Recorder resumed = new Recorder();
    try (Watch w2 = cms.watch(new ListOptionsBuilder().withResourceVersion(modified.rv()).build(), resumed)) {
      List<Event> seen = List.of(next(resumed.events), next(resumed.events), next(resumed.events));
      assertThat(seen).extracting(Event::action, Event::name, Event::mode).containsExactly(
          org.assertj.core.groups.Tuple.tuple(Watcher.Action.MODIFIED, "a", "3"),
          org.assertj.core.groups.Tuple.tuple(Watcher.Action.ADDED, "b", "x"),
          org.assertj.core.groups.Tuple.tuple(Watcher.Action.DELETED, "a", "3"));
      assertThat(Long.parseLong(seen.get(2).rv())).isGreaterThan(Long.parseLong(seen.get(0).rv()));
      assertThat(resumed.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
    // A field selector narrows the watch.
    Recorder onlyB = new Recorder();
    try (Watch w3 = cms.withField("metadata.name", "b").watch(new ListOptionsBuilder().withResourceVersion(listRv).build(), onlyB)) {
      assertThat(next(onlyB.events)).extracting(Event::action, Event::name).containsExactly(Watcher.Action.ADDED, "b");
      assertThat(onlyB.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  /** Events kept per resource by kava's watch cache (ResourceCache.DEFAULT_HISTORY): older versions are gone. */
  static final int WATCH_HISTORY = 4096;

  /**
   * A ConfigMap resourceVersion that has left the watch cache's window: one create, then more ConfigMap changes than
   * the window holds (in parallel, so it takes seconds).
   */
  static String expiredConfigMapVersion(KubernetesClient client, String ns) throws Exception {
    namespace(client, ns);
    var cms = client.configMaps().inNamespace(ns);
    String first = cms.resource(cm(ns, "first", Map.of())).create().getMetadata().getResourceVersion();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int i = 0; i < WATCH_HISTORY + 10; i++) {
        String name = "filler-" + i;
        done.add(pool.submit(() -> cms.resource(cm(ns, name, Map.of())).create()));
      }
      for (var f : done) f.get();
    }
    return first;
  }

  @Test
  void watchFromATooOldVersionIsGone() throws Exception {
    String ns = "f8-gone";
    String expired = expiredConfigMapVersion(client, ns);
    var cms = client.configMaps().inNamespace(ns);
    Recorder old = new Recorder();
    cms.watch(new ListOptionsBuilder().withResourceVersion(expired).build(), old);
    WatcherException gone = old.closed.get(60, TimeUnit.SECONDS);
    assertThat(gone).isNotNull();
    assertThat(gone.isHttpGone()).as(String.valueOf(gone)).isTrue();
    assertThat(old.events).isEmpty();
    // ...and what a client does then: list again and watch from the list's version.
    String rv = cms.list().getMetadata().getResourceVersion();
    Recorder fresh = new Recorder();
    try (Watch w = cms.watch(new ListOptionsBuilder().withResourceVersion(rv).build(), fresh)) {
      cms.resource(cm(ns, "after", Map.of("mode", "1"))).create();
      assertThat(next(fresh.events)).extracting(Event::action, Event::name).containsExactly(Watcher.Action.ADDED, "after");
    }
  }

  @Test
  void informersSeeChangesAndResync() throws Exception {
    informers(client, "f8-inform");
  }

  static void informers(KubernetesClient client, String nsName) throws Exception {
    String ns = namespace(client, nsName);
    var cms = client.configMaps().inNamespace(ns);
    cms.resource(cm(ns, "before", Map.of("mode", "0"))).create();
    List<String> log = new CopyOnWriteArrayList<>();
    AtomicInteger resyncs = new AtomicInteger();
    SharedIndexInformer<ConfigMap> informer = cms.inform(new ResourceEventHandler<>() {
      @Override public void onAdd(ConfigMap c) { if (!ROOT_CA.equals(c.getMetadata().getName())) log.add("add " + c.getMetadata().getName()); }

      @Override
      public void onUpdate(ConfigMap old, ConfigMap c) {
        if (ROOT_CA.equals(c.getMetadata().getName())) return;
        if (old.getMetadata().getResourceVersion().equals(c.getMetadata().getResourceVersion())) resyncs.incrementAndGet();
        else log.add("update " + c.getMetadata().getName() + " " + c.getData().get("mode"));
      }

      @Override public void onDelete(ConfigMap c, boolean unknownFinalState) { if (!ROOT_CA.equals(c.getMetadata().getName())) log.add("delete " + c.getMetadata().getName()); }
    }, 1000);
    try {
      eventually(informer::hasSynced, () -> "informer not synced");
      cms.resource(cm(ns, "x", Map.of("mode", "1"))).create();
      cms.withName("x").edit(c -> new ConfigMapBuilder(c).withData(Map.of("mode", "2")).build());
      cms.withName("x").delete();
      eventually(() -> log.size() >= 4, log::toString);
      assertThat(log).containsExactly("add before", "add x", "update x 2", "delete x");
      assertThat(informer.getIndexer().list()).extracting(c -> c.getMetadata().getName()).filteredOn(n -> !n.equals(ROOT_CA)).containsExactly("before");
      int r = resyncs.get();
      eventually(() -> resyncs.get() >= r + 2, () -> "resyncs: " + resyncs.get());
      assertThat(log).hasSize(4);
      assertThat(informer.lastSyncResourceVersion()).isNotEmpty();
    } finally {
      informer.close();
    }
  }

  @Test
  void patchesOfEveryType() {
    String ns = namespace("f8-patch");
    var cms = client.configMaps().inNamespace(ns);
    cms.resource(cm(ns, "p", Map.of("a", "1"))).create();
    var p = cms.withName("p");
    assertThat(p.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/data/b\",\"value\":\"2\"}]").getData())
        .isEqualTo(Map.of("a", "1", "b", "2"));
    assertThat(p.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"a\":null,\"c\":\"3\"}}").getData())
        .isEqualTo(Map.of("b", "2", "c", "3"));
    // A JSON patch whose test fails changes nothing: 422.
    assertThatThrownBy(() -> p.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"test\",\"path\":\"/data/b\",\"value\":\"9\"}]"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));

    Deployment d = client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage("busybox:1.36").endContainer()
        .addNewContainer().withName("side").withImage("busybox:1.36").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    // Strategic merge: containers merge by name, so this changes one image and keeps the other container.
    Deployment patched = client.apps().deployments().inNamespace(ns).withName("web").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"busybox:1.37\"}]}}}}");
    assertThat(patched.getSpec().getTemplate().getSpec().getContainers())
        .extracting(c -> c.getName() + "=" + c.getImage()).containsExactly("web=busybox:1.36", "side=busybox:1.37");
    assertThat(patched.getMetadata().getGeneration()).isEqualTo(d.getMetadata().getGeneration() + 1);
    // fabric8's default patch (a JSON patch computed from the edit)
    assertThat(p.edit(c -> new ConfigMapBuilder(c).addToData("d", "4").build()).getData()).containsEntry("d", "4");

    // Server-side apply: owned fields, conflicts with another manager, force.
    ConfigMap applied = client.configMaps().inNamespace(ns).resource(cm(ns, "ssa", Map.of("k", "v"))).fieldManager("f8").serverSideApply();
    assertThat(applied.getMetadata().getManagedFields()).singleElement()
        .satisfies(m -> assertThat(m.getManager() + " " + m.getOperation()).isEqualTo("f8 Apply"));
    assertThatThrownBy(() -> client.configMaps().inNamespace(ns).resource(cm(ns, "ssa", Map.of("k", "w"))).fieldManager("other").serverSideApply())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.configMaps().inNamespace(ns).resource(cm(ns, "ssa", Map.of("k", "w"))).fieldManager("other").forceConflicts()
        .serverSideApply().getData()).isEqualTo(Map.of("k", "w"));
  }

  // ------------------------------------------------------------ custom resources

  /** The spec of the test's custom resource. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class WidgetSpec {
    public Integer size;
    public String color;
  }

  /** Its status. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class WidgetStatus {
    public String phase;
  }

  /** A typed custom resource, as an operator written with fabric8 declares one. */
  @Group("f8.example.com")
  @Version("v1")
  public static final class Widget extends CustomResource<WidgetSpec, WidgetStatus> implements Namespaced {}

  static final String WIDGET_CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.f8.example.com}
      spec:
        group: f8.example.com
        scope: Namespaced
        names: {plural: widgets, singular: widget, kind: Widget}
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
                    size: {type: integer, minimum: 0}
                    color: {type: string, default: blue}
                status:
                  type: object
                  properties:
                    phase: {type: string}
      """;

  static void ensureWidgetCrd() throws Exception { ensureWidgetCrd(client); }

  static synchronized void ensureWidgetCrd(KubernetesClient client) throws Exception {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    if (crds.withName("widgets.f8.example.com").get() == null) {
      CustomResourceDefinition crd = crds.load(new ByteArrayInputStream(WIDGET_CRD.getBytes(StandardCharsets.UTF_8))).item();
      crds.resource(crd).create();
    }
    crds.withName("widgets.f8.example.com").waitUntilCondition(c -> c != null && c.getStatus() != null
        && c.getStatus().getConditions().stream().anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")),
        60, TimeUnit.SECONDS);
  }

  static Widget widget(String name, int size) {
    Widget w = new Widget();
    w.getMetadata().setName(name);
    w.setSpec(new WidgetSpec());
    w.getSpec().size = size;
    return w;
  }

  @Test
  void typedCustomResources() throws Exception {
    ensureWidgetCrd();
    String ns = namespace("f8-cr");
    var widgets = client.resources(Widget.class).inNamespace(ns);
    Widget created = widgets.resource(widget("w", 1)).create();
    assertThat(created.getSpec().color).isEqualTo("blue"); // defaulted from the schema
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThatThrownBy(() -> widgets.resource(widget("bad", -1)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 0");
        });

    Widget edited = widgets.withName("w").edit(w -> {
      w.getSpec().size = 2;
      return w;
    });
    assertThat(edited.getSpec().size).isEqualTo(2);
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);

    // The status subresource: only status changes there, only spec through the main resource; no generation bump.
    Widget forStatus = widgets.withName("w").get();
    forStatus.setStatus(new WidgetStatus());
    forStatus.getStatus().phase = "Ready";
    forStatus.getSpec().size = 99;
    Widget statusUpdated = widgets.resource(forStatus).updateStatus();
    assertThat(statusUpdated.getStatus().phase).isEqualTo("Ready");
    assertThat(statusUpdated.getSpec().size).isEqualTo(2);
    assertThat(statusUpdated.getMetadata().getGeneration()).isEqualTo(2L);
    Widget viaMain = widgets.withName("w").edit(w -> {
      w.getStatus().phase = "Ignored";
      w.getSpec().color = "red";
      return w;
    });
    assertThat(viaMain.getStatus().phase).isEqualTo("Ready");
    assertThat(viaMain.getSpec().color).isEqualTo("red");
    Widget statusPatch = widgets.withName("w").editStatus(w -> {
      w.getStatus().phase = "Done";
      return w;
    });
    assertThat(statusPatch.getStatus().phase).isEqualTo("Done");

    assertThat(widgets.list().getItems()).extracting(w -> w.getMetadata().getName()).containsExactly("w");
    Widget applied = widgets.resource(widget("w", 5)).fieldManager("sizer").forceConflicts().serverSideApply();
    assertThat(applied.getSpec().size).isEqualTo(5);
    assertThat(applied.getSpec().color).isEqualTo("red");
    assertThat(widgets.withName("w").delete()).hasSize(1);
    eventually(() -> widgets.withName("w").get() == null, () -> "widget still there");
  }
}
