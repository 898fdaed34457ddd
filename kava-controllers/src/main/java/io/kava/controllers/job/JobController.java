package io.kava.controllers.job;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
import io.kava.controllers.workload.Selectors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's Job controller, together with its TTL-after-finished controller: runs a Job's pods to completion
 * ({@link JobSync}) and deletes a finished Job (with its pods, in the foreground) once
 * {@code spec.ttlSecondsAfterFinished} has passed. Keys are "namespace/name" of Jobs.
 *
 * <p>Pods carry the {@code batch.kubernetes.io/job-tracking} finalizer until they are counted; the pods of a Job
 * that is gone lose it here, so they do not linger.
 */
public final class JobController implements Controller {
  private static final Logger log = LoggerFactory.getLogger(JobController.class);
  public static final String NAME = "job";
  static final String COMPONENT = "job-controller";
  static final int WORKERS = 2;

  private final KubernetesClient client;
  private final WorkQueue<String> queue;
  private final SharedIndexInformer<Job> jobs;
  private final SharedIndexInformer<Pod> pods;
  private final Expectations expectations = new Expectations(Ticker.system());
  private final FinalizerExpectations finalizers = new FinalizerExpectations();
  private final JobSync sync;
  private final Clock clock;

  public JobController(ControllerContext ctx) { this(ctx, Clock.systemUTC()); }

  JobController(ControllerContext ctx, Clock clock) {
    this.client = ctx.client();
    this.queue = ctx.queue();
    this.clock = clock;
    this.jobs = ctx.informer(Job.class);
    this.pods = ctx.informer(Pod.class);
    Indexes.byControllerUidAndOrphans(pods);
    Indexes.byControllerName(pods);
    this.sync = new JobSync(new ClientJobApi(client, ctx.recorder(COMPONENT)), expectations, finalizers, clock);
    jobs.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job j) { queue.add(Keys.of(j)); }

      @Override
      public void onUpdate(Job old, Job cur) {
        if (!Objects.equals(old.getMetadata().getUid(), cur.getMetadata().getUid())) forget(Keys.of(old));
        queue.add(Keys.of(cur));
      }

      @Override
      public void onDelete(Job j, boolean finalStateUnknown) {
        forget(Keys.of(j));
        queue.add(Keys.of(j));
      }
    });
    pods.addEventHandler(new PodEvents());
  }

  private void forget(String key) {
    expectations.delete(key);
    finalizers.delete(key);
    sync.forget(key);
  }

  @Override
  public String name() { return NAME; }

  @Override
  public int workers() { return WORKERS; }

  @Override
  public Result reconcile(String key) throws Exception {
    Job job = jobs.getStore().getByKey(key);
    if (job == null || job.getSpec() == null) {
      forget(key);
      releaseOrphanFinalizers(Keys.namespace(key), Keys.name(key));
      return Result.DONE;
    }
    String managedBy = job.getSpec().getManagedBy();
    if (managedBy != null && !managedBy.equals(JobSync.MANAGED_BY_DEFAULT)) return Result.DONE; // another controller's

    LabelSelector selector;
    try {
      selector = Selectors.of(job.getSpec().getSelector());
    } catch (RuntimeException e) {
      log.warn("job {}: invalid selector: {}", key, e.getMessage());
      return Result.DONE;
    }
    JobSync.Expected before = sync.expected(key); // before the pods are listed (JobSync.Expected)
    List<Pod> owned = claimPods(job, selector);
    JobSync.Outcome outcome = sync.sync(key, job, owned, before);
    Duration after = outcome.requeueAfter();
    Duration ttl = expireAfterFinished(job);
    if (ttl != null && (after == null || ttl.compareTo(after) < 0)) after = ttl;
    return after == null ? Result.DONE : Result.requeueAfter(after.plusMillis(100));
  }

  /**
   * The TTL-after-finished controller's step: deletes the finished job whose TTL has passed; returns how long until
   * it does, or null when it has no TTL or is not finished.
   */
  private Duration expireAfterFinished(Job job) {
    Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
    if (ttl == null || job.getMetadata().getDeletionTimestamp() != null) return null;
    Instant finished = JobSync.finishTime(job);
    if (finished == null) return null;
    Duration left = Duration.between(clock.instant(), finished.plusSeconds(ttl));
    if (left.isPositive()) return left;
    // Re-read before deleting: the TTL may have been raised since the cache saw the job.
    Job fresh = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName()).get();
    if (fresh == null || !Objects.equals(fresh.getMetadata().getUid(), job.getMetadata().getUid())) return null;
    if (!Objects.equals(fresh.getSpec().getTtlSecondsAfterFinished(), ttl)) {
      queue.add(Keys.of(fresh));
      return null;
    }
    log.debug("job {}/{}: ttlSecondsAfterFinished passed; deleting", job.getMetadata().getNamespace(), job.getMetadata().getName());
    try {
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
    return null;
  }

  /** Pods of the job (matching and owned, orphans adopted, strays released). */
  private List<Pod> claimPods(Job job, LabelSelector selector) throws Exception {
    String uid = job.getMetadata().getUid();
    List<Pod> candidates = new ArrayList<>();
    // Our pods and the namespace's orphans (by index), not every pod of the namespace.
    for (Pod p : Indexes.ownedAndOrphans(pods.getIndexer(), job)) {
      OwnerReference ref = Owners.controllerOf(p);
      if (ref == null ? selector.matches(Selectors.labels(p)) : uid.equals(ref.getUid())) candidates.add(p);
    }
    // Pods of an earlier job of the same name, which is gone: release their tracking finalizer.
    for (Pod p : podsOfJobsNamed(job.getMetadata().getNamespace(), job.getMetadata().getName())) {
      if (!uid.equals(Owners.controllerUid(p)) && JobSync.hasTrackingFinalizer(p)) removeFinalizerQuietly(p);
    }
    ControllerRefManager refs = new ControllerRefManager(job, JobSync.API_VERSION, JobSync.KIND, () -> {
      Job fresh = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName()).get();
      if (fresh == null || !Objects.equals(fresh.getMetadata().getUid(), uid)) {
        throw new IllegalStateException("original Job " + Keys.of(job) + " is gone");
      }
      if (fresh.getMetadata().getDeletionTimestamp() != null) {
        throw new IllegalStateException(Keys.of(job) + " has just been deleted at " + fresh.getMetadata().getDeletionTimestamp());
      }
    });
    return refs.claim(candidates, p -> selector.matches(Selectors.labels(p)),
        (ns, n, patch) -> client.pods().inNamespace(ns).withName(n).patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch)).orThrow();
  }

  /** Removes the tracking finalizer from the pods of Job {@code name}, which is gone. */
  private void releaseOrphanFinalizers(String namespace, String name) {
    for (Pod p : podsOfJobsNamed(namespace, name)) {
      if (JobSync.hasTrackingFinalizer(p)) removeFinalizerQuietly(p);
    }
  }

  /** Pods whose controller is a Job called {@code namespace/name}, this one or an earlier namesake. */
  private List<Pod> podsOfJobsNamed(String namespace, String name) {
    return pods.getIndexer().byIndex(Indexes.CONTROLLER_NAME, Indexes.controllerNameKey(namespace, JobSync.KIND, name));
  }

  private void removeFinalizerQuietly(Pod p) {
    try {
      ClientJobApi.removeFinalizer(client, p);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
  }

  /** The job a controller reference names, if it is in the cache and is the same object. */
  private Job resolve(String namespace, OwnerReference ref) {
    if (ref == null || !JobSync.KIND.equals(ref.getKind())) return null;
    Job j = jobs.getStore().getByKey(Keys.of(namespace, ref.getName()));
    return j != null && Objects.equals(j.getMetadata().getUid(), ref.getUid()) ? j : null;
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        onUpdate(null, pod);
        return;
      }
      OwnerReference ref = Owners.controllerOf(pod);
      Job j = resolve(pod.getMetadata().getNamespace(), ref);
      if (j != null) {
        expectations.creationObserved(Keys.of(j));
        queue.add(Keys.of(j));
      } else if (ref != null && JobSync.KIND.equals(ref.getKind())) {
        queue.add(Keys.of(pod.getMetadata().getNamespace(), ref.getName())); // a pod of a job that is gone
      } else if (ref == null) {
        enqueueMatching(pod);
      }
    }

    @Override
    public void onUpdate(Pod old, Pod cur) {
      if (Handlers.sameVersion(old, cur)) return;
      OwnerReference ref = Owners.controllerOf(cur);
      Job j = resolve(cur.getMetadata().getNamespace(), ref);
      if (j != null) {
        String key = Keys.of(j);
        if (cur.getMetadata().getDeletionTimestamp() != null) expectations.deletionObserved(key, Pods.key(cur));
        if (!JobSync.hasTrackingFinalizer(cur)) finalizers.observed(key, cur.getMetadata().getUid());
        queue.add(key);
      } else if (ref != null && JobSync.KIND.equals(ref.getKind())) {
        queue.add(Keys.of(cur.getMetadata().getNamespace(), ref.getName()));
      } else if (ref == null) {
        enqueueMatching(cur);
      }
      OwnerReference oldRef = old == null ? null : Owners.controllerOf(old);
      if (oldRef != null && !Objects.equals(oldRef, ref)) {
        Job previous = resolve(old.getMetadata().getNamespace(), oldRef);
        if (previous != null) queue.add(Keys.of(previous));
      }
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      OwnerReference ref = Owners.controllerOf(pod);
      Job j = resolve(pod.getMetadata().getNamespace(), ref);
      if (j == null) return;
      String key = Keys.of(j);
      expectations.deletionObserved(key, Pods.key(pod));
      finalizers.observed(key, pod.getMetadata().getUid());
      queue.add(key);
    }

    private void enqueueMatching(Pod pod) {
      for (Job j : jobs.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
        if (j.getSpec() == null || j.getSpec().getSelector() == null || Selectors.isEmpty(j.getSpec().getSelector())) continue;
        try {
          if (Selectors.of(j.getSpec().getSelector()).matches(Selectors.labels(pod))) queue.add(Keys.of(j));
        } catch (RuntimeException e) {
          // an invalid selector matches nothing
        }
      }
    }
  }

  /** {@link JobApi} through the fabric8 client, with upstream's events. */
  static final class ClientJobApi implements JobApi {
    private static final String REMOVE_FINALIZER_PATCH =
        "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"" + JobSync.TRACKING_FINALIZER + "\"]}}";
    private final KubernetesClient client;
    private final EventRecorder recorder;

    ClientJobApi(KubernetesClient client, EventRecorder recorder) {
      this.client = client;
      this.recorder = recorder;
    }

    @Override
    public Pod createPod(Job job, Pod pod) {
      try {
        Pod created = client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
        recorder.event(ref(job), EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        return created;
      } catch (KubernetesClientException e) {
        if (!ApiErrors.isNamespaceTerminating(e)) recorder.event(ref(job), EventRecorder.WARNING, "FailedCreate", "Error creating: " + ApiErrors.message(e));
        throw e;
      }
    }

    @Override
    public void deletePod(Job job, Pod pod) {
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        recorder.event(ref(job), EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) return;
        recorder.event(ref(job), EventRecorder.WARNING, "FailedDelete", "Error deleting: " + ApiErrors.message(e));
        throw e;
      }
    }

    @Override
    public void removeTrackingFinalizer(Pod pod) {
      try {
        removeFinalizer(client, pod);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) throw e;
      }
    }

    static void removeFinalizer(KubernetesClient client, Pod pod) {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), REMOVE_FINALIZER_PATCH);
    }

    @Override
    public Job updateStatus(Job job) {
      return client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job).updateStatus();
    }

    @Override
    public void event(Job job, String type, String reason, String message) { recorder.event(ref(job), type, reason, message); }

    private static io.fabric8.kubernetes.api.model.ObjectReference ref(Job job) {
      return Owners.reference(job, JobSync.API_VERSION, JobSync.KIND);
    }
  }
}
