package io.kava.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kava.api.quota.QuotaUsage;
import io.kava.client.RawApi;
import io.kava.client.WorkQueue;
import io.kava.controllers.runtime.ApiDiscovery;
import io.kava.controllers.runtime.ApiResource;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.MissingNode;

/**
 * Upstream's resource quota controller: each ResourceQuota's status.hard mirrors spec.hard and status.used is the
 * namespace's true usage of those resources, computed with the same {@link QuotaUsage} rules the API server's quota
 * admission charges with (object counts, pod requests and limits, service node ports and load balancers, claim
 * storage). Object counts of kinds it has no informer for (count/widgets.example.com) are listed from the API. A
 * change of any counted object requeues the quotas of its namespace; every quota is also recomputed every
 * {@link #RESYNC}, which corrects charges of creates that admission passed but the store then refused. Keys are
 * quota keys.
 */
public final class ResourceQuotaController implements Controller {
  private static final Logger log = LoggerFactory.getLogger(ResourceQuotaController.class);
  public static final String NAME = "resourcequota";
  /** Upstream's --resource-quota-sync-period. */
  static final Duration RESYNC = Duration.ofMinutes(5);
  static final Duration DISCOVERY_TTL = Duration.ofMinutes(1);

  /** A kind this controller counts from an informer. */
  private record Tracked(String group, String plural, SharedIndexInformer<? extends HasMetadata> informer, boolean countOnly) {}

  private final KubernetesClient client;
  private final RawApi raw;
  private final WorkQueue<String> queue;
  private final SharedIndexInformer<ResourceQuota> quotas;
  private final Map<String, Tracked> tracked = new LinkedHashMap<>(); // by count name
  private final Clock clock;
  private volatile ApiDiscovery.Snapshot discovery;
  private volatile Instant discoveredAt;

  public ResourceQuotaController(ControllerContext ctx) { this(ctx, Clock.systemUTC()); }

  ResourceQuotaController(ControllerContext ctx, Clock clock) {
    this.client = ctx.client();
    this.raw = ctx.raw();
    this.queue = ctx.queue();
    this.clock = clock;
    this.quotas = ctx.informer(ResourceQuota.class);
    // As upstream: a quota is recomputed when it is new or its spec.hard changed, not on status updates. Admission
    // charges a create to status.used before the object is stored; recomputing on that update counted from
    // informers that had not seen the object yet and wrote the charge away, letting the next create past the limit.
    quotas.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(ResourceQuota q) { queue.add(Keys.of(q)); }

      @Override public void onUpdate(ResourceQuota old, ResourceQuota q) {
        if (!Objects.equals(canonical(hard(old)), canonical(hard(q)))) queue.add(Keys.of(q));
      }

      @Override public void onDelete(ResourceQuota q, boolean unknown) {}
    });
    // Kinds whose usage depends on their spec: the typed informers (shared with the controllers of these kinds).
    track("", "pods", ctx.informer(Pod.class), false);
    track("", "services", ctx.informer(Service.class), false);
    track("", "persistentvolumeclaims", ctx.informer(PersistentVolumeClaim.class), false);
    // Kinds that only count: the metadata-only informers the garbage collector watches anyway. A typed informer
    // here was a second watch stream decoding every ConfigMap and Secret in full, for nothing but a count.
    countOnly(ctx, "", "v1", "configmaps", "ConfigMap");
    countOnly(ctx, "", "v1", "secrets", "Secret");
    countOnly(ctx, "", "v1", "replicationcontrollers", "ReplicationController");
    countOnly(ctx, "apps", "v1", "deployments", "Deployment");
    countOnly(ctx, "apps", "v1", "replicasets", "ReplicaSet");
    countOnly(ctx, "apps", "v1", "statefulsets", "StatefulSet");
    countOnly(ctx, "apps", "v1", "daemonsets", "DaemonSet");
    countOnly(ctx, "batch", "v1", "jobs", "Job");
    countOnly(ctx, "batch", "v1", "cronjobs", "CronJob");
    tracked.put(QuotaUsage.countName("", "resourcequotas"), new Tracked("", "resourcequotas", quotas, true));
  }

  private void countOnly(ControllerContext ctx, String group, String version, String plural, String kind) {
    ApiResource resource = new ApiResource(group, version, plural, kind, true, Set.of("list", "watch"));
    track(group, plural, ctx.informer(resource, ControllerContext.Indexers.NONE), true);
  }

  private <T extends HasMetadata> void track(String group, String plural, SharedIndexInformer<T> inf, boolean countOnly) {
    tracked.put(QuotaUsage.countName(group, plural), new Tracked(group, plural, inf, countOnly));
    inf.addEventHandler(new ResourceEventHandler<T>() {
      @Override public void onAdd(T o) { enqueueQuotasOf(o.getMetadata().getNamespace()); }

      @Override public void onUpdate(T old, T o) {
        // Only pods, services and claims change what they use after creation; other kinds count once.
        if (!countOnly && !Handlers.sameVersion(old, o)) enqueueQuotasOf(o.getMetadata().getNamespace());
      }

      @Override public void onDelete(T o, boolean unknown) { enqueueQuotasOf(o.getMetadata().getNamespace()); }
    });
  }

  private void enqueueQuotasOf(String namespace) {
    if (namespace == null) return;
    for (ResourceQuota q : quotas.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) queue.add(Keys.of(q));
  }

  @Override
  public String name() { return NAME; }

  @Override
  public Result reconcile(String key) {
    ResourceQuota quota = quotas.getStore().getByKey(key);
    if (quota == null) return Result.DONE;
    String ns = quota.getMetadata().getNamespace();
    Map<String, Quantity> hard = quota.getSpec() == null || quota.getSpec().getHard() == null ? Map.of() : quota.getSpec().getHard();
    Map<String, io.kava.api.quantity.Quantity> used = usage(ns, hard.keySet());
    ResourceQuotaStatus next = new ResourceQuotaStatus();
    next.setHard(new TreeMap<>(hard));
    Map<String, Quantity> usedModel = new TreeMap<>();
    used.forEach((k, v) -> usedModel.put(k, new Quantity(v.toString())));
    next.setUsed(usedModel);
    if (!same(quota.getStatus(), next)) {
      ResourceQuota copy = Serial.copy(quota);
      copy.setStatus(next);
      client.resourceQuotas().inNamespace(ns).resource(copy).updateStatus();
    }
    return Result.requeueAfter(RESYNC);
  }

  /** The namespace's usage of each of {@code resources} (zero when nothing uses it). */
  Map<String, io.kava.api.quantity.Quantity> usage(String ns, Set<String> resources) {
    Map<String, io.kava.api.quantity.Quantity> used = new TreeMap<>();
    for (String r : resources) used.put(r, io.kava.api.quantity.Quantity.ZERO);
    Instant now = clock.instant();
    java.util.Set<String> counted = new java.util.HashSet<>();
    for (Tracked t : tracked.values()) {
      if (QuotaUsage.matchingResources(t.group(), t.plural(), resources).isEmpty()) continue;
      counted.add(QuotaUsage.countName(t.group(), t.plural()));
      // A counted object's usage does not depend on its content (the metadata informers hold none).
      Map<String, io.kava.api.quantity.Quantity> each = t.countOnly() ? QuotaUsage.usage(t.group(), t.plural(), MissingNode.getInstance(), now) : null;
      for (HasMetadata o : t.informer().getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)) {
        addUsage(used, each != null ? each : QuotaUsage.usage(t.group(), t.plural(), Serial.tree(o), now), resources);
      }
    }
    for (String r : resources) {
      if (!r.startsWith("count/") || counted.contains(r)) continue;
      Optional<Long> n = countFromApi(ns, r.substring("count/".length()));
      if (n.isPresent()) used.put(r, io.kava.api.quantity.Quantity.of(n.get(), io.kava.api.quantity.Quantity.Format.DECIMAL_SI));
    }
    return used;
  }

  private static void addUsage(Map<String, io.kava.api.quantity.Quantity> used, Map<String, io.kava.api.quantity.Quantity> u, Set<String> resources) {
    u.forEach((k, v) -> {
      if (resources.contains(k)) used.merge(k, v, io.kava.api.quantity.Quantity::add);
    });
  }

  /** The number of objects of "plural[.group]" in the namespace, listed from the API (metadata only). */
  private Optional<Long> countFromApi(String ns, String groupResource) {
    int dot = groupResource.indexOf('.');
    String plural = dot < 0 ? groupResource : groupResource.substring(0, dot);
    String group = dot < 0 ? "" : groupResource.substring(dot + 1);
    ApiDiscovery.Snapshot snap = discovery;
    Instant now = clock.instant();
    if (snap == null || discoveredAt == null || discoveredAt.plus(DISCOVERY_TTL).isBefore(now)) {
      snap = ApiDiscovery.discover(client);
      discovery = snap;
      discoveredAt = now;
    }
    for (ApiResource r : snap.preferred()) {
      if (r.plural().equals(plural) && r.group().equals(group) && r.namespaced()) {
        return Optional.of((long) raw.listMetadata(r.path(ns, null)).path("items").size());
      }
    }
    log.debug("quota resource count/{} names no served resource", groupResource);
    return Optional.empty();
  }

  private static Map<String, Quantity> hard(ResourceQuota q) { return q.getSpec() == null ? null : q.getSpec().getHard(); }

  private static boolean same(ResourceQuotaStatus a, ResourceQuotaStatus b) {
    if (a == null) return false;
    return Objects.equals(canonical(a.getHard()), canonical(b.getHard())) && Objects.equals(canonical(a.getUsed()), canonical(b.getUsed()));
  }

  private static Map<String, String> canonical(Map<String, Quantity> m) {
    Map<String, String> out = new TreeMap<>();
    if (m == null) return out;
    m.forEach((k, v) -> out.put(k, io.kava.api.quantity.Quantity.parse(v.toString()).toString()));
    return out;
  }

}
