package io.kava.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.kava.scheduler.cache.SchedulerCache;
import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.Diagnosis;
import io.kava.scheduler.framework.Framework;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.PostFilterPlugin;
import io.kava.scheduler.framework.PreFilterPlugin;
import io.kava.scheduler.framework.Snapshot;
import io.kava.scheduler.framework.Status;
import io.kava.scheduler.queue.QueuedPodInfo;
import io.kava.scheduler.queue.SchedulingQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling algorithm: one pod at a time on one thread (the scheduling cycle), binding on other threads (the
 * binding cycle), as upstream does.
 *
 * <p>Scheduling cycle: pop the highest-priority pod; refresh the snapshot (changed nodes only); PreFilter; Filter
 * nodes starting where the last cycle stopped until enough feasible ones are found (all nodes up to 100, then an
 * adaptive share); PreScore and Score them; pick the best (ties at random); assume the pod onto it in the cache so the
 * next cycle counts it; Reserve; Permit. If no node fits: PostFilter (preemption), then the pod goes back to the
 * queue and its PodScheduled condition and a FailedScheduling event say why.
 *
 * <p>Binding cycle: wait for Permit, bind through the API, then report. A failed bind forgets the assumed pod and
 * retries it after backoff.
 */
public final class Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  /** Upstream: below this many nodes every node is checked. */
  static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  static final int MIN_FEASIBLE_NODES_PERCENTAGE = 5;
  /** How many bindings may be in flight; the scheduling thread waits beyond that (backpressure on the API). */
  static final int MAX_CONCURRENT_BINDINGS = 64;
  public static final String NO_NODES = "no nodes available to schedule pods";

  private final Framework framework;
  private final SchedulingQueue queue;
  private final SchedulerCache cache;
  private final ClusterApi api;
  private final Executor bindingExecutor;
  private final Predicate<PodInfo> stillPending;
  private final Semaphore bindings = new Semaphore(MAX_CONCURRENT_BINDINGS);
  // Owned by the scheduling thread.
  private final Snapshot snapshot = new Snapshot();
  private int nextStartNodeIndex;

  /**
   * @param stillPending whether the informer's latest copy of the pod is still unbound and not deleted (a popped pod
   *     may have been bound or deleted since it was queued)
   */
  public Scheduler(Framework framework, SchedulingQueue queue, SchedulerCache cache, ClusterApi api, Executor bindingExecutor,
                   Predicate<PodInfo> stillPending) {
    this.framework = framework;
    this.queue = queue;
    this.cache = cache;
    this.api = api;
    this.bindingExecutor = bindingExecutor;
    this.stillPending = stillPending;
  }

  /** The snapshot the plugins of this scheduler see (the framework's Handle returns it). */
  public Snapshot snapshot() { return snapshot; }

  /** Outcome of one cycle's node selection. */
  record Decision(String node, Status status, Diagnosis diagnosis, int evaluatedNodes) {
    boolean fits() { return node != null; }
  }

  /** Runs one scheduling cycle; false when no pod arrived within {@code wait}. */
  public boolean scheduleOne(Duration wait) throws InterruptedException {
    QueuedPodInfo q = queue.pop(wait);
    if (q == null) return false;
    PodInfo pod = q.pod();
    if (pod.terminating() || cache.contains(pod.uid()) || !stillPending.test(pod)) {
      queue.done(q);
      return true;
    }
    long cycle = queue.schedulingCycle();
    cache.updateSnapshot(snapshot);
    CycleState state = new CycleState();
    Decision d = schedulePod(state, pod);
    if (!d.fits()) {
      handleFailure(q, state, pod, d, cycle);
      return true;
    }
    String node = d.node();
    PodInfo assumed = assume(pod, node);
    cache.assumePod(assumed);
    Status s = framework.runReserve(state, assumed, node);
    if (!s.isSuccess()) {
      cache.forgetPod(assumed);
      failAfterAssume(q, pod, s, cycle);
      return true;
    }
    s = framework.runPermit(state, assumed, node);
    if (!s.isSuccess() && s.code() != Status.Code.WAIT) {
      framework.runUnreserve(state, assumed, node);
      cache.forgetPod(assumed);
      failAfterAssume(q, pod, s, cycle);
      return true;
    }
    queue.removeNominated(pod);
    queue.done(q);
    bindings.acquire();
    try {
      bindingExecutor.execute(() -> {
        try {
          bind(q, state, pod, assumed, node, cycle);
        } finally {
          bindings.release();
        }
      });
    } catch (RuntimeException e) {
      bindings.release();
      throw e;
    }
    return true;
  }

  /** Waits until bindings in flight are done (tests, shutdown). */
  public void awaitBindings(Duration timeout) throws InterruptedException {
    if (bindings.tryAcquire(MAX_CONCURRENT_BINDINGS, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      bindings.release(MAX_CONCURRENT_BINDINGS);
    }
  }

  private void bind(QueuedPodInfo q, CycleState state, PodInfo pod, PodInfo assumed, String node, long cycle) {
    Status s = framework.waitOnPermit(assumed);
    if (s.isSuccess()) s = framework.runBind(state, assumed, node);
    if (s.isSuccess()) {
      api.recordScheduled(pod, node);
      return;
    }
    log.debug("binding {} to {} failed: {}", pod.key(), node, s);
    framework.runUnreserve(state, assumed, node);
    cache.forgetPod(assumed);
    // The room it held is free again: pods waiting for room may fit.
    queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE);
    if (stillPending.test(pod)) {
      queue.addUnschedulable(q, Set.of(), true, cycle);
      api.recordFailure(pod, "SchedulerError", "Binding rejected: " + s.message(), null);
    }
  }

  private void failAfterAssume(QueuedPodInfo q, PodInfo pod, Status s, long cycle) {
    boolean error = !s.isRejected();
    queue.addUnschedulable(q, error || s.plugin().isEmpty() ? Set.of() : Set.of(s.plugin()), error, cycle);
    api.recordFailure(pod, error ? "SchedulerError" : "Unschedulable", s.message(), null);
  }

  private void handleFailure(QueuedPodInfo q, CycleState state, PodInfo pod, Decision d, long cycle) {
    String nominated = null;
    String message;
    boolean error = d.status().code() == Status.Code.ERROR;
    if (d.diagnosis() != null) {
      if (framework.hasPostFilter() && !snapshot.list().isEmpty()) {
        PostFilterPlugin.Result r = framework.runPostFilter(state, pod, d.diagnosis().nodeStatuses);
        if (r.status().code() == Status.Code.ERROR) log.warn("PostFilter for {}: {}", pod.key(), r.status());
        if (!r.status().isSuccess()) d.diagnosis().postFilterMessage = r.status().message();
        nominated = r.nominatedNodeName();
      }
      message = d.diagnosis().message(snapshot.size());
    } else {
      message = d.status().message();
    }
    if (nominated != null) queue.nominate(pod, nominated);
    queue.addUnschedulable(q, d.diagnosis() == null ? Set.of() : d.diagnosis().unschedulablePlugins, error, cycle);
    log.debug("{} is unschedulable: {}", pod.key(), message);
    api.recordFailure(pod, error ? "SchedulerError" : "Unschedulable", message, nominated);
  }

  /** Picks a node for {@code pod}, or explains why none fits. */
  Decision schedulePod(CycleState state, PodInfo pod) {
    if (snapshot.size() == 0) {
      return new Decision(null, Status.unschedulable(NO_NODES), null, 0);
    }
    Diagnosis diagnosis = new Diagnosis();
    // A pod that preempted others re-checks its nominated node first: the room it made is meant for it.
    PreFilterPlugin.Result pre = framework.runPreFilter(state, pod, diagnosis);
    if (!pre.status().isSuccess()) {
      if (!pre.status().isRejected()) return new Decision(null, pre.status(), null, 0);
      diagnosis.preFilterMessage = pre.status().message();
      for (NodeInfo n : snapshot.list()) diagnosis.nodeStatuses.put(n.name(), pre.status());
      return new Decision(null, pre.status(), diagnosis, 0);
    }
    String nominated = pod.nominatedNodeName();
    if (!nominated.isEmpty()) {
      NodeInfo n = snapshot.get(nominated);
      if (n != null && (pre.nodeNames() == null || pre.nodeNames().contains(nominated))
          && framework.runFilterWithNominatedPods(state, pod, n).isSuccess()) {
        return new Decision(nominated, Status.SUCCESS, diagnosis, 1);
      }
    }
    List<NodeInfo> all = snapshot.list();
    List<NodeInfo> nodes = all;
    if (pre.nodeNames() != null) {
      nodes = new ArrayList<>(pre.nodeNames().size());
      for (String name : pre.nodeNames()) {
        NodeInfo n = snapshot.get(name);
        if (n != null && n.node() != null) nodes.add(n);
      }
      Status narrowed = Status.unresolvable("node(s) didn't satisfy plugin(s) [" + String.join(", ", diagnosis.narrowedBy) + "]");
      for (NodeInfo n : all) if (!pre.nodeNames().contains(n.name())) diagnosis.nodeStatuses.put(n.name(), narrowed);
    }
    List<NodeInfo> feasible = new ArrayList<>();
    int evaluated = 0;
    if (!nodes.isEmpty()) {
      int want = numFeasibleNodesToFind(nodes.size(), framework.profile().percentageOfNodesToScore());
      int start = pre.nodeNames() == null ? nextStartNodeIndex % nodes.size() : 0;
      for (int i = 0; i < nodes.size() && feasible.size() < want; i++) {
        NodeInfo n = nodes.get((start + i) % nodes.size());
        evaluated++;
        Status s = framework.runFilterWithNominatedPods(state, pod, n);
        if (s.isSuccess()) {
          feasible.add(n);
        } else if (s.isRejected()) {
          diagnosis.nodeStatuses.put(n.name(), s);
          if (!s.plugin().isEmpty()) diagnosis.unschedulablePlugins.add(s.plugin());
        } else {
          return new Decision(null, s, null, evaluated);
        }
      }
      if (pre.nodeNames() == null) nextStartNodeIndex = (start + evaluated) % nodes.size();
    }
    if (feasible.isEmpty()) return new Decision(null, Status.unschedulable(), diagnosis, evaluated);
    if (feasible.size() == 1) return new Decision(feasible.get(0).name(), Status.SUCCESS, diagnosis, evaluated);
    Status ps = framework.runPreScore(state, pod, feasible);
    if (!ps.isSuccess()) return new Decision(null, ps, null, evaluated);
    long[] scores = framework.runScore(state, pod, feasible);
    return new Decision(selectHost(feasible, scores), Status.SUCCESS, diagnosis, evaluated);
  }

  /** The highest score; among equal ones, each is equally likely (reservoir sampling). */
  static String selectHost(List<NodeInfo> nodes, long[] scores) {
    int best = 0;
    int ties = 1;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
        ties = 1;
      } else if (scores[i] == scores[best] && ThreadLocalRandom.current().nextInt(++ties) == 0) {
        best = i;
      }
    }
    return nodes.get(best).name();
  }

  /** Upstream's adaptive percentage: all nodes up to 100; then 50% minus 1% per 125 nodes, at least 5%, at least 100. */
  static int numFeasibleNodesToFind(int numNodes, int percentage) {
    if (numNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) return numNodes;
    int p = percentage;
    if (p <= 0) p = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - numNodes / 125);
    int n = numNodes * p / 100;
    return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
  }

  /** The pod as it will be once bound: spec.nodeName set. */
  static PodInfo assume(PodInfo pod, String node) {
    return pod.assumedOn(node);
  }
}
