package io.kava.controllers.statefulset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kava.api.json.Json;
import io.kava.api.selector.LabelSelector;
import io.kava.client.EventRecorder;
import io.kava.client.Ticker;
import io.kava.client.WorkQueue;
import io.kava.controllers.replicaset.Expectations;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's StatefulSet controller: pods with stable names {@code <set>-<ordinal>} and stable claims
 * {@code <template>-<set>-<ordinal>}, created and deleted in order ({@link StatefulSetPlan}), rolled by
 * RollingUpdate (highest ordinal first, down to the partition) or OnDelete, with ControllerRevisions whose names
 * are reported as currentRevision and updateRevision. Keys are "namespace/name" of StatefulSets.
 */
public final class StatefulSetController implements Controller {
  private static final Logger log = LoggerFactory.getLogger(StatefulSetController.class);
  public static final String NAME = "statefulset";
  static final String API_VERSION = "apps/v1";
  static final String KIND = "StatefulSet";
  static final String COMPONENT = "statefulset-controller";
  static final int WORKERS = 2;

  private final KubernetesClient client;
  private final WorkQueue<String> queue;
  private final SharedIndexInformer<StatefulSet> sets;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<ControllerRevision> revisions;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;
  private final EventRecorder recorder;
  private final Expectations expectations = new Expectations(Ticker.system());
  private final Clock clock = Clock.systemUTC();

  public StatefulSetController(ControllerContext ctx) {
    this.client = ctx.client();
    this.queue = ctx.queue();
    this.recorder = ctx.recorder(COMPONENT);
    this.sets = ctx.informer(StatefulSet.class);
    this.pods = ctx.informer(Pod.class);
    Indexes.byControllerUidAndOrphans(pods);
    this.revisions = ctx.informer(ControllerRevision.class);
    this.claims = ctx.informer(PersistentVolumeClaim.class);
    sets.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(StatefulSet s) { queue.add(Keys.of(s)); }

      @Override
      public void onUpdate(StatefulSet old, StatefulSet cur) {
        if (!Objects.equals(old.getMetadata().getUid(), cur.getMetadata().getUid())) expectations.delete(Keys.of(old));
        queue.add(Keys.of(cur));
      }

      @Override
      public void onDelete(StatefulSet s, boolean finalStateUnknown) {
        expectations.delete(Keys.of(s));
        queue.add(Keys.of(s));
      }
    });
    pods.addEventHandler(new PodEvents());
    revisions.addEventHandler(Handlers.enqueue(queue, cr -> ownerKey(cr.getMetadata().getNamespace(), Owners.controllerOf(cr))));
  }

  @Override
  public String name() { return NAME; }

  @Override
  public int workers() { return WORKERS; }

  private static String ownerKey(String ns, OwnerReference ref) {
    return ref != null && KIND.equals(ref.getKind()) ? Keys.of(ns, ref.getName()) : null;
  }

  @Override
  public Result reconcile(String key) throws Exception {
    StatefulSet cached = sets.getStore().getByKey(key);
    if (cached == null) {
      expectations.delete(key);
      return Result.DONE;
    }
    StatefulSet set = Serial.copy(cached);
    LabelSelector selector;
    try {
      selector = Selectors.of(set.getSpec().getSelector());
    } catch (RuntimeException e) {
      log.warn("statefulset {}: invalid selector: {}", key, e.getMessage());
      return Result.DONE;
    }
    if (Selectors.isEmpty(set.getSpec().getSelector())) {
      recorder.event(ref(set), EventRecorder.WARNING, "SelectingAll", "This statefulset is selecting all pods. A non-empty selector is required.");
      return Result.DONE;
    }
    boolean satisfied = expectations.satisfied(key);
    List<Pod> owned = claimPods(set, selector);
    List<ControllerRevision> ownedRevisions = new ArrayList<>();
    for (ControllerRevision r : revisions.getIndexer().byIndex(Cache.NAMESPACE_INDEX, set.getMetadata().getNamespace())) {
      if (Objects.equals(Owners.controllerUid(r), set.getMetadata().getUid())) ownedRevisions.add(r);
    }
    if (set.getMetadata().getDeletionTimestamp() != null) return Result.DONE; // the garbage collector takes the pods

    RevisionHistory.Current history;
    try {
      history = RevisionHistory.ensure(client, set, API_VERSION, KIND, set.getSpec().getTemplate(), collisionCount(set), null, ownedRevisions);
    } catch (RevisionHistory.CollisionException e) {
      StatefulSetStatus st = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
      st.setCollisionCount(collisionCount(set) == null ? 1 : collisionCount(set) + 1);
      set.setStatus(st);
      client.apps().statefulSets().inNamespace(set.getMetadata().getNamespace()).resource(set).updateStatus();
      throw e;
    }
    ControllerRevision update = history.current();
    ControllerRevision current = update;
    String statusCurrent = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
    for (ControllerRevision r : history.old()) if (r.getMetadata().getName().equals(statusCurrent)) current = r;
    String updateName = update.getMetadata().getName();
    String currentName = current.getMetadata().getName();

    Exception error = null;
    if (satisfied) {
      try {
        for (StatefulSetPlan.Action a : StatefulSetPlan.plan(set, owned, updateName, clock.instant())) {
          switch (a) {
            case StatefulSetPlan.Create c -> create(key, set, c.ordinal(),
                c.update() ? set.getSpec().getTemplate() : templateOf(current, set), c.update() ? updateName : currentName);
            case StatefulSetPlan.Delete d -> delete(key, set, d);
          }
        }
      } catch (Exception e) {
        error = e;
      }
      Set<String> live = new HashSet<>(List.of(updateName, currentName));
      for (Pod p : owned) if (StatefulPods.revision(p) != null) live.add(StatefulPods.revision(p));
      int limit = set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit();
      RevisionHistory.truncate(client, history.old(), r -> live.contains(r.getMetadata().getName()), limit);
    }
    StatefulSetStatus next = StatefulSetPlan.status(set, owned, currentName, updateName, clock.instant());
    writeStatus(set, next);
    if (error != null) throw error;
    int minReady = StatefulSetPlan.minReadySeconds(set);
    if (minReady > 0 && !Objects.equals(next.getReadyReplicas(), next.getAvailableReplicas())) return Result.requeueAfter(Duration.ofSeconds(minReady));
    return Result.DONE;
  }

  private static PodTemplateSpec templateOf(ControllerRevision r, StatefulSet set) {
    PodTemplateSpec t = Revisions.template(r);
    return t == null ? set.getSpec().getTemplate() : t;
  }

  private void create(String key, StatefulSet set, int ordinal, PodTemplateSpec template, String revision) {
    String ns = set.getMetadata().getNamespace();
    String podName = StatefulPods.podName(set, ordinal);
    for (PersistentVolumeClaim c : StatefulPods.claims(set, ordinal)) {
      if (claims.getStore().getByKey(Keys.of(ns, c.getMetadata().getName())) != null) continue;
      if (StatefulPods.deleteWhenDeleted(set)) {
        c.getMetadata().setOwnerReferences(new ArrayList<>(List.of(new OwnerReferenceBuilder().withApiVersion(API_VERSION).withKind(KIND)
            .withName(set.getMetadata().getName()).withUid(set.getMetadata().getUid()).withBlockOwnerDeletion(true).build())));
      }
      try {
        client.persistentVolumeClaims().inNamespace(ns).resource(c).create();
        recorder.event(ref(set), EventRecorder.NORMAL, "SuccessfulCreate",
            "create Claim " + c.getMetadata().getName() + " Pod " + podName + " in StatefulSet " + set.getMetadata().getName() + " success");
      } catch (KubernetesClientException e) {
        if (ApiErrors.isAlreadyExists(e)) continue;
        recorder.event(ref(set), EventRecorder.WARNING, "FailedCreate",
            "create Claim " + c.getMetadata().getName() + " for Pod " + podName + " in StatefulSet " + set.getMetadata().getName() + " failed error: " + ApiErrors.message(e));
        throw e;
      }
    }
    Pod pod = StatefulPods.newPod(set, template, revision, ordinal, Owners.newControllerRef(set, API_VERSION, KIND));
    expectations.expectCreations(key, 1);
    try {
      client.pods().inNamespace(ns).resource(pod).create();
    } catch (KubernetesClientException e) {
      expectations.creationObserved(key);
      if (ApiErrors.isAlreadyExists(e)) return; // the cache had not shown it yet
      if (!ApiErrors.isNamespaceTerminating(e)) {
        recorder.event(ref(set), EventRecorder.WARNING, "FailedCreate",
            "create Pod " + podName + " in StatefulSet " + set.getMetadata().getName() + " failed error: " + ApiErrors.message(e));
      }
      throw e;
    }
    recorder.event(ref(set), EventRecorder.NORMAL, "SuccessfulCreate", "create Pod " + podName + " in StatefulSet " + set.getMetadata().getName() + " successful");
  }

  private void delete(String key, StatefulSet set, StatefulSetPlan.Delete d) {
    Pod p = d.pod();
    String ns = set.getMetadata().getNamespace();
    if (d.reason() == StatefulSetPlan.Reason.CONDEMNED && StatefulPods.deleteWhenScaled(set)) {
      // whenScaled: Delete — the claims become the pod's, so the garbage collector removes them once it is gone.
      for (PersistentVolumeClaim c : StatefulPods.claims(set, StatefulPods.ordinal(p))) {
        ObjectNode patch = Json.object();
        ObjectNode ref = patch.putObject("metadata").putArray("ownerReferences").addObject();
        ref.put("apiVersion", "v1").put("kind", "Pod").put("name", p.getMetadata().getName()).put("uid", p.getMetadata().getUid());
        try {
          client.persistentVolumeClaims().inNamespace(ns).withName(c.getMetadata().getName())
              .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), Json.MAPPER.writeValueAsString(patch));
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) throw e;
        }
      }
    }
    expectations.expectDeletions(key, Set.of(Pods.key(p)));
    try {
      client.pods().inNamespace(ns).withName(p.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      expectations.deletionObserved(key, Pods.key(p));
      if (e.getCode() == 404) return;
      recorder.event(ref(set), EventRecorder.WARNING, "FailedDelete",
          "delete Pod " + p.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName() + " failed error: " + ApiErrors.message(e));
      throw e;
    }
    recorder.event(ref(set), EventRecorder.NORMAL, "SuccessfulDelete",
        "delete Pod " + p.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName() + " successful");
  }

  private void writeStatus(StatefulSet set, StatefulSetStatus next) {
    StatefulSetStatus cur = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
    next.setObservedGeneration(set.getMetadata().getGeneration());
    next.setCollisionCount(cur.getCollisionCount() == null ? 0 : cur.getCollisionCount());
    next.setConditions(cur.getConditions());
    if (Serial.tree(cur).equals(Serial.tree(next))) return;
    set.setStatus(next);
    client.apps().statefulSets().inNamespace(set.getMetadata().getNamespace()).resource(set).updateStatus();
  }

  private List<Pod> claimPods(StatefulSet set, LabelSelector selector) throws Exception {
    String uid = set.getMetadata().getUid();
    List<Pod> candidates = new ArrayList<>();
    // Our pods and the namespace's orphans (by index), not every pod of the namespace.
    for (Pod p : Indexes.ownedAndOrphans(pods.getIndexer(), set)) {
      String owner = Owners.controllerUid(p);
      if (owner == null ? selector.matches(Selectors.labels(p)) && StatefulPods.isMemberOf(set, p) : owner.equals(uid)) candidates.add(p);
    }
    ControllerRefManager refs = new ControllerRefManager(set, API_VERSION, KIND, () -> {
      StatefulSet fresh = client.apps().statefulSets().inNamespace(set.getMetadata().getNamespace()).withName(set.getMetadata().getName()).get();
      if (fresh == null || !Objects.equals(fresh.getMetadata().getUid(), uid)) throw new IllegalStateException("original StatefulSet " + Keys.of(set) + " is gone");
      if (fresh.getMetadata().getDeletionTimestamp() != null) throw new IllegalStateException(Keys.of(set) + " is being deleted");
    });
    return refs.claim(candidates, p -> selector.matches(Selectors.labels(p)) && StatefulPods.isMemberOf(set, p),
        (ns, n, patch) -> client.pods().inNamespace(ns).withName(n).patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch)).orThrow();
  }

  private static Integer collisionCount(StatefulSet s) { return s.getStatus() == null ? null : s.getStatus().getCollisionCount(); }

  private static io.fabric8.kubernetes.api.model.ObjectReference ref(StatefulSet s) { return Owners.reference(s, API_VERSION, KIND); }

  private StatefulSet resolve(String namespace, OwnerReference ref) {
    if (ref == null || !KIND.equals(ref.getKind())) return null;
    StatefulSet s = sets.getStore().getByKey(Keys.of(namespace, ref.getName()));
    return s != null && Objects.equals(s.getMetadata().getUid(), ref.getUid()) ? s : null;
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      StatefulSet s = resolve(pod.getMetadata().getNamespace(), Owners.controllerOf(pod));
      if (s == null) {
        if (Owners.controllerOf(pod) == null) enqueueMatching(pod);
        return;
      }
      expectations.creationObserved(Keys.of(s));
      queue.add(Keys.of(s));
    }

    @Override
    public void onUpdate(Pod old, Pod cur) {
      if (Handlers.sameVersion(old, cur)) return;
      StatefulSet s = resolve(cur.getMetadata().getNamespace(), Owners.controllerOf(cur));
      if (s != null) {
        if (cur.getMetadata().getDeletionTimestamp() != null) expectations.deletionObserved(Keys.of(s), Pods.key(cur));
        queue.add(Keys.of(s));
        int minReady = StatefulSetPlan.minReadySeconds(s);
        if (minReady > 0 && !Pods.isReady(old) && Pods.isReady(cur)) queue.addAfter(Keys.of(s), Duration.ofSeconds(minReady + 1L));
      } else if (Owners.controllerOf(cur) == null) {
        enqueueMatching(cur);
      }
      StatefulSet previous = resolve(old.getMetadata().getNamespace(), Owners.controllerOf(old));
      if (previous != null && previous != s) queue.add(Keys.of(previous));
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      StatefulSet s = resolve(pod.getMetadata().getNamespace(), Owners.controllerOf(pod));
      if (s == null) return;
      expectations.deletionObserved(Keys.of(s), Pods.key(pod));
      queue.add(Keys.of(s));
    }

    private void enqueueMatching(Pod pod) {
      for (StatefulSet s : sets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
        if (s.getSpec() == null || Selectors.isEmpty(s.getSpec().getSelector()) || !StatefulPods.isMemberOf(s, pod)) continue;
        try {
          if (Selectors.of(s.getSpec().getSelector()).matches(Selectors.labels(pod))) queue.add(Keys.of(s));
        } catch (RuntimeException e) {
          // an invalid selector matches nothing
        }
      }
    }
  }
}
