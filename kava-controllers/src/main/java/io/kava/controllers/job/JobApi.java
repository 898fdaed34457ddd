package io.kava.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The writes of the Job controller (upstream's podControl plus the status client); the seam unit tests replace.
 * Implementations record upstream's events on the job (SuccessfulCreate, FailedCreate, SuccessfulDelete,
 * FailedDelete).
 */
interface JobApi {
  /** Creates {@code pod} (named by its generateName); returns it as created. */
  Pod createPod(Job job, Pod pod);

  /** Deletes a pod; a pod already gone is not an error. */
  void deletePod(Job job, Pod pod);

  /** Removes the batch.kubernetes.io/job-tracking finalizer; a pod already gone is not an error. */
  void removeTrackingFinalizer(Pod pod);

  /** Writes the status of {@code job} (optimistic on its resourceVersion) and returns the stored job. */
  Job updateStatus(Job job);

  /** Records an event on the job. */
  void event(Job job, String type, String reason, String message);
}
