package io.kava.controllers.disruption;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kava.api.selector.LabelSelector;
import io.kava.api.time.Timestamps;
import io.kava.client.EventRecorder;
import io.kava.client.WorkQueue;
import io.kava.controllers.disruption.DisruptionBudgetStatus.Computed;
import io.kava.controllers.disruption.DisruptionBudgetStatus.ExpectedCountException;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.Owners;
import io.kava.controllers.workload.Selectors;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Upstream's disruption controller: keeps each PodDisruptionBudget's status (expectedPods, desiredHealthy,
 * currentHealthy, disruptionsAllowed, disruptedPods, observedGeneration and the DisruptionAllowed condition) in step
 * with its pods. The eviction subresource of the API server reads that status to allow or refuse evictions and
 * records evicted pods in disruptedPods; this controller drops those entries once the deletion is seen or after
 * {@link DisruptionBudgetStatus#DELETION_TIMEOUT}. Keys are "namespace/name" of the budget.
 */
public final class DisruptionController implements Controller {
  public static final String NAME = "disruption";
  static final String COMPONENT = "controllermanager";

  private final KubernetesClient client;
  private final WorkQueue<String> queue;
  private final SharedIndexInformer<PodDisruptionBudget> budgets;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicationController> rcs;
  private final SharedIndexInformer<StatefulSet> statefulSets;
  private final EventRecorder recorder;
  private final Clock clock;

  public DisruptionController(ControllerContext ctx) { this(ctx, Clock.systemUTC()); }

  DisruptionController(ControllerContext ctx, Clock clock) {
    this.client = ctx.client();
    this.queue = ctx.queue();
    this.clock = clock;
    this.recorder = ctx.recorder(COMPONENT);
    this.budgets = ctx.informer(PodDisruptionBudget.class);
    this.pods = ctx.informer(Pod.class);
    this.replicaSets = ctx.informer(ReplicaSet.class);
    this.deployments = ctx.informer(Deployment.class);
    this.rcs = ctx.informer(ReplicationController.class);
    this.statefulSets = ctx.informer(StatefulSet.class);
    budgets.addEventHandler(Handlers.enqueueSelf(queue));
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Pod p) { budgetsOf(p).forEach(queue::add); }

      @Override public void onUpdate(Pod old, Pod p) {
        if (Handlers.sameVersion(old, p)) return;
        Set<String> keys = new HashSet<>(budgetsOf(p));
        if (!Objects.equals(old.getMetadata().getLabels(), p.getMetadata().getLabels())) keys.addAll(budgetsOf(old));
        keys.forEach(queue::add);
      }

      @Override public void onDelete(Pod p, boolean unknown) { budgetsOf(p).forEach(queue::add); }
    });
  }

  /** Keys of the budgets in the pod's namespace whose selector matches it. */
  private List<String> budgetsOf(Pod pod) {
    List<String> keys = new ArrayList<>();
    for (PodDisruptionBudget b : budgets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
      if (selector(b).matches(Selectors.labels(pod))) keys.add(Keys.of(b));
    }
    return keys;
  }

  /** policy/v1: a null selector selects nothing, an empty one every pod of the namespace. */
  static LabelSelector selector(PodDisruptionBudget b) {
    try {
      return Selectors.of(b.getSpec().getSelector());
    } catch (RuntimeException e) {
      return LabelSelector.nothing();
    }
  }

  @Override
  public String name() { return NAME; }

  @Override
  public Result reconcile(String key) {
    PodDisruptionBudget pdb = budgets.getStore().getByKey(key);
    if (pdb == null) return Result.DONE;
    LabelSelector sel = selector(pdb);
    List<Pod> selected = new ArrayList<>();
    for (Pod p : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pdb.getMetadata().getNamespace())) {
      if (sel.matches(Selectors.labels(p))) selected.add(p);
    }
    if (selected.isEmpty()) recorder.event(pdb, EventRecorder.NORMAL, "NoPods", "No matching pods found");
    Instant now = clock.instant();
    PodDisruptionBudgetStatus next;
    Instant recheck = null;
    try {
      Computed c = DisruptionBudgetStatus.compute(pdb, selected, this::expectedScale, now);
      next = status(pdb, c, now);
      recheck = c.recheckAt();
    } catch (ExpectedCountException e) {
      recorder.event(pdb, EventRecorder.WARNING, "CalculateExpectedPodCountFailed", "Failed to calculate the number of expected pods: " + e.getMessage());
      next = failSafe(pdb, e.getMessage(), now);
    }
    if (!sameStatus(pdb.getStatus(), next)) {
      PodDisruptionBudget copy = Serial.copy(pdb);
      copy.setStatus(next);
      client.resources(PodDisruptionBudget.class).inNamespace(pdb.getMetadata().getNamespace()).resource(copy).updateStatus();
    }
    return recheck == null ? Result.DONE : Result.requeueAfter(Duration.between(now, recheck).plusSeconds(1));
  }

  static PodDisruptionBudgetStatus status(PodDisruptionBudget pdb, Computed c, Instant now) {
    PodDisruptionBudgetStatus s = new PodDisruptionBudgetStatus();
    s.setExpectedPods(c.expectedPods());
    s.setDesiredHealthy(c.desiredHealthy());
    s.setCurrentHealthy(c.currentHealthy());
    s.setDisruptionsAllowed(c.disruptionsAllowed());
    s.setObservedGeneration(pdb.getMetadata().getGeneration());
    Map<String, String> disrupted = new LinkedHashMap<>();
    c.disruptedPods().forEach((name, at) -> disrupted.put(name, Timestamps.formatTime(at)));
    s.setDisruptedPods(disrupted.isEmpty() ? null : disrupted);
    boolean allowed = c.disruptionsAllowed() > 0;
    s.setConditions(List.of(condition(pdb, allowed ? "True" : "False",
        allowed ? DisruptionBudgetStatus.SUFFICIENT_PODS : DisruptionBudgetStatus.INSUFFICIENT_PODS, "", now)));
    return s;
  }

  /** Upstream's failSafe: when the budget cannot be computed, allow no disruptions. */
  static PodDisruptionBudgetStatus failSafe(PodDisruptionBudget pdb, String why, Instant now) {
    PodDisruptionBudgetStatus s = pdb.getStatus() == null ? new PodDisruptionBudgetStatus() : Serial.copy(pdb.getStatus());
    s.setDisruptionsAllowed(0);
    s.setObservedGeneration(pdb.getMetadata().getGeneration());
    s.setConditions(List.of(condition(pdb, "False", DisruptionBudgetStatus.SYNC_FAILED, why, now)));
    return s;
  }

  private static Condition condition(PodDisruptionBudget pdb, String status, String reason, String message, Instant now) {
    Condition old = null;
    if (pdb.getStatus() != null && pdb.getStatus().getConditions() != null) {
      for (Condition c : pdb.getStatus().getConditions()) if (DisruptionBudgetStatus.CONDITION.equals(c.getType())) old = c;
    }
    String since = old != null && status.equals(old.getStatus()) ? old.getLastTransitionTime() : Timestamps.formatTime(now);
    Condition c = new Condition();
    c.setType(DisruptionBudgetStatus.CONDITION);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setLastTransitionTime(since);
    c.setObservedGeneration(pdb.getMetadata().getGeneration());
    return c;
  }

  private static boolean sameStatus(PodDisruptionBudgetStatus a, PodDisruptionBudgetStatus b) {
    if (a == null) return false;
    return Objects.equals(Serial.tree(a), Serial.tree(b));
  }

  /**
   * The summed scale of the pods' controllers (upstream's getExpectedScale): a ReplicaSet counts with its
   * Deployment's replicas when a Deployment owns it; ReplicationControllers and StatefulSets with their own.
   */
  int expectedScale(PodDisruptionBudget pdb, List<Pod> selected) throws ExpectedCountException {
    Map<String, Integer> byController = new LinkedHashMap<>();
    for (Pod p : selected) {
      OwnerReference ref = Owners.controllerOf(p);
      if (ref == null) throw new ExpectedCountException("found no controller ref for pod \"" + p.getMetadata().getName() + "\"");
      if (byController.containsKey(ref.getUid())) continue;
      String ns = p.getMetadata().getNamespace();
      Scale s = scaleOf(ns, ref);
      if (s == null) throw new ExpectedCountException("found no controllers for pod \"" + p.getMetadata().getName() + "\"");
      byController.put(s.uid(), s.replicas());
    }
    int total = 0;
    for (int r : byController.values()) total += r;
    return total;
  }

  private record Scale(String uid, int replicas) {}

  private Scale scaleOf(String ns, OwnerReference ref) {
    String key = Keys.of(ns, ref.getName());
    switch (ref.getKind()) {
      case "ReplicaSet" -> {
        ReplicaSet rs = replicaSets.getStore().getByKey(key);
        if (rs == null || !ref.getUid().equals(rs.getMetadata().getUid())) return null;
        OwnerReference dref = Owners.controllerOf(rs);
        if (dref != null && "Deployment".equals(dref.getKind())) {
          Deployment d = deployments.getStore().getByKey(Keys.of(ns, dref.getName()));
          if (d != null && dref.getUid().equals(d.getMetadata().getUid())) return new Scale(d.getMetadata().getUid(), replicas(d.getSpec().getReplicas()));
        }
        return new Scale(rs.getMetadata().getUid(), replicas(rs.getSpec().getReplicas()));
      }
      case "ReplicationController" -> {
        ReplicationController rc = rcs.getStore().getByKey(key);
        return rc == null || !ref.getUid().equals(rc.getMetadata().getUid()) ? null : new Scale(rc.getMetadata().getUid(), replicas(rc.getSpec().getReplicas()));
      }
      case "StatefulSet" -> {
        StatefulSet ss = statefulSets.getStore().getByKey(key);
        return ss == null || !ref.getUid().equals(ss.getMetadata().getUid()) ? null : new Scale(ss.getMetadata().getUid(), replicas(ss.getSpec().getReplicas()));
      }
      default -> {
        return null;
      }
    }
  }

  private static int replicas(Integer r) { return r == null ? 1 : r; }

}
