package io.kava.controllers.cronjob;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kava.client.EventRecorder;
import io.kava.client.WorkQueue;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.Owners;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Upstream's CronJob controller (controllerv2): each CronJob is looked at when it or one of its jobs changes, and
 * again just after its next schedule time, which {@link CronJobSync} computes with an injectable {@link Clock}.
 * Keys are "namespace/name" of CronJobs.
 */
public final class CronJobController implements Controller {
  public static final String NAME = "cronjob";
  static final String COMPONENT = "cronjob-controller";

  private final SharedIndexInformer<CronJob> cronJobs;
  private final SharedIndexInformer<Job> jobs;
  private final CronJobSync sync;

  public CronJobController(ControllerContext ctx) { this(ctx, Clock.systemUTC()); }

  CronJobController(ControllerContext ctx, Clock clock) {
    WorkQueue<String> queue = ctx.queue();
    this.cronJobs = ctx.informer(CronJob.class);
    this.jobs = ctx.informer(Job.class);
    this.sync = new CronJobSync(new ClientApi(ctx.client(), ctx.recorder(COMPONENT)), clock);
    cronJobs.addEventHandler(Handlers.enqueueSelf(queue));
    jobs.addEventHandler(Handlers.enqueue(queue, j -> {
      OwnerReference ref = Owners.controllerOf(j);
      return ref != null && CronJobSync.KIND.equals(ref.getKind()) ? Keys.of(j.getMetadata().getNamespace(), ref.getName()) : null;
    }));
  }

  @Override
  public String name() { return NAME; }

  @Override
  public Result reconcile(String key) {
    CronJob cj = cronJobs.getStore().getByKey(key);
    if (cj == null || cj.getSpec() == null) return Result.DONE;
    List<Job> owned = new ArrayList<>();
    for (Job j : jobs.getIndexer().byIndex(Cache.NAMESPACE_INDEX, cj.getMetadata().getNamespace())) {
      if (Objects.equals(Owners.controllerUid(j), cj.getMetadata().getUid())) owned.add(j);
    }
    Duration next = sync.sync(cj, owned);
    return next == null ? Result.DONE : Result.requeueAfter(next);
  }

  /** {@link CronJobApi} through the fabric8 client, with upstream's events. */
  static final class ClientApi implements CronJobApi {
    private final KubernetesClient client;
    private final EventRecorder recorder;

    ClientApi(KubernetesClient client, EventRecorder recorder) {
      this.client = client;
      this.recorder = recorder;
    }

    @Override
    public Job createJob(Job job) { return client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job).create(); }

    @Override
    public Job getJob(String namespace, String name) { return client.batch().v1().jobs().inNamespace(namespace).withName(name).get(); }

    @Override
    public void deleteJob(Job job) {
      try {
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
            .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) throw e;
      }
    }

    @Override
    public CronJob updateStatus(CronJob cj) {
      return client.batch().v1().cronjobs().inNamespace(cj.getMetadata().getNamespace()).resource(cj).updateStatus();
    }

    @Override
    public void event(CronJob cj, String type, String reason, String message) {
      recorder.event(Owners.reference(cj, CronJobSync.API_VERSION, CronJobSync.KIND), type, reason, message);
    }
  }
}
