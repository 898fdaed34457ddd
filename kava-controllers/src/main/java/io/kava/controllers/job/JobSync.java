package io.kava.controllers.job;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.kava.api.time.Timestamps;
import io.kava.client.EventRecorder;
import io.kava.controllers.replicaset.Expectations;
import io.kava.controllers.replicaset.PodRanking;
import io.kava.controllers.replicaset.SlowStart;
import io.kava.controllers.workload.Owners;
import io.kava.controllers.workload.Pods;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One sync of one Job (upstream's syncJob, with finalizer-based pod tracking and the delayed terminal conditions of
 * 1.31+): counts finished pods through {@code status.uncountedTerminatedPods} and the
 * {@code batch.kubernetes.io/job-tracking} finalizer, decides whether the job has met its completions or must fail
 * (backoffLimit, activeDeadlineSeconds), creates or deletes pods toward the wanted parallelism (with upstream's
 * exponential back-off after failures) and writes the status.
 *
 * <p>A failing job first gets {@code FailureTarget}, then {@code Failed} once its pods are gone; a succeeding one
 * {@code SuccessCriteriaMet}, then {@code Complete} with {@code completionTime}.
 */
final class JobSync {
  static final String API_VERSION = "batch/v1";
  static final String KIND = "Job";
  static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
  static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
  static final String COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";
  static final String MANAGED_BY_DEFAULT = "kubernetes.io/job-controller";
  /** Upstream's DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
  static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(10);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(6);
  /** Upstream's MaxPodCreateDeletePerSync and MaxUncountedPods: bound the work and the status size of one sync. */
  static final int MAX_POD_CREATE_DELETE_PER_SYNC = 500;
  static final int MAX_UNCOUNTED_PODS = 500;

  static final String COMPLETE = "Complete";
  static final String FAILED = "Failed";
  static final String FAILURE_TARGET = "FailureTarget";
  static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
  static final String SUSPENDED = "Suspended";
  static final String REASON_BACKOFF_LIMIT = "BackoffLimitExceeded";
  static final String REASON_DEADLINE = "DeadlineExceeded";
  static final String REASON_COMPLETIONS_REACHED = "CompletionsReached";
  static final String REASON_POD_FAILURE_POLICY = "PodFailurePolicy";
  static final String REASON_SUCCESS_POLICY = "SuccessPolicy";

  private final JobApi api;
  private final Expectations expectations;
  private final FinalizerExpectations finalizers;
  private final Clock clock;
  /**
   * The resourceVersion of each job's last status this controller wrote. The pod cache can run ahead of the job
   * cache: a pod whose finalizer went (its count moved into the status) may be seen before that status is, and
   * sizing the job from the older status would start pods for completions already reached.
   */
  private final Map<String, Long> written = new java.util.concurrent.ConcurrentHashMap<>();

  JobSync(JobApi api, Expectations expectations, FinalizerExpectations finalizers, Clock clock) {
    this.api = api;
    this.expectations = expectations;
    this.finalizers = finalizers;
    this.clock = clock;
  }

  /** What the sync wants from the queue: a later look (back-off, deadline), or nothing. */
  record Outcome(Duration requeueAfter) {
    static final Outcome DONE = new Outcome(null);

    Outcome sooner(Duration d) {
      if (d == null || d.isNegative()) return this;
      return requeueAfter == null || d.compareTo(requeueAfter) < 0 ? new Outcome(d) : this;
    }
  }

  /** Mutable state of one sync, upstream's syncJobCtx. */
  private static final class Ctx {
    Job job;
    List<Pod> pods;
    List<Pod> activePods;
    Set<String> uncountedSucceeded;
    Set<String> uncountedFailed;
    Set<String> expectedRmFinalizers;
    int succeeded;
    int failed;
    int ready;
    int terminating;
    CompletedIndexes prevSucceededIndexes;
    CompletedIndexes succeededIndexes;
    JobCondition finishedCondition;
    /** Set when creations wait for the failure back-off. */
    Duration backoff;
  }

  /**
   * Syncs {@code cached} (not changed) whose claimed pods are {@code pods}.
   *
   * @throws Exception a failed write: the caller retries the key with back-off
   */
  Outcome sync(String key, Job cached, List<Pod> pods) throws Exception { return sync(key, cached, pods, expected(key)); }

  /**
   * What this controller still waits to see in the pod cache, read before the pods are listed (as upstream reads
   * them): read after, a pod whose finalizer removal the cache showed in between would be both in the older list
   * with its finalizer and no longer expected — and counted a second time.
   */
  record Expected(boolean satisfied, Set<String> removedFinalizers) {}

  Expected expected(String key) { return new Expected(expectations.satisfied(key), finalizers.expected(key)); }

  Outcome sync(String key, Job cached, List<Pod> pods, Expected before) throws Exception {
    Long mine = written.get(key);
    Long seen = revision(cached);
    if (mine != null && seen != null && seen < mine) return Outcome.DONE; // the update event of our write will come
    Job job = Serial.copy(cached);
    Outcome outcome = Outcome.DONE;
    if (isFinished(job)) {
      // Counted already; finalizers left behind (a crash between the writes) only keep pods from going away.
      removeFinalizers(key, pods.stream().filter(JobSync::hasTrackingFinalizer).toList());
      return outcome;
    }
    if (job.getStatus() == null) job.setStatus(new JobStatus());
    JobStatus st = job.getStatus();
    boolean satisfied = before.satisfied() && before.removedFinalizers().isEmpty();

    Ctx c = new Ctx();
    c.job = job;
    c.pods = pods;
    c.expectedRmFinalizers = before.removedFinalizers();
    UncountedTerminatedPods u = st.getUncountedTerminatedPods();
    c.uncountedSucceeded = new LinkedHashSet<>(u == null || u.getSucceeded() == null ? List.of() : u.getSucceeded());
    c.uncountedFailed = new LinkedHashSet<>(u == null || u.getFailed() == null ? List.of() : u.getFailed());
    c.activePods = pods.stream().filter(Pods::isActive).toList();
    c.ready = (int) c.activePods.stream().filter(Pods::isReady).count();
    c.terminating = (int) pods.stream().filter(JobSync::isTerminating).count();
    int active = c.activePods.size();
    List<Pod> newSucceeded = newlyFinished(c, c.uncountedSucceeded, p -> Pods.PHASE_SUCCEEDED.equals(Pods.phase(p)));
    List<Pod> newFailed = newlyFinished(c, c.uncountedFailed, p -> isPodFailed(p, c.job));
    c.succeeded = n(st.getSucceeded()) + newSucceeded.size() + c.uncountedSucceeded.size();
    int newFailedCounted = (int) newFailed.stream().filter(p -> JobPolicies.match(c.job.getSpec().getPodFailurePolicy(), p).countFailed()).count();
    c.failed = n(st.getFailed()) + newFailedCounted + c.uncountedFailed.size();

    Instant now = clock.instant();
    if (st.getStartTime() == null && !suspended(job)) {
      st.setStartTime(Timestamps.formatTime(now));
      if (job.getSpec().getBackoffLimitPerIndex() != null) {
        // Not implemented: say so where the user looks rather than silently applying other semantics.
        api.event(job, EventRecorder.WARNING, "UnsupportedField",
            "spec.backoffLimitPerIndex is not supported by kava's job controller; failures count against spec.backoffLimit for the whole job");
      }
    }

    c.finishedCondition = condition(job, SUCCESS_CRITERIA_MET);
    if (c.finishedCondition != null && !"True".equals(c.finishedCondition.getStatus())) c.finishedCondition = null;
    if (c.finishedCondition == null) {
      JobCondition target = condition(job, FAILURE_TARGET);
      if (target != null && "True".equals(target.getStatus())) {
        c.finishedCondition = newCondition(FAILED, target.getReason(), target.getMessage(), now);
      } else if (job.getSpec().getPodFailurePolicy() != null) {
        for (Pod p : pods) {
          if (!isPodFailed(p, job)) continue;
          String message = JobPolicies.match(job.getSpec().getPodFailurePolicy(), p).failJobMessage();
          if (message != null) {
            // Recorded as FailureTarget before the finalizers go, so the message survives.
            c.finishedCondition = newCondition(FAILURE_TARGET, REASON_POD_FAILURE_POLICY, message, now);
            break;
          }
        }
      }
    }
    if (c.finishedCondition == null) {
      if (c.failed > backoffLimit(job) || pastBackoffLimitOnFailure(job, pods)) {
        c.finishedCondition = newCondition(FAILURE_TARGET, REASON_BACKOFF_LIMIT, "Job has reached the specified backoff limit", now);
      } else if (pastActiveDeadline(job, now)) {
        c.finishedCondition = newCondition(FAILURE_TARGET, REASON_DEADLINE, "Job was active longer than specified deadline", now);
      } else if (job.getSpec().getActiveDeadlineSeconds() != null && !suspended(job)) {
        Instant start = Pods.time(st.getStartTime());
        outcome = outcome.sooner(Duration.between(now, start.plusSeconds(job.getSpec().getActiveDeadlineSeconds())));
      }
    }
    if (indexed(job)) {
      int completions = completions(job);
      c.prevSucceededIndexes = CompletedIndexes.parse(st.getCompletedIndexes(), completions);
      List<Integer> fromPods = new ArrayList<>();
      for (Pod p : pods) {
        int ix = completionIndex(p);
        if (Pods.PHASE_SUCCEEDED.equals(Pods.phase(p)) && ix >= 0 && ix < completions && hasTrackingFinalizer(p)
            && !c.expectedRmFinalizers.contains(p.getMetadata().getUid())) fromPods.add(ix);
      }
      c.succeededIndexes = c.prevSucceededIndexes.with(fromPods);
      c.succeeded = c.succeededIndexes.total();
      if (c.finishedCondition == null) {
        String met = JobPolicies.matchSuccess(job.getSpec().getSuccessPolicy(), completions, c.succeededIndexes);
        if (met != null) c.finishedCondition = newCondition(SUCCESS_CRITERIA_MET, REASON_SUCCESS_POLICY, met, now);
      }
    }

    boolean suspendChanged = false;
    Exception manageError = null;
    if (c.finishedCondition != null) {
      int deleted = 0;
      try {
        deleted = deleteActivePods(job, c.activePods, c);
      } catch (RuntimeException e) {
        manageError = e;
        deleted = c.activePods.size() - countFailures(e);
      }
      // Not finished while pods may still run, or while the cache may not show all of them yet.
      if (deleted != active || !satisfied) c.finishedCondition = null;
      active -= deleted;
      c.terminating += deleted;
    } else {
      boolean managed = false;
      if (satisfied && job.getMetadata().getDeletionTimestamp() == null) {
        try {
          active = manage(key, c, active, now);
        } catch (ManageException e) {
          active = e.active;
          manageError = (Exception) e.getCause();
        }
        outcome = outcome.sooner(c.backoff);
        managed = true;
      }
      Integer completions = job.getSpec().getCompletions();
      boolean complete = completions == null ? c.succeeded > 0 && active == 0 : c.succeeded >= completions && active == 0;
      if (complete) {
        c.finishedCondition = newCondition(SUCCESS_CRITERIA_MET, REASON_COMPLETIONS_REACHED, "Reached expected number of succeeded pods", now);
      } else if (managed) {
        if (suspended(job)) {
          if (ensureCondition(job, SUSPENDED, "True", "JobSuspended", "Job suspended", now)) {
            suspendChanged = true;
            api.event(job, EventRecorder.NORMAL, "Suspended", "Job suspended");
          }
        } else if (ensureCondition(job, SUSPENDED, "False", "JobResumed", "Job resumed", now)) {
          suspendChanged = true;
          api.event(job, EventRecorder.NORMAL, "Resumed", "Job resumed");
          // activeDeadlineSeconds counts the time a job is continuously active: it starts again on resume.
          st.setStartTime(Timestamps.formatTime(now));
        }
      }
    }

    boolean needsFlush = suspendChanged || active != n(st.getActive()) || !Objects.equals(c.ready, st.getReady())
        || !Objects.equals(c.terminating, st.getTerminating());
    st.setActive(active == 0 ? null : active); // upstream's int32 with omitempty
    st.setReady(c.ready);
    st.setTerminating(c.terminating);
    trackAndRemoveFinalizers(key, c, needsFlush);
    if (manageError != null) throw manageError;
    return outcome;
  }

  // ------------------------------------------------------------------------------------------- counting finished pods

  private List<Pod> newlyFinished(Ctx c, Set<String> uncounted, java.util.function.Predicate<Pod> filter) {
    List<Pod> out = new ArrayList<>();
    for (Pod p : c.pods) {
      String uid = p.getMetadata().getUid();
      if (!hasTrackingFinalizer(p) || uncounted.contains(uid) || c.expectedRmFinalizers.contains(uid)) continue;
      if (indexed(c.job)) {
        int ix = completionIndex(p);
        if (ix < 0 || ix >= completions(c.job)) continue;
      }
      if (filter.test(p)) out.add(p);
    }
    return out;
  }

  /**
   * Upstream's trackJobStatusAndRemoveFinalizers: (1) record finished pods in uncountedTerminatedPods and write that,
   * (2) remove their finalizers, (3) move what lost its finalizer into the counters, (4) add the terminal condition
   * when nothing is left uncounted or terminating, and write again.
   */
  private void trackAndRemoveFinalizers(String key, Ctx c, boolean needsFlush) {
    Job job = c.job;
    JobStatus st = job.getStatus();
    boolean isIndexed = indexed(job);
    List<Pod> pods = new ArrayList<>(c.pods);
    if (isIndexed) pods.sort(Comparator.comparingInt(JobSync::completionIndex));
    Set<String> withFinalizer = new HashSet<>();
    for (Pod p : pods) {
      if (hasTrackingFinalizer(p) && !c.expectedRmFinalizers.contains(p.getMetadata().getUid())) withFinalizer.add(p.getMetadata().getUid());
    }
    if (cleanUncounted(st, withFinalizer)) needsFlush = true;
    List<Integer> newSucceededIndexes = new ArrayList<>();
    List<Pod> toRemove = new ArrayList<>();
    List<String> uncountedSucceeded = new ArrayList<>(uncounted(st).getSucceeded());
    List<String> uncountedFailed = new ArrayList<>(uncounted(st).getFailed());
    boolean reachedMax = false;
    for (Pod p : pods) {
      String uid = p.getMetadata().getUid();
      if (!hasTrackingFinalizer(p) || c.expectedRmFinalizers.contains(uid)) continue;
      boolean podFailed = isPodFailed(p, job);
      boolean canRemove = job.getMetadata().getDeletionTimestamp() != null || c.finishedCondition != null
          || Pods.PHASE_SUCCEEDED.equals(Pods.phase(p)) || podFailed;
      if (!canRemove) continue;
      toRemove.add(p);
      if (Pods.PHASE_SUCCEEDED.equals(Pods.phase(p)) && !c.uncountedFailed.contains(uid)) {
        if (isIndexed) {
          int ix = completionIndex(p);
          if (ix >= 0 && ix < completions(job) && !c.prevSucceededIndexes.has(ix)) {
            newSucceededIndexes.add(ix);
            needsFlush = true;
          }
        } else if (!c.uncountedSucceeded.contains(uid)) {
          needsFlush = true;
          uncountedSucceeded.add(uid);
        }
      } else if (podFailed || (c.finishedCondition != null && !SUCCESS_CRITERIA_MET.equals(c.finishedCondition.getType()))) {
        // Once the job is finishing as failed, every pod that did not succeed counts as failed.
        int ix = completionIndex(p);
        if (!c.uncountedFailed.contains(uid) && (!isIndexed || (ix >= 0 && ix < completions(job)))
            && JobPolicies.match(job.getSpec().getPodFailurePolicy(), p).countFailed()) {
          needsFlush = true;
          uncountedFailed.add(uid);
        }
      }
      if (newSucceededIndexes.size() + uncountedSucceeded.size() + uncountedFailed.size() >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    st.setUncountedTerminatedPods(new UncountedTerminatedPods(uncountedFailed, uncountedSucceeded));
    if (isIndexed) {
      CompletedIndexes done = c.succeededIndexes.with(newSucceededIndexes);
      String text = done.toString();
      if (!text.equals(Objects.toString(st.getCompletedIndexes(), ""))) needsFlush = true;
      st.setSucceeded(done.total());
      st.setCompletedIndexes(text);
    }
    if (c.finishedCondition != null && FAILURE_TARGET.equals(c.finishedCondition.getType())) {
      // Recorded before the finalizers go, so the reason survives a crash; Failed follows once the pods are gone.
      conditions(job).add(c.finishedCondition);
      needsFlush = true;
      c.finishedCondition = newCondition(FAILED, c.finishedCondition.getReason(), c.finishedCondition.getMessage(), clock.instant());
    }
    if (c.finishedCondition != null && SUCCESS_CRITERIA_MET.equals(c.finishedCondition.getType())) {
      if (condition(job, SUCCESS_CRITERIA_MET) == null) {
        conditions(job).add(c.finishedCondition);
        needsFlush = true;
      }
      c.finishedCondition = newCondition(COMPLETE, c.finishedCondition.getReason(), c.finishedCondition.getMessage(), clock.instant());
    }

    // (1) write the uncounted pods, (2) remove finalizers, (3) count what lost them.
    if (needsFlush) {
      c.job = job = writeStatus(key, job);
      st = job.getStatus();
      needsFlush = false;
    }
    RuntimeException removeError = null;
    if (!toRemove.isEmpty()) {
      Set<String> removed = new HashSet<>();
      try {
        removed = removeFinalizers(key, toRemove);
      } catch (PartialRemoval e) {
        removed = e.removed;
        removeError = e;
      }
      withFinalizer.removeAll(removed);
    }
    if (cleanUncounted(st, withFinalizer)) needsFlush = true;
    if (removeError != null) {
      if (needsFlush) writeStatus(key, job);
      throw removeError;
    }
    // (4) the terminal condition.
    boolean finished = !reachedMax && enactFinished(c);
    if (finished) needsFlush = true;
    if (needsFlush) {
      c.job = writeStatus(key, c.job);
      if (finished) recordFinished(c.job, c.finishedCondition);
    }
  }

  private boolean enactFinished(Ctx c) {
    if (c.finishedCondition == null) return false;
    UncountedTerminatedPods u = c.job.getStatus().getUncountedTerminatedPods();
    if (u != null && (size(u.getSucceeded()) + size(u.getFailed())) > 0) return false;
    if (c.terminating > 0) return false;
    JobCondition fc = c.finishedCondition;
    Instant now = clock.instant();
    ensureCondition(c.job, fc.getType(), "True", fc.getReason(), fc.getMessage(), now);
    if (COMPLETE.equals(fc.getType())) c.job.getStatus().setCompletionTime(Timestamps.formatTime(now));
    return true;
  }

  private void recordFinished(Job job, JobCondition fc) {
    if (COMPLETE.equals(fc.getType())) {
      Integer completions = job.getSpec().getCompletions();
      if (completions != null && n(job.getStatus().getSucceeded()) > completions) {
        api.event(job, EventRecorder.WARNING, "TooManySucceededPods", "Too many succeeded pods running after completion count reached");
      }
      api.event(job, EventRecorder.NORMAL, "Completed", "Job completed");
    } else {
      api.event(job, EventRecorder.WARNING, fc.getReason(), fc.getMessage());
    }
  }

  /** Moves uncounted pods that no longer hold a finalizer into the counters; true if anything moved. */
  static boolean cleanUncounted(JobStatus st, Set<String> withFinalizer) {
    UncountedTerminatedPods u = uncounted(st);
    boolean updated = false;
    List<String> s = u.getSucceeded().stream().filter(withFinalizer::contains).toList();
    if (s.size() != u.getSucceeded().size()) {
      updated = true;
      st.setSucceeded(n(st.getSucceeded()) + u.getSucceeded().size() - s.size());
    }
    List<String> f = u.getFailed().stream().filter(withFinalizer::contains).toList();
    if (f.size() != u.getFailed().size()) {
      updated = true;
      st.setFailed(n(st.getFailed()) + u.getFailed().size() - f.size());
    }
    st.setUncountedTerminatedPods(new UncountedTerminatedPods(new ArrayList<>(f), new ArrayList<>(s)));
    return updated;
  }

  private static UncountedTerminatedPods uncounted(JobStatus st) {
    UncountedTerminatedPods u = st.getUncountedTerminatedPods();
    return new UncountedTerminatedPods(
        u == null || u.getFailed() == null ? new ArrayList<>() : new ArrayList<>(u.getFailed()),
        u == null || u.getSucceeded() == null ? new ArrayList<>() : new ArrayList<>(u.getSucceeded()));
  }

  /** Finalizer removals that failed part-way; {@code removed} are the pods done. */
  static final class PartialRemoval extends RuntimeException {
    final Set<String> removed;

    PartialRemoval(Set<String> removed, RuntimeException cause) {
      super(cause.getMessage(), cause);
      this.removed = removed;
    }
  }

  /** Removes the tracking finalizer from {@code pods}; returns the uids done. */
  private Set<String> removeFinalizers(String key, List<Pod> pods) {
    Set<String> uids = new HashSet<>();
    pods.forEach(p -> uids.add(p.getMetadata().getUid()));
    finalizers.expectRemoved(key, uids);
    Set<String> done = java.util.concurrent.ConcurrentHashMap.newKeySet();
    SlowStart.Outcome o = SlowStart.run(pods.size(), pods.size(), indexedCall(pods, p -> {
      try {
        api.removeTrackingFinalizer(p);
        done.add(p.getMetadata().getUid());
      } catch (RuntimeException e) {
        finalizers.observed(key, p.getMetadata().getUid()); // no update will come for it
        throw e;
      }
    }));
    if (o.error() != null) {
      throw new PartialRemoval(done, o.error() instanceof RuntimeException r ? r : new RuntimeException(o.error()));
    }
    return done;
  }

  /** A {@link SlowStart.Call} that handles {@code pods} one per call, in order. */
  private static SlowStart.Call indexedCall(List<Pod> pods, java.util.function.Consumer<Pod> action) {
    AtomicInteger next = new AtomicInteger();
    return () -> action.accept(pods.get(next.getAndIncrement()));
  }

  // ------------------------------------------------------------------------------------------------ managing pods

  /** A failure inside manage, with the active count that resulted. */
  private static final class ManageException extends Exception {
    final int active;

    ManageException(int active, Exception cause) {
      super(cause);
      this.active = active;
    }
  }

  /** Upstream's manageJob: deletes pods beyond what is wanted, or creates the missing ones; returns the new active count. */
  private int manage(String key, Ctx c, int active, Instant now) throws ManageException {
    Job job = c.job;
    int parallelism = n(job.getSpec().getParallelism());
    if (suspended(job)) {
      List<Pod> rm = podsForRemoval(job, c.activePods, active, now);
      return active - deleteJobPods(key, job, rm, c, active);
    }
    int wantActive;
    Integer completions = job.getSpec().getCompletions();
    if (completions == null) {
      wantActive = c.succeeded > 0 ? active : parallelism;
    } else {
      wantActive = Math.max(0, Math.min(completions - c.succeeded, parallelism));
    }
    int rmAtLeast = Math.max(0, active - wantActive);
    List<Pod> rm = podsForRemoval(job, c.activePods, rmAtLeast, now);
    if (rm.size() > MAX_POD_CREATE_DELETE_PER_SYNC) rm = rm.subList(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (!rm.isEmpty()) return active - deleteJobPods(key, job, rm, c, active);

    int terminating = onlyReplaceFailedPods(job) ? c.terminating : 0;
    int diff = wantActive - terminating - active;
    if (diff <= 0) return active;
    Duration wait = JobBackoff.remaining(c.pods, now, DEFAULT_BACKOFF, MAX_BACKOFF);
    if (wait.isPositive()) {
      c.backoff = wait;
      return active;
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    List<Integer> indexes = null;
    if (indexed(job)) {
      indexes = firstPendingIndexes(c, diff, completions(job));
      diff = indexes.size();
      if (diff == 0) return active;
    }
    PodTemplateSpec template = Serial.copy(job.getSpec().getTemplate());
    if (indexed(job)) addCompletionIndexEnv(template);
    List<Integer> ix = indexes;
    OwnerReference ref = Owners.newControllerRef(job, API_VERSION, KIND);
    expectations.expectCreations(key, diff);
    AtomicInteger next = new AtomicInteger();
    SlowStart.Outcome o = SlowStart.run(diff, SlowStart.INITIAL_BATCH_SIZE, () -> {
      int i = next.getAndIncrement();
      Pod pod = podFromTemplate(job, template, ref, ix == null ? -1 : ix.get(i));
      try {
        api.createPod(job, pod);
      } catch (RuntimeException e) {
        expectations.creationObserved(key); // no event will come for it
        throw e;
      }
    });
    // Calls never made will not be observed either.
    for (int i = next.get(); i < diff; i++) expectations.creationObserved(key);
    int created = o.successes();
    if (o.error() != null) throw new ManageException(active + created, o.error());
    return active + created;
  }

  /** Upstream's deleteJobPods: finalizer first (these pods are not counted), then the pod; returns how many went. */
  private int deleteJobPods(String key, Job job, List<Pod> pods, Ctx c, int active) throws ManageException {
    if (pods.isEmpty()) return 0;
    Set<String> keys = new HashSet<>();
    pods.forEach(p -> keys.add(Pods.key(p)));
    expectations.expectDeletions(key, keys);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger readyGone = new AtomicInteger();
    SlowStart.Outcome o = SlowStart.run(pods.size(), pods.size(), () -> {
      Pod p = pods.get(next.getAndIncrement());
      try {
        if (hasTrackingFinalizer(p)) api.removeTrackingFinalizer(p);
        api.deletePod(job, p);
      } catch (RuntimeException e) {
        expectations.deletionObserved(key, Pods.key(p));
        throw e;
      }
      if (Pods.isReady(p)) readyGone.incrementAndGet();
    });
    c.ready -= readyGone.get();
    c.terminating += o.successes();
    if (o.error() != null) throw new ManageException(active - o.successes(), o.error());
    return o.successes();
  }

  /** Upstream's deleteActivePods for a finishing job: deletion with finalizers kept, so the pods are counted. */
  private int deleteActivePods(Job job, List<Pod> pods, Ctx c) {
    if (pods.isEmpty()) return 0;
    AtomicInteger next = new AtomicInteger();
    AtomicInteger readyGone = new AtomicInteger();
    SlowStart.Outcome o = SlowStart.run(pods.size(), pods.size(), () -> {
      Pod p = pods.get(next.getAndIncrement());
      api.deletePod(job, p);
      if (Pods.isReady(p)) readyGone.incrementAndGet();
    });
    c.ready -= readyGone.get();
    if (o.error() != null) throw new CountedFailure(pods.size() - o.successes(), o.error());
    return o.successes();
  }

  /** Failed deletions of a batch, carrying how many failed. */
  private static final class CountedFailure extends RuntimeException {
    final int failures;

    CountedFailure(int failures, Exception cause) {
      super(cause.getMessage(), cause);
      this.failures = failures;
    }
  }

  private static int countFailures(RuntimeException e) { return e instanceof CountedFailure f ? f.failures : 0; }

  /**
   * Upstream's activePodsForRemoval: for indexed jobs, pods with a duplicated, missing or out-of-range index
   * first; then the least advanced pods (unscheduled, pending, not ready).
   */
  static List<Pod> podsForRemoval(Job job, List<Pod> pods, int rmAtLeast, Instant now) {
    List<Pod> rm = new ArrayList<>();
    List<Pod> left = new ArrayList<>();
    if (indexed(job)) {
      Map<Integer, Pod> seen = new HashMap<>();
      List<Pod> sorted = new ArrayList<>(pods);
      sorted.sort(Comparator.comparingInt(JobSync::completionIndex));
      int completions = completions(job);
      for (Pod p : sorted) {
        int ix = completionIndex(p);
        if (ix < 0 || ix >= completions || seen.containsKey(ix)) rm.add(p);
        else {
          seen.put(ix, p);
          left.add(p);
        }
      }
    } else {
      left.addAll(pods);
    }
    if (rm.size() < rmAtLeast) {
      left.sort(PodRanking.order(p -> 0, now));
      rm.addAll(left.subList(0, Math.min(left.size(), rmAtLeast - rm.size())));
    }
    return rm;
  }

  /** The lowest indexes neither succeeded nor held by an active pod. */
  private static List<Integer> firstPendingIndexes(Ctx c, int count, int completions) {
    Set<Integer> taken = new HashSet<>();
    for (Pod p : c.activePods) taken.add(completionIndex(p));
    List<Integer> out = new ArrayList<>();
    for (int i : c.succeededIndexes.missing(completions, Integer.MAX_VALUE)) {
      if (out.size() >= count) break;
      if (!taken.contains(i)) out.add(i);
    }
    return out;
  }

  /** The pod the job creates: template metadata and spec, our finalizer and reference; for an index, its marks. */
  static Pod podFromTemplate(Job job, PodTemplateSpec template, OwnerReference ref, int index) {
    ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    ObjectMeta m = new ObjectMeta();
    Map<String, String> labels = tm.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getLabels());
    Map<String, String> annotations = tm.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getAnnotations());
    List<String> fins = tm.getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(tm.getFinalizers());
    if (!fins.contains(TRACKING_FINALIZER)) fins.add(TRACKING_FINALIZER);
    var spec = Serial.copy(template.getSpec());
    String name = job.getMetadata().getName();
    if (index >= 0) {
      annotations.put(COMPLETION_INDEX, Integer.toString(index));
      labels.put(COMPLETION_INDEX, Integer.toString(index));
      spec.setHostname(name + "-" + index);
      m.setGenerateName(generateNameWithIndex(name, index));
    } else {
      m.setGenerateName(name + "-");
    }
    m.setLabels(labels.isEmpty() ? null : labels);
    m.setAnnotations(annotations.isEmpty() ? null : annotations);
    m.setFinalizers(fins);
    m.setOwnerReferences(new ArrayList<>(List.of(Serial.copy(ref))));
    Pod p = new Pod();
    p.setMetadata(m);
    p.setSpec(spec);
    return p;
  }

  /** Upstream's podGenerateNameWithIndex: "job-3-", the job name cut so the random suffix still fits 63 characters. */
  static String generateNameWithIndex(String jobName, int index) {
    String suffix = "-" + index + "-";
    int max = 63 - 5 - suffix.length();
    return (jobName.length() > max ? jobName.substring(0, max) : jobName) + suffix;
  }

  /** Each container learns its index from JOB_COMPLETION_INDEX, read from the pod's annotation. */
  static void addCompletionIndexEnv(PodTemplateSpec template) {
    List<Container> all = new ArrayList<>();
    if (template.getSpec().getInitContainers() != null) all.addAll(template.getSpec().getInitContainers());
    if (template.getSpec().getContainers() != null) all.addAll(template.getSpec().getContainers());
    for (Container ct : all) {
      List<EnvVar> env = ct.getEnv() == null ? new ArrayList<>() : new ArrayList<>(ct.getEnv());
      if (env.stream().anyMatch(e -> COMPLETION_INDEX_ENV.equals(e.getName()))) continue;
      env.add(new EnvVarBuilder().withName(COMPLETION_INDEX_ENV).withNewValueFrom().withNewFieldRef()
          .withFieldPath("metadata.annotations['" + COMPLETION_INDEX + "']").endFieldRef().endValueFrom().build());
      ct.setEnv(env);
    }
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  /** Forgets what was written for a job that is gone. */
  void forget(String key) { written.remove(key); }

  /** Writes the status and remembers the resourceVersion it got. */
  private Job writeStatus(String key, Job job) {
    Job stored = api.updateStatus(job);
    Long rv = revision(stored);
    if (rv != null) written.put(key, rv);
    return stored;
  }

  /** kava's resourceVersions are store revisions, so they order; null if one is not a number. */
  private static Long revision(Job j) {
    try {
      return j == null || j.getMetadata().getResourceVersion() == null ? null : Long.parseLong(j.getMetadata().getResourceVersion());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static boolean hasTrackingFinalizer(Pod p) {
    List<String> f = p.getMetadata().getFinalizers();
    return f != null && f.contains(TRACKING_FINALIZER);
  }

  /** Being deleted but not finished yet. */
  static boolean isTerminating(Pod p) {
    String phase = Pods.phase(p);
    return p.getMetadata().getDeletionTimestamp() != null && !Pods.PHASE_SUCCEEDED.equals(phase) && !Pods.PHASE_FAILED.equals(phase);
  }

  /** Upstream's isPodFailed: Failed, or (unless only failed pods are replaced) deleted before it succeeded. */
  static boolean isPodFailed(Pod p, Job job) {
    if (Pods.PHASE_FAILED.equals(Pods.phase(p))) return true;
    if (onlyReplaceFailedPods(job)) return false;
    return p.getMetadata().getDeletionTimestamp() != null && !Pods.PHASE_SUCCEEDED.equals(Pods.phase(p));
  }

  static boolean onlyReplaceFailedPods(Job job) {
    return "Failed".equals(job.getSpec().getPodReplacementPolicy()) || job.getSpec().getPodFailurePolicy() != null;
  }

  static boolean pastBackoffLimitOnFailure(Job job, List<Pod> pods) {
    if (!"OnFailure".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy())) return false;
    int restarts = 0;
    for (Pod p : pods) {
      String phase = Pods.phase(p);
      if (!Pods.PHASE_RUNNING.equals(phase) && !Pods.PHASE_PENDING.equals(phase)) continue;
      if (p.getStatus().getInitContainerStatuses() != null) {
        for (ContainerStatus s : p.getStatus().getInitContainerStatuses()) restarts += n(s.getRestartCount());
      }
      if (p.getStatus().getContainerStatuses() != null) {
        for (ContainerStatus s : p.getStatus().getContainerStatuses()) restarts += n(s.getRestartCount());
      }
    }
    int limit = backoffLimit(job);
    return limit == 0 ? restarts > 0 : restarts >= limit;
  }

  private static boolean pastActiveDeadline(Job job, Instant now) {
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    Instant start = job.getStatus() == null ? null : Pods.time(job.getStatus().getStartTime());
    if (deadline == null || start == null || suspended(job)) return false;
    return !now.isBefore(start.plusSeconds(deadline));
  }

  static boolean isFinished(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) return false;
    for (JobCondition c : job.getStatus().getConditions()) {
      if ((COMPLETE.equals(c.getType()) || FAILED.equals(c.getType())) && "True".equals(c.getStatus())) return true;
    }
    return false;
  }

  /** When the job finished (the Complete or Failed condition's transition), or null. */
  static Instant finishTime(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) return null;
    for (JobCondition c : job.getStatus().getConditions()) {
      if ((COMPLETE.equals(c.getType()) || FAILED.equals(c.getType())) && "True".equals(c.getStatus())) {
        return Pods.time(c.getLastTransitionTime());
      }
    }
    return null;
  }

  static boolean suspended(Job job) { return Boolean.TRUE.equals(job.getSpec().getSuspend()); }

  static boolean indexed(Job job) { return "Indexed".equals(job.getSpec().getCompletionMode()); }

  static int completions(Job job) { return n(job.getSpec().getCompletions()); }

  static int backoffLimit(Job job) { return job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit(); }

  /** The pod's completion index from its annotation, or -1. */
  static int completionIndex(Pod p) {
    Map<String, String> a = p.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(COMPLETION_INDEX);
    if (v == null) return -1;
    try {
      int i = Integer.parseInt(v);
      return i < 0 ? -1 : i;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static JobCondition condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) return null;
    for (JobCondition c : job.getStatus().getConditions()) if (type.equals(c.getType())) return c;
    return null;
  }

  private static List<JobCondition> conditions(Job job) {
    if (job.getStatus().getConditions() == null) job.getStatus().setConditions(new ArrayList<>());
    else job.getStatus().setConditions(new ArrayList<>(job.getStatus().getConditions()));
    return job.getStatus().getConditions();
  }

  static JobCondition newCondition(String type, String reason, String message, Instant now) {
    JobCondition c = new JobCondition();
    c.setType(type);
    c.setStatus("True");
    c.setReason(reason);
    c.setMessage(message);
    c.setLastProbeTime(Timestamps.formatTime(now));
    c.setLastTransitionTime(Timestamps.formatTime(now));
    return c;
  }

  /**
   * Upstream's ensureJobConditionStatus: updates the condition of {@code type} if its status, reason or message
   * differ; adds it unless the new status is False (nothing to False says nothing). True if the list changed.
   */
  static boolean ensureCondition(Job job, String type, String status, String reason, String message, Instant now) {
    JobCondition existing = condition(job, type);
    if (existing != null) {
      if (Objects.equals(existing.getStatus(), status) && Objects.equals(existing.getReason(), reason)
          && Objects.equals(existing.getMessage(), message)) return false;
      JobCondition c = newCondition(type, reason, message, now);
      c.setStatus(status);
      List<JobCondition> list = conditions(job);
      list.set(list.indexOf(existing), c);
      return true;
    }
    if ("False".equals(status)) return false;
    JobCondition c = newCondition(type, reason, message, now);
    c.setStatus(status);
    conditions(job).add(c);
    return true;
  }

  private static int size(List<?> l) { return l == null ? 0 : l.size(); }

  static int n(Integer i) { return i == null ? 0 : i; }
}
