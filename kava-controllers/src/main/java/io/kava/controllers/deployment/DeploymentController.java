package io.kava.controllers.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kava.api.selector.LabelSelector;
import io.kava.client.EventRecorder;
import io.kava.client.WorkQueue;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.ControllerRefManager;
import io.kava.controllers.workload.Indexes;
import io.kava.controllers.workload.Owners;
import io.kava.controllers.workload.Selectors;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's deployment controller: a Deployment runs its pods through ReplicaSets, one per pod template revision,
 * named {@code <deployment>-<pod-template-hash>}. Keys are "namespace/name" of Deployments.
 *
 * <p>Each sync claims the ReplicaSets the selector finds (adopting orphans, releasing strays), then, in upstream's
 * order: a deleting Deployment only gets its status; pausing and resuming adjust Progressing; a paused Deployment or
 * a change of spec.replicas is a scale (proportional across ReplicaSets mid-rollout); otherwise the strategy
 * (RollingUpdate or Recreate) moves the rollout on. The writes are {@link DeploymentSync}'s.
 */
public final class DeploymentController implements Controller {
  private static final Logger log = LoggerFactory.getLogger(DeploymentController.class);
  public static final String NAME = "deployment";
  static final String API_VERSION = "apps/v1";
  static final String KIND = "Deployment";
  static final int WORKERS = 2;

  private final KubernetesClient client;
  private final WorkQueue<String> queue;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder recorder;
  private final DeploymentSync sync;

  public DeploymentController(ControllerContext ctx) {
    this.client = ctx.client();
    this.queue = ctx.queue();
    this.recorder = ctx.recorder(DeploymentSync.COMPONENT);
    this.deployments = ctx.informer(Deployment.class);
    this.replicaSets = ctx.informer(ReplicaSet.class);
    this.pods = ctx.informer(Pod.class);
    Indexes.byControllerUid(pods);
    Indexes.byControllerUid(replicaSets);
    this.sync = new DeploymentSync(new ClientApi(), Clock.systemUTC());
    deployments.addEventHandler(Handlers.enqueueSelf(queue));
    replicaSets.addEventHandler(new ReplicaSetEvents());
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {}

      @Override
      public void onUpdate(Pod old, Pod cur) {}

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        // Recreate waits for old pods to be gone; their disappearance is the event that lets it go on.
        Deployment d = deploymentForPod(pod);
        if (d != null && DeploymentUtil.RECREATE.equals(DeploymentUtil.strategy(d))) queue.add(Keys.of(d));
      }
    });
  }

  @Override
  public String name() { return NAME; }

  @Override
  public int workers() { return WORKERS; }

  @Override
  public Result reconcile(String key) throws Exception {
    Deployment cached = deployments.getStore().getByKey(key);
    if (cached == null) return Result.DONE;
    Deployment d = Serial.copy(cached); // the sync changes its copy as it goes

    if (Selectors.isEmpty(d.getSpec().getSelector())) {
      recorder.event(Owners.reference(d, API_VERSION, KIND), EventRecorder.WARNING, "SelectingAll",
          "This deployment is selecting all pods. A non-empty selector is required.");
      long observed = d.getStatus() == null || d.getStatus().getObservedGeneration() == null ? 0 : d.getStatus().getObservedGeneration();
      long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
      if (observed < generation) {
        if (d.getStatus() == null) d.setStatus(new DeploymentStatus());
        d.getStatus().setObservedGeneration(generation);
        client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).updateStatus();
      }
      return Result.DONE;
    }
    LabelSelector selector;
    try {
      selector = Selectors.of(d.getSpec().getSelector());
    } catch (RuntimeException e) {
      log.warn("deployment {}: invalid selector: {}", key, e.getMessage());
      return Result.DONE;
    }

    List<ReplicaSet> rsList = claimReplicaSets(d, selector);
    Map<String, List<Pod>> podMap = podsByReplicaSet(d, selector, rsList);

    if (d.getMetadata().getDeletionTimestamp() != null) {
      sync.syncStatusOnly(d, rsList);
      return Result.DONE;
    }
    sync.checkPausedConditions(d);
    if (DeploymentUtil.paused(d)) {
      sync.sync(d, rsList);
      return Result.DONE;
    }
    // Not re-entrant: once the template is restored the annotation is gone, so the next sync rolls out normally.
    if (DeploymentSync.rollbackTo(d) != null) {
      sync.rollback(d, rsList);
      return Result.DONE;
    }
    if (sync.isScalingEvent(d, rsList)) {
      sync.sync(d, rsList);
      return Result.DONE;
    }
    switch (DeploymentUtil.strategy(d)) {
      case DeploymentUtil.RECREATE -> sync.rolloutRecreate(d, rsList, podMap);
      case DeploymentUtil.ROLLING_UPDATE -> sync.rolloutRolling(d, rsList);
      default -> throw new IllegalStateException("unexpected deployment strategy type: " + DeploymentUtil.strategy(d));
    }
    return Result.DONE;
  }

  /** The ReplicaSets this Deployment owns, after adopting matching orphans and releasing ones that stopped matching. */
  private List<ReplicaSet> claimReplicaSets(Deployment d, LabelSelector selector) throws Exception {
    String ns = d.getMetadata().getNamespace();
    List<ReplicaSet> all = replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns);
    ControllerRefManager refs = new ControllerRefManager(d, API_VERSION, KIND, () -> {
      Deployment fresh = client.apps().deployments().inNamespace(ns).withName(d.getMetadata().getName()).get();
      if (fresh == null || !Objects.equals(fresh.getMetadata().getUid(), d.getMetadata().getUid())) {
        throw new IllegalStateException("original Deployment " + ns + "/" + d.getMetadata().getName() + " is gone: got uid "
            + (fresh == null ? "" : fresh.getMetadata().getUid()) + ", wanted " + d.getMetadata().getUid());
      }
      if (fresh.getMetadata().getDeletionTimestamp() != null) {
        throw new IllegalStateException(ns + "/" + d.getMetadata().getName() + " has just been deleted at " + fresh.getMetadata().getDeletionTimestamp());
      }
    });
    return new ArrayList<>(refs.claim(all, rs -> selector.matches(Selectors.labels(rs)),
        (n, name, patch) -> client.apps().replicaSets().inNamespace(n).withName(name).patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch))
        .orThrow());
  }

  /** The Deployment's pods grouped by the uid of their ReplicaSet (every claimed ReplicaSet has an entry). */
  private Map<String, List<Pod>> podsByReplicaSet(Deployment d, LabelSelector selector, List<ReplicaSet> rsList) {
    // By each ReplicaSet's controller-uid index: O(the Deployment's pods), not O(the namespace's pods).
    Map<String, List<Pod>> byRS = new HashMap<>();
    for (ReplicaSet rs : rsList) {
      List<Pod> list = new ArrayList<>();
      for (Pod p : pods.getIndexer().byIndex(Indexes.CONTROLLER_UID, rs.getMetadata().getUid())) {
        if (Objects.equals(p.getMetadata().getNamespace(), d.getMetadata().getNamespace()) && selector.matches(Selectors.labels(p))) list.add(p);
      }
      byRS.put(rs.getMetadata().getUid(), list);
    }
    return byRS;
  }

  private Deployment resolve(String namespace, OwnerReference ref) {
    if (ref == null || !KIND.equals(ref.getKind())) return null;
    Deployment d = deployments.getStore().getByKey(Keys.of(namespace, ref.getName()));
    return d != null && Objects.equals(d.getMetadata().getUid(), ref.getUid()) ? d : null;
  }

  private Deployment deploymentForPod(Pod pod) {
    OwnerReference ref = Owners.controllerOf(pod);
    if (ref == null || !"ReplicaSet".equals(ref.getKind())) return null;
    ReplicaSet rs = replicaSets.getStore().getByKey(Keys.of(pod.getMetadata().getNamespace(), ref.getName()));
    if (rs == null || !Objects.equals(rs.getMetadata().getUid(), ref.getUid())) return null;
    return resolve(rs.getMetadata().getNamespace(), Owners.controllerOf(rs));
  }

  /** Deployments whose (non-empty) selector matches an orphan ReplicaSet's labels. */
  private List<Deployment> deploymentsMatching(ReplicaSet rs) {
    List<Deployment> out = new ArrayList<>();
    for (Deployment d : deployments.getIndexer().byIndex(Cache.NAMESPACE_INDEX, rs.getMetadata().getNamespace())) {
      if (d.getSpec() == null || Selectors.isEmpty(d.getSpec().getSelector())) continue;
      try {
        if (Selectors.of(d.getSpec().getSelector()).matches(Selectors.labels(rs))) out.add(d);
      } catch (RuntimeException invalid) {
        // an unparsable selector matches nothing
      }
    }
    return out;
  }

  private void enqueue(HasMetadata d) { queue.add(Keys.of(d)); }

  private final class ReplicaSetEvents implements ResourceEventHandler<ReplicaSet> {
    @Override
    public void onAdd(ReplicaSet rs) {
      if (rs.getMetadata().getDeletionTimestamp() != null) {
        onDelete(rs, false);
        return;
      }
      OwnerReference ref = Owners.controllerOf(rs);
      if (ref != null) {
        Deployment d = resolve(rs.getMetadata().getNamespace(), ref);
        if (d != null) enqueue(d);
        return;
      }
      deploymentsMatching(rs).forEach(DeploymentController.this::enqueue);
    }

    @Override
    public void onUpdate(ReplicaSet old, ReplicaSet cur) {
      if (Handlers.sameVersion(old, cur)) return;
      OwnerReference curRef = Owners.controllerOf(cur);
      OwnerReference oldRef = Owners.controllerOf(old);
      boolean refChanged = !Objects.equals(curRef, oldRef);
      if (refChanged && oldRef != null) {
        Deployment d = resolve(old.getMetadata().getNamespace(), oldRef);
        if (d != null) enqueue(d);
      }
      if (curRef != null) {
        Deployment d = resolve(cur.getMetadata().getNamespace(), curRef);
        if (d != null) enqueue(d);
        return;
      }
      boolean labelsChanged = !Objects.equals(Selectors.labels(old), Selectors.labels(cur));
      if (labelsChanged || refChanged) deploymentsMatching(cur).forEach(DeploymentController.this::enqueue);
    }

    @Override
    public void onDelete(ReplicaSet rs, boolean finalStateUnknown) {
      Deployment d = resolve(rs.getMetadata().getNamespace(), Owners.controllerOf(rs));
      if (d != null) enqueue(d);
    }
  }

  /** {@link DeploymentApi} over fabric8, the ReplicaSet informer, the recorder and the queue. */
  private final class ClientApi implements DeploymentApi {
    @Override
    public ReplicaSet createReplicaSet(ReplicaSet rs) {
      return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).create();
    }

    @Override
    public ReplicaSet updateReplicaSet(ReplicaSet rs) {
      return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).update();
    }

    @Override
    public void deleteReplicaSet(ReplicaSet rs) {
      client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName()).delete();
    }

    @Override
    public Deployment updateDeploymentStatus(Deployment d) {
      return client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).updateStatus();
    }

    @Override
    public Deployment updateDeployment(Deployment d) {
      return client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).update();
    }

    @Override
    public ReplicaSet cachedReplicaSet(String namespace, String name) {
      return replicaSets.getStore().getByKey(Keys.of(namespace, name));
    }

    @Override
    public void event(Deployment d, String type, String reason, String message) {
      recorder.event(Owners.reference(d, API_VERSION, KIND), type, reason, message);
    }

    @Override
    public void requeueAfter(Deployment d, Duration delay) { queue.addAfter(Keys.of(d), delay); }

    @Override
    public void requeueRateLimited(Deployment d) { queue.addRateLimited(Keys.of(d)); }
  }
}
