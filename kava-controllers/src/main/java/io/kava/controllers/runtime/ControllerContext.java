package io.kava.controllers.runtime;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.client.EventBroadcaster;
import io.kava.client.EventRecorder;
import io.kava.client.RawApi;
import io.kava.client.WorkQueue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * What a controller gets from the manager for one leadership term: the client, the shared informers, its own work
 * queue and an event recorder. The informers a controller asks for here are the ones its workers wait for before
 * the first reconcile.
 */
public final class ControllerContext {
  private final String name;
  private final KubernetesClient client;
  private final RawApi raw;
  private final Informers informers;
  private final WorkQueue<String> queue;
  private final EventBroadcaster events;
  private final List<SharedIndexInformer<?>> required = new CopyOnWriteArrayList<>();

  ControllerContext(String name, KubernetesClient client, RawApi raw, Informers informers, WorkQueue<String> queue, EventBroadcaster events) {
    this.name = name;
    this.client = client;
    this.raw = raw;
    this.informers = informers;
    this.queue = queue;
    this.events = events;
  }

  /** The name the controller was registered under. */
  public String name() { return name; }

  /** For writes and live reads; reads that can come from a cache should. */
  public KubernetesClient client() { return client; }

  public RawApi raw() { return raw; }

  /** The controller's queue of keys; event handlers add to it, the manager's workers take from it. */
  public WorkQueue<String> queue() { return queue; }

  /** The shared informer for a built-in type; the controller's workers wait for it to sync. */
  public <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
    SharedIndexInformer<T> inf = informers.forType(type);
    required.add(inf);
    return inf;
  }

  /**
   * An informer of a built-in type that holds only the objects named {@code name} (in any namespace); the
   * controller's workers wait for it to sync.
   */
  public <T extends HasMetadata> SharedIndexInformer<T> informerNamed(Class<T> type, String name) {
    SharedIndexInformer<T> inf = informers.forTypeNamed(type, name);
    required.add(inf);
    return inf;
  }

  /**
   * The shared metadata-only informer of a discovered resource, created with {@code indexers} if it is new; the
   * controller's workers wait for it to sync.
   */
  public SharedIndexInformer<GenericKubernetesResource> informer(ApiResource resource, Indexers indexers) {
    SharedIndexInformer<GenericKubernetesResource> inf = informers.forResource(resource, indexers.functions());
    required.add(inf);
    return inf;
  }

  /** Like {@link #informer(ApiResource, Indexers)} for a resource found after start-up: workers do not wait for it. */
  public SharedIndexInformer<GenericKubernetesResource> lateInformer(ApiResource resource, Indexers indexers) {
    return informers.forResource(resource, indexers.functions());
  }

  /** Named index functions for generic informers (index name to the keys of an object). */
  public record Indexers(Map<String, Function<GenericKubernetesResource, List<String>>> functions) {
    public static final Indexers NONE = new Indexers(Map.of());
  }

  /** Stops the informer of a resource that is no longer served. */
  public void dropInformer(ApiResource resource) {
    informers.remove(resource);
  }

  /** A recorder whose events name {@code component} as their source (upstream's component names). */
  public EventRecorder recorder(String component) { return events.recorder(component); }

  List<SharedIndexInformer<?>> requiredInformers() { return List.copyOf(required); }
}
