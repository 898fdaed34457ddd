package io.kava.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kava.client.EventRecorder;
import io.kava.client.WorkQueue;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.ApiErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's endpoints controller: every Service with a selector (and not of type ExternalName) has an Endpoints
 * object of the same name listing the selected pods ({@link DesiredEndpoints}). Services without a selector are left
 * alone: their Endpoints are written by whoever manages them. Keys are "namespace/name" of the Service.
 *
 * <p>When a Service goes, the Endpoints this controller wrote (those with its managed-by label) go too; once per
 * term, after the caches sync, Endpoints of ours whose Service disappeared while no controller ran are removed.
 */
public final class EndpointsController implements Controller {
  private static final Logger log = LoggerFactory.getLogger(EndpointsController.class);
  public static final String NAME = "endpoints";
  static final String COMPONENT = "endpoint-controller";
  /** Queue key of the one-off scan for Endpoints left behind by deleted Services; '#' is not valid in a namespace. */
  static final String LEFTOVERS = "#leftovers";
  static final int WORKERS = 2;

  private final KubernetesClient client;
  private final WorkQueue<String> queue;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Endpoints> endpoints;
  private final EventRecorder recorder;
  private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
  private final ServiceMembership membership;
  /**
   * resourceVersion each key's Endpoints had before our last update of it: while the cache still shows it, the cache
   * lags our own write, and a sync would compute from stale state (upstream's staleEndpointsTracker).
   */
  private final Map<String, String> replacedVersions = new ConcurrentHashMap<>();

  public EndpointsController(ControllerContext ctx) {
    this.client = ctx.client();
    this.queue = ctx.queue();
    this.recorder = ctx.recorder(COMPONENT);
    this.services = ctx.informer(Service.class);
    this.pods = ctx.informer(Pod.class);
    this.endpoints = ctx.informer(Endpoints.class);
    this.membership = new ServiceMembership(ns -> services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns));
    services.addEventHandler(Handlers.enqueueSelf(queue));
    pods.addEventHandler(new PodEvents());
    endpoints.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Endpoints ep) {}

      @Override
      public void onUpdate(Endpoints old, Endpoints ep) {}

      @Override
      public void onDelete(Endpoints ep, boolean unknown) { queue.add(Keys.of(ep)); }
    });
    queue.add(LEFTOVERS);
  }

  @Override
  public String name() { return NAME; }

  @Override
  public int workers() { return WORKERS; }

  @Override
  public Result reconcile(String key) {
    if (key.equals(LEFTOVERS)) {
      for (Endpoints ep : endpoints.getStore().list()) {
        if (DesiredEndpoints.managed(ep) && services.getStore().getByKey(Keys.of(ep)) == null) queue.add(Keys.of(ep));
      }
      return Result.DONE;
    }
    String ns = Keys.namespace(key);
    String name = Keys.name(key);
    Service svc = services.getStore().getByKey(key);
    if (svc == null) {
      triggerTimes.forget(key);
      replacedVersions.remove(key);
      Endpoints ep = endpoints.getStore().getByKey(key);
      if (ep != null && DesiredEndpoints.managed(ep)) {
        client.endpoints().inNamespace(ns).withName(name).delete();
      }
      return Result.DONE;
    }
    if ("ExternalName".equals(svc.getSpec().getType())) return Result.DONE;
    Map<String, String> selector = EndpointPods.selector(svc);
    if (selector == null) return Result.DONE; // Endpoints of selector-less Services are someone else's

    List<Pod> selected = new ArrayList<>();
    for (Pod p : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)) {
      if (EndpointPods.selects(selector, p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels())) selected.add(p);
    }
    // Computed on every sync, written or not, so the tracker's memory follows what was seen.
    Instant trigger = triggerTimes.compute(key, svc, selected);
    DesiredEndpoints.Computed computed = DesiredEndpoints.compute(svc, selected);

    Endpoints current = endpoints.getStore().getByKey(key);
    if (current != null) {
      String replaced = replacedVersions.get(key);
      if (replaced != null && replaced.equals(current.getMetadata().getResourceVersion())) {
        throw new StaleCacheException("endpoints informer cache is out of date, resource version " + replaced
            + " already processed for endpoints " + key);
      }
      replacedVersions.remove(key);
    }
    Endpoints next = DesiredEndpoints.reconcile(svc, computed, current, trigger);
    if (next == null) return Result.DONE;
    log.debug("updating endpoints {}: {} ready, {} not ready", key, computed.ready(), computed.notReady());
    try {
      if (current == null) {
        client.endpoints().inNamespace(ns).resource(next).create();
      } else {
        Endpoints written = client.endpoints().inNamespace(ns).resource(next).update();
        if (written != null && !written.getMetadata().getResourceVersion().equals(current.getMetadata().getResourceVersion())) {
          replacedVersions.put(key, current.getMetadata().getResourceVersion());
        }
      }
    } catch (KubernetesClientException e) {
      // A namespace being deleted refuses new content; the Service goes with it, so there is nothing to retry.
      if (current == null && e.getCode() == 403 && ApiErrors.isNamespaceTerminating(e)) return Result.DONE;
      if (current == null) {
        recorder.event(next, EventRecorder.WARNING, "FailedToCreateEndpoint",
            "Failed to create endpoint for service " + key + ": " + ApiErrors.message(e));
      } else {
        recorder.event(next, EventRecorder.WARNING, "FailedToUpdateEndpoint", "Failed to update endpoint " + key + ": " + ApiErrors.message(e));
      }
      throw e;
    }
    return Result.DONE;
  }

  /** The cache has not caught up with this controller's own last write; retried with backoff. */
  static final class StaleCacheException extends RuntimeException {
    StaleCacheException(String message) { super(message); }
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) { membership.servicesOf(pod).forEach(queue::add); }

    @Override
    public void onUpdate(Pod old, Pod cur) { membership.servicesToUpdate(old, cur).forEach(queue::add); }

    @Override
    public void onDelete(Pod pod, boolean unknown) { membership.servicesOf(pod).forEach(queue::add); }
  }
}
