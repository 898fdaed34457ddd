package io.kava.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kava.controllers.workload.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records the Job controller's writes; the status writes return what they were given. */
final class FakeJobApi implements JobApi {
  final List<Pod> created = new CopyOnWriteArrayList<>();
  final List<String> deleted = new CopyOnWriteArrayList<>();
  final List<String> finalizerRemoved = new CopyOnWriteArrayList<>();
  final List<Job> statuses = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger names = new AtomicInteger();

  @Override
  public Pod createPod(Job job, Pod pod) {
    Pod p = Serial.copy(pod);
    p.getMetadata().setName(pod.getMetadata().getGenerateName() + "x" + names.incrementAndGet());
    created.add(p);
    return p;
  }

  @Override
  public void deletePod(Job job, Pod pod) { deleted.add(pod.getMetadata().getName()); }

  @Override
  public void removeTrackingFinalizer(Pod pod) { finalizerRemoved.add(pod.getMetadata().getName()); }

  @Override
  public Job updateStatus(Job job) {
    Job copy = Serial.copy(job);
    statuses.add(copy);
    return Serial.copy(copy);
  }

  @Override
  public void event(Job job, String type, String reason, String message) { events.add(type + " " + reason + " " + message); }

  Job lastStatus() { return statuses.isEmpty() ? null : statuses.getLast(); }

  List<String> createdNames() {
    List<String> out = new ArrayList<>();
    created.forEach(p -> out.add(p.getMetadata().getName()));
    return out;
  }
}
