package io.kava.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.controllers.runtime.ApiDiscovery;
import io.kava.controllers.runtime.ApiResource;
import io.kava.controllers.runtime.ControllerContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector's view of the cluster: one metadata informer per resource that can be listed, watched and
 * deleted (upstream's "monitors"), each indexed by uid and by owner uid. Together the indexes are the owner graph:
 * {@link #find} is a node, {@link #dependents} its edges. Discovery is re-read on {@link #resync} so custom
 * resources join and leave.
 */
final class Monitors {
  private static final Logger log = LoggerFactory.getLogger(Monitors.class);
  static final String UID_INDEX = "uid";
  static final String OWNER_INDEX = "owner-uid";
  /** Upstream's garbage collector ignores events: they are many, short-lived and never owners. */
  private static final Set<String> IGNORED = Set.of("events.", "events.events.k8s.io");
  /** A kind missing from discovery triggers a fresh read, but not more often than this. */
  private static final long REDISCOVER_MIN_NANOS = 2_000_000_000L;

  private static final ControllerContext.Indexers INDEXERS = new ControllerContext.Indexers(Map.of(
      UID_INDEX, o -> List.of(o.getMetadata().getUid()),
      OWNER_INDEX, o -> {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) return List.of();
        List<String> uids = new ArrayList<>(refs.size());
        for (OwnerReference r : refs) uids.add(r.getUid());
        return uids;
      }));

  private record Monitor(ApiResource resource, SharedIndexInformer<GenericKubernetesResource> informer) {}

  private final ControllerContext ctx;
  private final Supplier<ApiDiscovery.Snapshot> discover;
  private final Function<ApiResource, ResourceEventHandler<GenericKubernetesResource>> handlerFor;
  private final ConcurrentHashMap<String, Monitor> monitors = new ConcurrentHashMap<>();
  private volatile ApiDiscovery.Snapshot discovery;
  private volatile long lastDiscoveryNanos;

  Monitors(ControllerContext ctx, Supplier<ApiDiscovery.Snapshot> discover,
           Function<ApiResource, ResourceEventHandler<GenericKubernetesResource>> handlerFor) {
    this.ctx = ctx;
    this.discover = discover;
    this.handlerFor = handlerFor;
    this.discovery = readDiscovery();
    for (ApiResource r : eligible(discovery)) add(r, true);
  }

  /** The cached object with {@code uid}, from whichever resource holds it. */
  Optional<Observed> find(String uid) {
    for (Monitor m : monitors.values()) {
      List<GenericKubernetesResource> hits = m.informer.getIndexer().byIndex(UID_INDEX, uid);
      if (!hits.isEmpty()) return Optional.of(new Observed(m.resource, hits.get(0)));
    }
    return Optional.empty();
  }

  /** Every cached object that lists {@code ownerUid} among its ownerReferences. */
  List<Observed> dependents(String ownerUid) {
    List<Observed> out = new ArrayList<>();
    for (Monitor m : monitors.values()) {
      for (GenericKubernetesResource o : m.informer.getIndexer().byIndex(OWNER_INDEX, ownerUid)) out.add(new Observed(m.resource, o));
    }
    return out;
  }

  /** The resource serving an ownerReference's apiVersion and kind; re-reads discovery once on a miss. */
  Optional<ApiResource> resourceFor(String apiVersion, String kind) {
    Optional<ApiResource> r = discovery.forKind(apiVersion, kind);
    if (r.isPresent() || System.nanoTime() - lastDiscoveryNanos < REDISCOVER_MIN_NANOS) return r;
    discovery = readDiscovery();
    return discovery.forKind(apiVersion, kind);
  }

  /** Re-reads discovery: starts monitors for new resources, stops those of resources no longer served. */
  void resync() {
    ApiDiscovery.Snapshot fresh = readDiscovery();
    discovery = fresh;
    Set<String> keep = new HashSet<>();
    for (ApiResource r : eligible(fresh)) {
      keep.add(key(r));
      if (!monitors.containsKey(key(r))) {
        log.info("garbage collector: monitoring new resource {}", r);
        add(r, false);
      }
    }
    // A group that failed discovery this time keeps its monitors: failure is not proof the resource is gone.
    for (Monitor m : List.copyOf(monitors.values())) {
      if (!keep.contains(key(m.resource)) && !fresh.failures().containsKey(m.resource.apiVersion())) {
        log.info("garbage collector: resource {} is no longer served", m.resource);
        monitors.remove(key(m.resource));
        ctx.dropInformer(m.resource);
      }
    }
  }

  private void add(ApiResource r, boolean atStart) {
    SharedIndexInformer<GenericKubernetesResource> inf = atStart ? ctx.informer(r, INDEXERS) : ctx.lateInformer(r, INDEXERS);
    inf.addEventHandler(handlerFor.apply(r));
    monitors.put(key(r), new Monitor(r, inf));
  }

  private ApiDiscovery.Snapshot readDiscovery() {
    ApiDiscovery.Snapshot s = discover.get();
    lastDiscoveryNanos = System.nanoTime();
    if (!s.failures().isEmpty()) log.warn("garbage collector: discovery failed for {}", s.failures().keySet());
    return s;
  }

  private static List<ApiResource> eligible(ApiDiscovery.Snapshot s) {
    List<ApiResource> out = new ArrayList<>();
    for (ApiResource r : s.preferred()) {
      if (r.supports("list", "watch", "delete") && !IGNORED.contains(r.groupResource())) out.add(r);
    }
    return out;
  }

  private static String key(ApiResource r) { return r.apiVersion() + "/" + r.plural(); }
}
