package io.kava.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kava.api.selector.LabelSelector;
import io.kava.client.EventRecorder;
import io.kava.client.Ticker;
import io.kava.client.WorkQueue;
import io.kava.controllers.replicaset.Expectations;
import io.kava.controllers.replicaset.SlowStart;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.ApiErrors;
import io.kava.controllers.workload.ControllerRefManager;
import io.kava.controllers.workload.Indexes;
import io.kava.controllers.workload.Owners;
import io.kava.controllers.workload.Pods;
import io.kava.controllers.workload.RevisionHistory;
import io.kava.controllers.workload.Revisions;
import io.kava.controllers.workload.Selectors;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's DaemonSet controller: one pod per eligible node ({@link NodeEligibility}), created unbound with a
 * {@code metadata.name} node affinity for the scheduler to honour ({@link DaemonPods}), rolled to a new template
 * by RollingUpdate (maxUnavailable / maxSurge) or left to the user by OnDelete, with ControllerRevisions for
 * {@code kubectl rollout history/undo}. Keys are "namespace/name" of DaemonSets.
 */
public final class DaemonSetController implements Controller {
  private static final Logger log = LoggerFactory.getLogger(DaemonSetController.class);
  public static final String NAME = "daemonset";
  static final String API_VERSION = "apps/v1";
  static final String KIND = "DaemonSet";
  static final String COMPONENT = "daemonset-controller";
  /** Upstream's BurstReplicas: at most this many creations or deletions per sync. */
  static final int BURST = 250;
  static final int WORKERS = 2;

  private final KubernetesClient client;
  private final WorkQueue<String> queue;
  private final SharedIndexInformer<DaemonSet> daemonSets;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<ControllerRevision> revisions;
  private final EventRecorder recorder;
  private final Expectations expectations = new Expectations(Ticker.system());
  private final Clock clock = Clock.systemUTC();

  public DaemonSetController(ControllerContext ctx) {
    this.client = ctx.client();
    this.queue = ctx.queue();
    this.recorder = ctx.recorder(COMPONENT);
    this.daemonSets = ctx.informer(DaemonSet.class);
    this.pods = ctx.informer(Pod.class);
    this.nodes = ctx.informer(Node.class);
    this.revisions = ctx.informer(ControllerRevision.class);
    daemonSets.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(DaemonSet ds) { queue.add(Keys.of(ds)); }

      @Override
      public void onUpdate(DaemonSet old, DaemonSet cur) {
        if (!Objects.equals(old.getMetadata().getUid(), cur.getMetadata().getUid())) expectations.delete(Keys.of(old));
        queue.add(Keys.of(cur));
      }

      @Override
      public void onDelete(DaemonSet ds, boolean finalStateUnknown) {
        expectations.delete(Keys.of(ds));
        queue.add(Keys.of(ds));
      }
    });
    Indexes.byControllerUidAndOrphans(pods); // a sync reads its own pods and the orphans, not the namespace
    pods.addEventHandler(new PodEvents());
    nodes.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node n) { enqueueAll(); }

      @Override
      public void onUpdate(Node old, Node cur) { if (schedulingChanged(old, cur)) enqueueAll(); }

      @Override
      public void onDelete(Node n, boolean finalStateUnknown) { enqueueAll(); }
    });
    revisions.addEventHandler(Handlers.enqueue(queue, cr -> {
      OwnerReference ref = Owners.controllerOf(cr);
      return ref != null && KIND.equals(ref.getKind()) ? Keys.of(cr.getMetadata().getNamespace(), ref.getName()) : null;
    }));
  }

  @Override
  public String name() { return NAME; }

  @Override
  public int workers() { return WORKERS; }

  private void enqueueAll() { daemonSets.getStore().list().forEach(ds -> queue.add(Keys.of(ds))); }

  /** Heartbeats change a node's status all the time; only what decides where daemon pods run wakes every set. */
  static boolean schedulingChanged(Node old, Node cur) {
    if (Handlers.sameVersion(old, cur)) return false;
    if (!Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels())) return true;
    // A Node created without a spec has none in fabric8's model (Go would have an empty struct).
    NodeSpec was = old.getSpec() == null ? new NodeSpec() : old.getSpec();
    NodeSpec is = cur.getSpec() == null ? new NodeSpec() : cur.getSpec();
    if (!Objects.equals(was.getTaints(), is.getTaints())) return true;
    if (!Objects.equals(was.getUnschedulable(), is.getUnschedulable())) return true;
    return !Objects.equals(readyStatus(old), readyStatus(cur));
  }

  private static String readyStatus(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) return null;
    for (NodeCondition c : n.getStatus().getConditions()) if ("Ready".equals(c.getType())) return c.getStatus();
    return null;
  }

  @Override
  public Result reconcile(String key) throws Exception {
    DaemonSet cached = daemonSets.getStore().getByKey(key);
    if (cached == null) {
      expectations.delete(key);
      return Result.DONE;
    }
    DaemonSet ds = Serial.copy(cached);
    if (Selectors.isEmpty(ds.getSpec().getSelector())) {
      recorder.event(ref(ds), EventRecorder.WARNING, "SelectingAll", "This daemon set is selecting all pods. A non-empty selector is required.");
      return Result.DONE;
    }
    LabelSelector selector;
    try {
      selector = Selectors.of(ds.getSpec().getSelector());
    } catch (RuntimeException e) {
      log.warn("daemonset {}: invalid selector: {}", key, e.getMessage());
      return Result.DONE;
    }
    boolean satisfied = expectations.satisfied(key);
    List<Pod> owned = claimPods(ds, selector);

    List<ControllerRevision> ownedRevisions = new ArrayList<>();
    for (ControllerRevision r : revisions.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ds.getMetadata().getNamespace())) {
      if (Objects.equals(Owners.controllerUid(r), ds.getMetadata().getUid())) ownedRevisions.add(r);
    }
    if (ds.getMetadata().getDeletionTimestamp() != null) return Result.DONE; // the garbage collector takes the pods
    RevisionHistory.Current history;
    try {
      history = RevisionHistory.ensure(client, ds, API_VERSION, KIND, ds.getSpec().getTemplate(), collisionCount(ds),
          ds.getMetadata().getAnnotations(), ownedRevisions);
    } catch (RevisionHistory.CollisionException e) {
      DaemonSetStatus st = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
      st.setCollisionCount(collisionCount(ds) == null ? 1 : collisionCount(ds) + 1);
      ds.setStatus(st);
      client.apps().daemonSets().inNamespace(ds.getMetadata().getNamespace()).resource(ds).updateStatus();
      throw e;
    }
    String hash = history.hash();
    PodTemplateSpec template = DaemonPods.template(ds, hash);
    String generation = ds.getMetadata().getAnnotations() == null ? null : ds.getMetadata().getAnnotations().get(DaemonPods.TEMPLATE_GENERATION_ANNOTATION);
    DaemonSetPlan.Input in = new DaemonSetPlan.Input(ds, template.getSpec(), hash, generation, nodes.getStore().list(), owned, clock.instant());

    Exception manageError = null;
    if (satisfied) {
      try {
        execute(key, ds, template, DaemonSetPlan.compute(in));
      } catch (Exception e) {
        manageError = e;
      }
      Set<String> liveHashes = new HashSet<>();
      for (Pod p : owned) {
        Map<String, String> l = p.getMetadata().getLabels();
        if (l != null && l.get(Revisions.HASH_LABEL) != null) liveHashes.add(l.get(Revisions.HASH_LABEL));
      }
      int limit = ds.getSpec().getRevisionHistoryLimit() == null ? 10 : ds.getSpec().getRevisionHistoryLimit();
      RevisionHistory.truncate(client, history.old(), r -> liveHashes.contains(r.getMetadata().getLabels() == null ? null
          : r.getMetadata().getLabels().get(Revisions.HASH_LABEL)), limit);
    }
    DaemonSetStatus next = DaemonSetPlan.status(in);
    writeStatus(ds, next);
    if (manageError != null) throw manageError;
    int minReady = DaemonSetPlan.minReadySeconds(ds);
    if (minReady > 0 && !Objects.equals(next.getNumberReady(), n(next.getNumberAvailable()))) {
      return Result.requeueAfter(Duration.ofSeconds(minReady));
    }
    return Result.DONE;
  }

  private void execute(String key, DaemonSet ds, PodTemplateSpec template, DaemonSetPlan plan) throws Exception {
    for (Pod p : plan.failed()) {
      recorder.event(ref(ds), EventRecorder.WARNING, "FailedDaemonPod",
          "Found failed daemon pod " + Pods.key(p) + " on node " + DaemonPods.targetNode(p) + ", will try to kill it");
    }
    List<String> createOn = plan.createOn().size() > BURST ? plan.createOn().subList(0, BURST) : plan.createOn();
    List<Pod> delete = plan.delete().size() > BURST ? plan.delete().subList(0, BURST) : plan.delete();
    if (!delete.isEmpty()) {
      Set<String> keys = new HashSet<>();
      delete.forEach(p -> keys.add(Pods.key(p)));
      expectations.expectDeletions(key, keys);
      AtomicInteger next = new AtomicInteger();
      SlowStart.Outcome o = SlowStart.run(delete.size(), delete.size(), () -> {
        Pod p = delete.get(next.getAndIncrement());
        try {
          client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
          recorder.event(ref(ds), EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + p.getMetadata().getName());
        } catch (KubernetesClientException e) {
          expectations.deletionObserved(key, Pods.key(p));
          if (e.getCode() == 404) return;
          recorder.event(ref(ds), EventRecorder.WARNING, "FailedDelete", "Error deleting: " + ApiErrors.message(e));
          throw e;
        }
      });
      if (o.error() != null) throw o.error();
    }
    if (!createOn.isEmpty()) {
      OwnerReference controllerRef = Owners.newControllerRef(ds, API_VERSION, KIND);
      expectations.expectCreations(key, createOn.size());
      AtomicInteger next = new AtomicInteger();
      SlowStart.Outcome o = SlowStart.run(createOn.size(), SlowStart.INITIAL_BATCH_SIZE, () -> {
        String node = createOn.get(next.getAndIncrement());
        Pod pod = DaemonPods.forNode(template, ds.getMetadata().getName(), node, controllerRef);
        try {
          Pod created = client.pods().inNamespace(ds.getMetadata().getNamespace()).resource(pod).create();
          recorder.event(ref(ds), EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        } catch (KubernetesClientException e) {
          expectations.creationObserved(key);
          if (!ApiErrors.isNamespaceTerminating(e)) recorder.event(ref(ds), EventRecorder.WARNING, "FailedCreate", "Error creating: " + ApiErrors.message(e));
          throw e;
        }
      });
      for (int i = next.get(); i < createOn.size(); i++) expectations.creationObserved(key);
      if (o.error() != null) throw o.error();
    }
  }

  private void writeStatus(DaemonSet ds, DaemonSetStatus next) {
    DaemonSetStatus cur = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
    next.setObservedGeneration(ds.getMetadata().getGeneration());
    next.setCollisionCount(cur.getCollisionCount());
    next.setConditions(cur.getConditions());
    if (Serial.tree(cur).equals(Serial.tree(next))) return;
    ds.setStatus(next);
    client.apps().daemonSets().inNamespace(ds.getMetadata().getNamespace()).resource(ds).updateStatus();
  }

  private List<Pod> claimPods(DaemonSet ds, LabelSelector selector) throws Exception {
    String uid = ds.getMetadata().getUid();
    List<Pod> candidates = new ArrayList<>();
    for (Pod p : Indexes.ownedAndOrphans(pods.getIndexer(), ds)) {
      String owner = Owners.controllerUid(p);
      if (owner == null ? selector.matches(Selectors.labels(p)) : owner.equals(uid)) candidates.add(p);
    }
    ControllerRefManager refs = new ControllerRefManager(ds, API_VERSION, KIND, () -> {
      DaemonSet fresh = client.apps().daemonSets().inNamespace(ds.getMetadata().getNamespace()).withName(ds.getMetadata().getName()).get();
      if (fresh == null || !Objects.equals(fresh.getMetadata().getUid(), uid)) throw new IllegalStateException("original DaemonSet " + Keys.of(ds) + " is gone");
      if (fresh.getMetadata().getDeletionTimestamp() != null) throw new IllegalStateException(Keys.of(ds) + " is being deleted");
    });
    return refs.claim(candidates, p -> selector.matches(Selectors.labels(p)),
        (ns, n, patch) -> client.pods().inNamespace(ns).withName(n).patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch)).orThrow();
  }

  private static Integer collisionCount(DaemonSet ds) { return ds.getStatus() == null ? null : ds.getStatus().getCollisionCount(); }

  private static int n(Integer i) { return i == null ? 0 : i; }

  private static io.fabric8.kubernetes.api.model.ObjectReference ref(DaemonSet ds) { return Owners.reference(ds, API_VERSION, KIND); }

  private DaemonSet resolve(String namespace, OwnerReference ref) {
    if (ref == null || !KIND.equals(ref.getKind())) return null;
    DaemonSet ds = daemonSets.getStore().getByKey(Keys.of(namespace, ref.getName()));
    return ds != null && Objects.equals(ds.getMetadata().getUid(), ref.getUid()) ? ds : null;
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      DaemonSet ds = resolve(pod.getMetadata().getNamespace(), Owners.controllerOf(pod));
      if (ds == null) {
        if (Owners.controllerOf(pod) == null) enqueueMatching(pod);
        return;
      }
      if (pod.getMetadata().getDeletionTimestamp() != null) expectations.deletionObserved(Keys.of(ds), Pods.key(pod));
      else expectations.creationObserved(Keys.of(ds));
      queue.add(Keys.of(ds));
    }

    @Override
    public void onUpdate(Pod old, Pod cur) {
      if (Handlers.sameVersion(old, cur)) return;
      DaemonSet ds = resolve(cur.getMetadata().getNamespace(), Owners.controllerOf(cur));
      if (ds != null) {
        if (cur.getMetadata().getDeletionTimestamp() != null) expectations.deletionObserved(Keys.of(ds), Pods.key(cur));
        queue.add(Keys.of(ds));
        int minReady = DaemonSetPlan.minReadySeconds(ds);
        if (minReady > 0 && !Pods.isReady(old) && Pods.isReady(cur)) queue.addAfter(Keys.of(ds), Duration.ofSeconds(minReady + 1L));
      } else if (Owners.controllerOf(cur) == null) {
        enqueueMatching(cur);
      }
      DaemonSet previous = resolve(old.getMetadata().getNamespace(), Owners.controllerOf(old));
      if (previous != null && previous != ds) queue.add(Keys.of(previous));
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      DaemonSet ds = resolve(pod.getMetadata().getNamespace(), Owners.controllerOf(pod));
      if (ds == null) return;
      expectations.deletionObserved(Keys.of(ds), Pods.key(pod));
      queue.add(Keys.of(ds));
    }

    private void enqueueMatching(Pod pod) {
      for (DaemonSet ds : daemonSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
        if (ds.getSpec() == null || Selectors.isEmpty(ds.getSpec().getSelector())) continue;
        try {
          if (Selectors.of(ds.getSpec().getSelector()).matches(Selectors.labels(pod))) queue.add(Keys.of(ds));
        } catch (RuntimeException e) {
          // an invalid selector matches nothing
        }
      }
    }
  }

}
