package io.kava.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kava.api.time.Timestamps;
import io.kava.client.EventRecorder;
import io.kava.client.WorkQueue;
import io.kava.controllers.endpoints.EndpointPods;
import io.kava.controllers.endpoints.ServiceMembership;
import io.kava.controllers.endpoints.TriggerTimeTracker;
import io.kava.controllers.endpointslice.SliceModel.Ep;
import io.kava.controllers.endpointslice.SliceModel.Existing;
import io.kava.controllers.endpointslice.SliceModel.Group;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.ApiErrors;
import io.kava.controllers.workload.Serial;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's EndpointSlice controller: every selector Service (not ExternalName) has EndpointSlices, one set per
 * address type, owned by the Service (so the garbage collector removes them with it), labelled with
 * {@code kubernetes.io/service-name} and {@code endpointslice.kubernetes.io/managed-by}, each holding at most
 * {@link #MAX_ENDPOINTS_PER_SLICE} endpoints with ready/serving/terminating conditions. Slices managed by anyone
 * else are never touched. Keys are "namespace/name" of the Service.
 */
public final class EndpointSliceController implements Controller {
  private static final Logger log = LoggerFactory.getLogger(EndpointSliceController.class);
  public static final String NAME = "endpointslice";
  static final String COMPONENT = "endpoint-slice-controller";
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
  /** Upstream's --max-endpoints-per-slice default. */
  static final int MAX_ENDPOINTS_PER_SLICE = 100;
  static final String BY_SERVICE = "byService";
  static final int WORKERS = 2;
  static final java.time.Duration STALE_RETRY = java.time.Duration.ofMillis(250);

  private final KubernetesClient client;
  private final WorkQueue<String> queue;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final EventRecorder recorder;
  private final ServiceMembership membership;
  private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
  private final SliceTracker tracker = new SliceTracker();

  public EndpointSliceController(ControllerContext ctx) {
    this.client = ctx.client();
    this.queue = ctx.queue();
    this.recorder = ctx.recorder(COMPONENT);
    this.services = ctx.informer(Service.class);
    this.pods = ctx.informer(Pod.class);
    this.nodes = ctx.informer(Node.class);
    this.slices = ctx.informer(EndpointSlice.class);
    slices.addIndexers(Map.of(BY_SERVICE, s -> {
      String svc = managedServiceOf(s);
      return svc == null ? List.of() : List.of(Keys.of(s.getMetadata().getNamespace(), svc));
    }));
    this.membership = new ServiceMembership(ns -> services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns));
    services.addEventHandler(Handlers.enqueueSelf(queue));
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Pod pod) { membership.servicesOf(pod).forEach(queue::add); }

      @Override public void onUpdate(Pod old, Pod cur) { membership.servicesToUpdate(old, cur).forEach(queue::add); }

      @Override public void onDelete(Pod pod, boolean unknown) { membership.servicesOf(pod).forEach(queue::add); }
    });
    // A managed slice changed or deleted by someone else is put back; our own writes come back here too and sync
    // to no change.
    slices.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(EndpointSlice s) { enqueueService(s); }

      @Override public void onUpdate(EndpointSlice old, EndpointSlice s) {
        if (!Handlers.sameVersion(old, s)) enqueueService(s);
      }

      @Override public void onDelete(EndpointSlice s, boolean unknown) {
        String svc = managedServiceOf(s);
        if (svc == null) return;
        String key = Keys.of(s.getMetadata().getNamespace(), svc);
        // Deleted, whoever did it: a write of ours the cache never showed can no longer be waited for.
        tracker.sliceGone(key, s.getMetadata().getName());
        queue.add(key);
      }
    });
  }

  private void enqueueService(EndpointSlice s) {
    String svc = managedServiceOf(s);
    if (svc != null) queue.add(Keys.of(s.getMetadata().getNamespace(), svc));
  }

  static String managedServiceOf(EndpointSlice s) {
    Map<String, String> l = s.getMetadata().getLabels();
    if (l == null || !MANAGED_BY.equals(l.get(MANAGED_BY_LABEL))) return null;
    String svc = l.get(SERVICE_NAME_LABEL);
    return svc == null || svc.isEmpty() ? null : svc;
  }

  @Override
  public String name() { return NAME; }

  @Override
  public int workers() { return WORKERS; }

  @Override
  public Result reconcile(String key) {
    Service svc = services.getStore().getByKey(key);
    if (svc == null) {
      // The garbage collector deletes the slices through their owner reference.
      triggerTimes.forget(key);
      tracker.forget(key);
      return Result.DONE;
    }
    if ("ExternalName".equals(svc.getSpec().getType())) return Result.DONE;
    Map<String, String> selector = EndpointPods.selector(svc);
    if (selector == null) return Result.DONE; // selector-less Services' slices are someone else's (mirroring)

    String ns = svc.getMetadata().getNamespace();
    List<EndpointSlice> cached = slices.getIndexer().byIndex(BY_SERVICE, key);
    if (tracker.stale(key, cached)) {
      // Our own last writes are not in the cache yet; their events will queue the Service again (upstream returns
      // an error here for a rate-limited retry; a short requeue is the same without counting it as a failure).
      log.debug("EndpointSlice informer cache is out of date for service {}", key);
      return Result.requeueAfter(STALE_RETRY);
    }
    List<Pod> selected = new ArrayList<>();
    for (Pod p : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)) {
      if (EndpointPods.selects(selector, p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels())) selected.add(p);
    }
    Instant trigger = triggerTimes.compute(key, svc, selected);
    Map<String, String> labels = labels(svc);
    String ownerUid = svc.getMetadata().getUid();
    List<String> families = EndpointPods.sliceFamilies(svc);

    List<Existing> existing = new ArrayList<>();
    for (EndpointSlice s : cached) {
      Existing e = SliceModel.fromModel(s);
      // Slices of an address type the Service no longer has are deleted.
      if (!families.contains(e.addressType())) {
        delete(key, ns, e.name());
        continue;
      }
      existing.add(e);
    }
    for (String family : families) {
      Map<Group, Map<String, Ep>> desired = DesiredSlices.compute(svc, selected, family, nodes.getStore()::getByKey);
      List<Existing> ofType = existing.stream().filter(e -> e.addressType().equals(family)).toList();
      SlicePlan plan = SlicePlan.compute(family, desired, ofType, labels, ownerUid, MAX_ENDPOINTS_PER_SLICE);
      if (plan.isEmpty()) continue;
      log.debug("endpointslices of {} ({}): {} to create, {} to update, {} to delete", key, family,
          plan.creates().size(), plan.updates().size(), plan.deletes().size());
      apply(key, svc, plan, labels, trigger);
    }
    return Result.DONE;
  }

  private void apply(String key, Service svc, SlicePlan plan, Map<String, String> labels, Instant trigger) {
    String ns = svc.getMetadata().getNamespace();
    try {
      for (SlicePlan.NewSlice c : plan.creates()) {
        EndpointSlice s = build(svc, null, c.group(), c.endpoints(), labels, trigger);
        EndpointSlice created = client.resources(EndpointSlice.class).inNamespace(ns).resource(s).create();
        tracker.wrote(key, created);
      }
      for (SlicePlan.Update u : plan.updates()) {
        EndpointSlice s = build(svc, u.slice().model(), u.group(), u.endpoints(), labels, trigger);
        EndpointSlice updated = client.resources(EndpointSlice.class).inNamespace(ns).resource(s).update();
        tracker.wrote(key, updated);
      }
      for (String name : plan.deletes()) delete(key, ns, name);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 && ApiErrors.isNamespaceTerminating(e)) return; // the Service goes with its namespace
      recorder.event(svc, EventRecorder.WARNING, "FailedToUpdateEndpointSlices",
          "Error updating Endpoint Slices for Service " + key + ": " + ApiErrors.message(e));
      throw e;
    }
  }

  private void delete(String key, String ns, String name) {
    try {
      client.resources(EndpointSlice.class).inNamespace(ns).withName(name).delete();
    } catch (KubernetesClientException e) {
      if (!ApiErrors.isNotFound(e)) throw e;
    }
    tracker.deleted(key, name);
  }

  /** The slice to write: a copy of {@code current} (or a new one named after the Service) with this content. */
  static EndpointSlice build(Service svc, EndpointSlice current, Group group, List<Ep> endpoints, Map<String, String> labels, Instant trigger) {
    EndpointSlice s;
    if (current == null) {
      s = new EndpointSlice();
      ObjectMeta meta = new ObjectMeta();
      meta.setGenerateName(svc.getMetadata().getName() + "-");
      meta.setNamespace(svc.getMetadata().getNamespace());
      s.setMetadata(meta);
    } else {
      s = Serial.copy(current);
    }
    s.setApiVersion("discovery.k8s.io/v1");
    s.setKind("EndpointSlice");
    s.getMetadata().setLabels(new LinkedHashMap<>(labels));
    OwnerReference owner = new OwnerReference("v1", true, true, "Service", svc.getMetadata().getName(), svc.getMetadata().getUid());
    s.getMetadata().setOwnerReferences(List.of(owner));
    Map<String, String> annotations = new LinkedHashMap<>();
    if (s.getMetadata().getAnnotations() != null) annotations.putAll(s.getMetadata().getAnnotations());
    if (trigger != null) annotations.put(EndpointPods.LAST_CHANGE_TRIGGER_TIME, Timestamps.formatRfc3339Nano(trigger));
    else annotations.remove(EndpointPods.LAST_CHANGE_TRIGGER_TIME);
    s.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    s.setAddressType(group.addressType());
    s.setPorts(group.ports().stream().map(SliceModel::toModel).toList());
    s.setEndpoints(endpoints.stream().map(SliceModel::toModel).toList());
    return s;
  }

  /** The Service's labels (minus the two this controller owns), the service-name and managed-by labels, headless. */
  static Map<String, String> labels(Service svc) {
    Map<String, String> l = new LinkedHashMap<>();
    if (svc.getMetadata().getLabels() != null) {
      svc.getMetadata().getLabels().forEach((k, v) -> {
        if (!k.equals(SERVICE_NAME_LABEL) && !k.equals(MANAGED_BY_LABEL)) l.put(k, v);
      });
    }
    l.put(SERVICE_NAME_LABEL, svc.getMetadata().getName());
    l.put(MANAGED_BY_LABEL, MANAGED_BY);
    if (EndpointPods.CLUSTER_IP_NONE.equals(svc.getSpec().getClusterIP())) l.put(EndpointPods.HEADLESS_LABEL, "");
    else l.remove(EndpointPods.HEADLESS_LABEL);
    return l;
  }
}
