package io.kava.controllers.runtime;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.client.InformerRetries;
import io.kava.client.InformerSerialization;
import io.kava.client.SharedVertx;
import io.kava.client.watch.LineWatches;
import io.kava.client.TrimmedItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informers of one leadership term, shared by all controllers: asking twice for the same type returns the same
 * informer, so each resource is listed and watched once. Typed informers are fabric8's with line-split watches
 * ({@link LineWatches}); resources known only from discovery (custom resources, the garbage collector's
 * "everything") get generic informers that keep metadata only.
 *
 * <p>Informers asked for before {@link #start} start with it; those asked for later (after a rediscovery) start at
 * once. Informers run cluster-wide with no periodic resync: controllers requeue what needs a second look.
 */
final class Informers {
  private static final Logger log = LoggerFactory.getLogger(Informers.class);
  static final Duration STOP_WAIT = Duration.ofSeconds(2);

  private final KubernetesClient client;
  /** The client of the typed informers (see the constructor); closed with them. */
  private final KubernetesClient typedClient;
  /** The client of the generic informers (see {@link #genericClient}); created on first use, guarded by lock. */
  private KubernetesClient genericClient;
  private final ConcurrentHashMap<Class<?>, SharedIndexInformer<?>> typed = new ConcurrentHashMap<>();
  /**
   * The typed informers in the order they were asked for, the order start() starts them in: the controllers that
   * register first (namespaces, service accounts) sync first, as with fabric8's informer factory.
   */
  private final List<SharedIndexInformer<?>> typedInOrder = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, SharedIndexInformer<GenericKubernetesResource>> generic = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SharedIndexInformer<?>> named = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private boolean started;
  // Guarded by lock.
  private boolean stopped;

  /** The process's shared informers (pods), or null: every informer is this term's own. */
  private final io.kava.client.SharedInformers shared;

  Informers(KubernetesClient client) { this(client, null); }

  Informers(KubernetesClient client, io.kava.client.SharedInformers shared) {
    this.client = client;
    // The typed informers' own client, over the same connection settings: their stores drop managedFields, so its
    // watches ask for events without them and its decoding skips them (InformerSerialization); the term's client,
    // for writes and live reads, keeps them.
    this.typedClient = new KubernetesClientBuilder().withConfig(client.getConfiguration()).withHttpClientFactory(SharedVertx.httpClientFactory())
        .withKubernetesSerialization(InformerSerialization.shared())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(InformerSerialization.WITHOUT_MANAGED_FIELDS_INTERCEPTOR,
            InformerSerialization.WITHOUT_MANAGED_FIELDS_ON_THE_WIRE)).build();
    this.shared = shared;
  }

  /** The shared informer for a built-in type, e.g. {@code Namespace.class}. */
  @SuppressWarnings("unchecked")
  <T extends HasMetadata> SharedIndexInformer<T> forType(Class<T> type) {
    return (SharedIndexInformer<T>) typed.computeIfAbsent(type, t -> {
      if (shared != null && type == io.fabric8.kubernetes.api.model.Pod.class) {
        // The process-wide pod informer (not this term's): started here or by start(), "stopped" by removing our handlers.
        SharedIndexInformer<?> borrowed = shared.borrowPods();
        typedInOrder.add(borrowed);
        startIfRunning(borrowed);
        return borrowed;
      }
      SharedIndexInformer<T> inf = TrimmedItemStore.withoutManagedFields(LineWatches.informer(type, typedClient.resources(type).inAnyNamespace()));
      InformerRetries.keepRetrying(inf, type.getSimpleName());
      typedInOrder.add(inf);
      startIfRunning(inf);
      return inf;
    });
  }

  /**
   * An informer of a built-in type that sees only the objects called {@code name}, in every namespace (a
   * {@code metadata.name} field selector, filtered by the API server): for a controller that owns one well-known object
   * per namespace, so it is not sent, and does not decode and keep, every other object of the type.
   */
  @SuppressWarnings("unchecked")
  <T extends HasMetadata> SharedIndexInformer<T> forTypeNamed(Class<T> type, String name) {
    return (SharedIndexInformer<T>) named.computeIfAbsent(type.getName() + "/" + name, k -> {
      SharedIndexInformer<T> inf = TrimmedItemStore.withoutManagedFields(
          typedClient.resources(type).inAnyNamespace().withField("metadata.name", name).runnableInformer(0));
      InformerRetries.keepRetrying(inf, type.getSimpleName() + " " + name);
      startIfRunning(inf);
      return inf;
    });
  }

  /**
   * The shared metadata-only informer for a resource, with {@code indexers} among its indexers (an index of the
   * same name that the informer already has is kept: callers that share an informer share its index names).
   */
  SharedIndexInformer<GenericKubernetesResource> forResource(ApiResource resource,
                                                             Map<String, Function<GenericKubernetesResource, List<String>>> indexers) {
    SharedIndexInformer<GenericKubernetesResource> inf = generic.computeIfAbsent(resource.apiVersion() + "/" + resource.plural(), k -> {
      SharedIndexInformer<GenericKubernetesResource> created = LineWatches.informer(GenericKubernetesResource.class,
          genericClient().genericKubernetesResources(resource.context()).inAnyNamespace());
      created.itemStore(new MetadataStore());
      if (!indexers.isEmpty()) created.addIndexers(indexers);
      // also covers a custom resource that goes away and comes back (its definition re-created)
      InformerRetries.keepRetrying(created, resource.toString());
      startIfRunning(created);
      return created;
    });
    addMissingIndexers(inf, indexers);
    return inf;
  }

  /** Indexers of a later caller that the informer lacks; an index added to a filled cache indexes what it holds. */
  private void addMissingIndexers(SharedIndexInformer<GenericKubernetesResource> inf,
                                  Map<String, Function<GenericKubernetesResource, List<String>>> indexers) {
    if (indexers.isEmpty()) return;
    lock.lock(); // two callers must not both add the same missing index
    try {
      Map<String, Function<GenericKubernetesResource, List<String>>> missing = new java.util.HashMap<>(indexers);
      missing.keySet().removeAll(inf.getIndexer().getIndexers().keySet());
      if (!missing.isEmpty()) inf.addIndexers(missing);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A client over the same connection settings whose serialization knows no model classes, so a watch event of
   * a generic informer decodes straight into a {@link GenericKubernetesResource}. With the term's client fabric8
   * first decodes a known kind (a Pod) into its typed class and then converts that into the generic form
   * (serialize + deserialize again): for the garbage collector's pod informer that was a third of all watch
   * decoding in the process. Its reads ask for metadata only (PartialObjectMetadata, as client-go's metadata
   * informers do), so pod specs and secret data are neither sent nor decoded; nor are managedFields, which the
   * metadata store drops: asked for without them, and skipped by the decoder where a server sends them anyway.
   */
  /** Lists get PartialObjectMetadataList, single objects and watch events PartialObjectMetadata. */
  static final String METADATA_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
      + "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
  private static final Interceptor METADATA_ONLY = new Interceptor() {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      if ("GET".equals(request.method())) builder.setHeader("Accept", METADATA_ACCEPT);
    }
  };

  private KubernetesClient genericClient() {
    lock.lock();
    try {
      if (genericClient == null) {
        genericClient = new KubernetesClientBuilder().withConfig(client.getConfiguration())
            .withHttpClientFactory(SharedVertx.httpClientFactory())
            .withKubernetesSerialization(InformerSerialization.withoutManagedFields(false))
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("kava-metadata-only", METADATA_ONLY)
                .addOrReplaceInterceptor(InformerSerialization.WITHOUT_MANAGED_FIELDS_INTERCEPTOR,
                    InformerSerialization.WITHOUT_MANAGED_FIELDS_ON_THE_WIRE)).build();
      }
      return genericClient;
    } finally {
      lock.unlock();
    }
  }

  /** Stops and forgets the generic informer of a resource that discovery no longer lists. */
  void remove(ApiResource resource) {
    SharedIndexInformer<GenericKubernetesResource> inf = generic.remove(resource.apiVersion() + "/" + resource.plural());
    if (inf != null) inf.stop();
  }

  void start() {
    lock.lock();
    try {
      if (started || stopped) return;
      started = true;
    } finally {
      lock.unlock();
    }
    typedInOrder.forEach(SharedIndexInformer::start);
    generic.values().forEach(SharedIndexInformer::start);
    named.values().forEach(SharedIndexInformer::start);
  }

  /** Informers asked for before start() start with it; one asked for after that has to be started on its own. */
  private void startIfRunning(SharedIndexInformer<?> inf) {
    lock.lock();
    try {
      if (!started || stopped) return;
    } finally {
      lock.unlock();
    }
    inf.start();
  }

  /**
   * Waits until each of {@code informers} has listed once. Polls: fabric8 offers no single future for "synced"
   * that also covers informers which fail their first list and retry.
   *
   * @return false if {@code timeout} passed first or the thread was interrupted
   */
  static boolean awaitSynced(Collection<? extends SharedIndexInformer<?>> informers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
      if (System.nanoTime() - deadline > 0) return false;
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * Stops every informer and waits briefly for their watches to close, so the client is not closed under
   * connections still shutting down.
   */
  void stop() {
    lock.lock();
    try {
      if (stopped) return;
      stopped = true;
    } finally {
      lock.unlock();
    }
    List<SharedIndexInformer<?>> all = new ArrayList<>(typed.values());
    all.addAll(generic.values());
    all.addAll(named.values());
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (SharedIndexInformer<?> i : all) {
      i.stop();
      done.add(i.stopped().toCompletableFuture());
    }
    try {
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("informers did not all stop cleanly: {}", e.toString());
    }
    lock.lock();
    try {
      if (genericClient != null) genericClient.close();
    } finally {
      lock.unlock();
    }
    typedClient.close();
  }
}
