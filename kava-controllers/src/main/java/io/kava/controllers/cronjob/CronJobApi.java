package io.kava.controllers.cronjob;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** The CronJob controller's writes and live reads (upstream's jobControl and cronJobControl); tests replace it. */
interface CronJobApi {
  /** Creates the job; throws a 409 AlreadyExists if the name is taken. */
  Job createJob(Job job);

  /** The job as the API has it now, or null. */
  Job getJob(String namespace, String name);

  /** Deletes a job in the background (its pods follow); a job already gone is not an error. */
  void deleteJob(Job job);

  CronJob updateStatus(CronJob cronJob);

  void event(CronJob cronJob, String type, String reason, String message);
}
