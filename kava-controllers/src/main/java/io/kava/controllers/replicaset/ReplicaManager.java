package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kava.client.Ticker;
import io.kava.client.WorkQueue;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.ControllerRefManager;
import io.kava.controllers.workload.Indexes;
import io.kava.controllers.workload.Owners;
import io.kava.controllers.workload.Pods;
import io.kava.controllers.workload.Selectors;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's ReplicaSet controller for any {@link ReplicaKind}: keeps the number of active pods a replica set owns
 * at spec.replicas and reports what they are doing in its status. Keys are "namespace/name" of the replica set.
 *
 * <p>Pod events map to the owning replica set through the pod's controller reference; an orphan pod wakes every
 * replica set whose selector matches it (one of them may adopt it). {@link Expectations} hold back a new diff while
 * the cache has not yet shown this controller's own creations and deletions.
 */
public class ReplicaManager<T extends HasMetadata> implements Controller {
  private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);
  /** Upstream's statusUpdateRetries: one more try, on a fresh copy, after a failed status write. */
  static final int STATUS_UPDATE_RETRIES = 1;

  private final String name;
  private final ReplicaKind<T> kind;
  private final KubernetesClient client;
  private final WorkQueue<String> queue;
  private final SharedIndexInformer<T> owners;
  private final SharedIndexInformer<Pod> pods;
  private final Expectations expectations;
  private final ReplicaSync sync;
  private final Clock clock;
  private final int workers;

  public ReplicaManager(ControllerContext ctx, ReplicaKind<T> kind, int workers) {
    this.name = ctx.name();
    this.kind = kind;
    this.client = ctx.client();
    this.queue = ctx.queue();
    this.workers = workers;
    this.clock = Clock.systemUTC();
    this.expectations = new Expectations(Ticker.system());
    this.sync = new ReplicaSync(new ClientPodControl(client, ctx.recorder(kind.component())), expectations);
    this.owners = ctx.informer(kind.type());
    this.pods = ctx.informer(Pod.class);
    Indexes.byControllerUid(owners);
    Indexes.byControllerUidAndOrphans(pods);
    owners.addEventHandler(new OwnerEvents());
    pods.addEventHandler(new PodEvents());
  }

  @Override
  public String name() { return name; }

  @Override
  public int workers() { return workers; }

  @Override
  public Result reconcile(String key) throws Exception {
    T cached = owners.getStore().getByKey(key);
    if (cached == null) {
      expectations.delete(key);
      return Result.DONE;
    }
    ReplicaView rs = kind.view(cached);
    // Read before listing pods: an expectation met after this point means the list below already shows it.
    boolean needsSync = expectations.satisfied(key);
    if (rs.selector() == null) {
      log.warn("{} {}: invalid selector: {}", kind.kind(), key, rs.selectorError());
      return Result.DONE;
    }
    // Our pods and the namespace's orphans, not the whole namespace: a pod event syncs its replica set, which must
    // not then walk every pod of the namespace. Pods another controller owns would be skipped by the claim anyway.
    List<Pod> active = new ArrayList<>();
    for (Pod p : Indexes.ownedAndOrphans(pods.getIndexer(), cached)) {
      if (Pods.isActive(p)) active.add(p);
    }
    List<Pod> claimed = claimPods(cached, rs, active);

    Exception manageError = null;
    if (needsSync && !rs.deleting()) {
      try {
        sync.manage(key, rs, Owners.newControllerRef(cached, kind.apiVersion(), kind.kind()), reference(cached), claimed,
            () -> relatedPods(cached), clock.instant());
      } catch (Exception e) {
        manageError = e;
      }
    }
    ReplicaStatus next = ReplicaSync.calculateStatus(rs, claimed, manageError, clock.instant());
    ReplicaView updated = kind.view(writeStatus(cached, rs, next));
    if (manageError != null) throw manageError;
    if (updated.minReadySeconds() > 0 && updated.status().readyReplicas() == updated.replicas()
        && updated.status().availableReplicas() != updated.replicas()) {
      // Ready pods become available after minReadySeconds without any event: look again then.
      return Result.requeueAfter(Duration.ofSeconds(updated.minReadySeconds()));
    }
    return Result.DONE;
  }

  private List<Pod> claimPods(T owner, ReplicaView rs, List<Pod> active) throws Exception {
    ControllerRefManager refs = new ControllerRefManager(owner, kind.apiVersion(), kind.kind(), () -> {
      // Recheck on a live read that we still exist and are not being deleted before adopting anything.
      T fresh = kind.get(client, rs.namespace(), rs.name());
      if (fresh == null || !Objects.equals(fresh.getMetadata().getUid(), rs.uid())) {
        throw new IllegalStateException("original " + kind.kind() + " " + rs.namespace() + "/" + rs.name() + " is gone: got uid "
            + (fresh == null ? "" : fresh.getMetadata().getUid()) + ", wanted " + rs.uid());
      }
      if (fresh.getMetadata().getDeletionTimestamp() != null) {
        throw new IllegalStateException(rs.namespace() + "/" + rs.name() + " has just been deleted at " + fresh.getMetadata().getDeletionTimestamp());
      }
    });
    return refs.claim(active, p -> rs.selector().matches(Selectors.labels(p)),
        (ns, n, patch) -> client.pods().inNamespace(ns).withName(n).patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch)).orThrow();
  }

  /** Pods selected by any replica set that shares our controller, once each (upstream's getIndirectlyRelatedPods). */
  private List<Pod> relatedPods(T owner) {
    String controllerUid = Owners.controllerUid(owner);
    if (controllerUid == null) return List.of();
    List<Pod> related = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (T sibling : owners.getIndexer().byIndex(Indexes.CONTROLLER_UID, controllerUid)) {
      ReplicaView v = kind.view(sibling);
      if (v.selector() == null) continue;
      for (Pod p : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, v.namespace())) {
        if (v.selector().matches(Selectors.labels(p)) && seen.add(p.getMetadata().getUid())) related.add(p);
      }
    }
    return related;
  }

  /** Writes the status if it changed, once more on a fresh copy if the first write fails; returns the result. */
  private T writeStatus(T cached, ReplicaView rs, ReplicaStatus next) {
    if (!ReplicaSync.statusChanged(rs.status(), next, rs.generation())) return cached;
    T current = cached;
    for (int i = 0; ; i++) {
      // The generation synced is the cached one, also when the retry writes onto a fresher copy.
      ReplicaStatus s = next.withObservedGeneration(rs.generation());
      try {
        return kind.updateStatus(client, kind.withStatus(current, s));
      } catch (KubernetesClientException e) {
        if (i >= STATUS_UPDATE_RETRIES) throw e;
        T fresh = kind.get(client, rs.namespace(), rs.name());
        if (fresh == null) throw e;
        current = fresh;
      }
    }
  }

  private ObjectReference reference(T o) { return Owners.reference(o, kind.apiVersion(), kind.kind()); }

  /** The replica set a controller reference names, if it is one of ours and still the same object. */
  private T resolve(String namespace, OwnerReference ref) {
    if (ref == null || !kind.kind().equals(ref.getKind())) return null;
    T o = owners.getStore().getByKey(Keys.of(namespace, ref.getName()));
    return o != null && Objects.equals(o.getMetadata().getUid(), ref.getUid()) ? o : null;
  }

  /** Replica sets whose selector matches an orphan pod (a non-empty selector; an empty one would take everything). */
  private List<T> ownersMatching(Pod pod) {
    List<T> out = new ArrayList<>();
    for (T o : owners.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
      ReplicaView v = kind.view(o);
      if (v.selector() == null || v.selector().isEmpty() || v.selector().matchesNothing()) continue;
      if (v.selector().matches(Selectors.labels(pod))) out.add(o);
    }
    return out;
  }

  private void enqueue(HasMetadata o) { queue.add(Keys.of(o)); }

  private final class OwnerEvents implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T o) { enqueue(o); }

    @Override
    public void onUpdate(T old, T cur) {
      // A replica set deleted and re-created under the same name between two events: the old one's record is stale.
      if (!Objects.equals(old.getMetadata().getUid(), cur.getMetadata().getUid())) expectations.delete(Keys.of(old));
      enqueue(cur);
    }

    @Override
    public void onDelete(T o, boolean finalStateUnknown) {
      expectations.delete(Keys.of(o));
      enqueue(o);
    }
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        // Seen first while already terminating (a restart of the controller): count it as a deletion, not a creation.
        onDelete(pod, false);
        return;
      }
      OwnerReference ref = Owners.controllerOf(pod);
      if (ref != null) {
        T rs = resolve(pod.getMetadata().getNamespace(), ref);
        if (rs == null) return;
        expectations.creationObserved(Keys.of(rs));
        enqueue(rs);
        return;
      }
      ownersMatching(pod).forEach(ReplicaManager.this::enqueue);
    }

    @Override
    public void onUpdate(Pod old, Pod cur) {
      if (Handlers.sameVersion(old, cur)) return;
      boolean labelsChanged = !Objects.equals(Selectors.labels(old), Selectors.labels(cur));
      if (cur.getMetadata().getDeletionTimestamp() != null) {
        // A graceful deletion shows up as an update; the replica set need not wait for the pod to disappear.
        onDelete(cur, false);
        if (labelsChanged) onDelete(old, false);
        return;
      }
      OwnerReference curRef = Owners.controllerOf(cur);
      OwnerReference oldRef = Owners.controllerOf(old);
      boolean refChanged = !Objects.equals(curRef, oldRef);
      if (refChanged && oldRef != null) {
        T previous = resolve(old.getMetadata().getNamespace(), oldRef);
        if (previous != null) enqueue(previous);
      }
      if (curRef != null) {
        T rs = resolve(cur.getMetadata().getNamespace(), curRef);
        if (rs == null) return;
        enqueue(rs);
        int minReady = kind.view(rs).minReadySeconds();
        if (!Pods.isReady(old) && Pods.isReady(cur) && minReady > 0) {
          // It becomes available minReadySeconds from now; the extra second absorbs timestamp rounding.
          queue.addAfter(Keys.of(rs), Duration.ofSeconds(minReady + 1L));
        }
        return;
      }
      if (labelsChanged || refChanged) ownersMatching(cur).forEach(ReplicaManager.this::enqueue);
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      OwnerReference ref = Owners.controllerOf(pod);
      if (ref == null) return;
      T rs = resolve(pod.getMetadata().getNamespace(), ref);
      if (rs == null) return;
      expectations.deletionObserved(Keys.of(rs), Pods.key(pod));
      enqueue(rs);
    }
  }
}
