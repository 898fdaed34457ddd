package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.kava.client.EventRecorder;
import io.kava.api.time.GoDurations;
import java.time.Duration;

/**
 * The Events the kubelet records about pods and their containers, with upstream's reasons and wording (as
 * {@code kubectl describe pod} shows them). Container events name the container in the involvedObject's fieldPath
 * ({@code spec.containers{NAME}} or {@code spec.initContainers{NAME}}), as upstream's container references do.
 * Recording never blocks: the sink hands the event to the broadcaster's queue.
 */
final class PodEvents {
  /** Where events go: in the agent, the "kubelet" {@link EventRecorder}. */
  @FunctionalInterface
  interface Sink {
    void event(ObjectReference involved, String type, String reason, String message);
  }

  static final PodEvents NONE = new PodEvents((o, t, r, m) -> { });

  private final Sink sink;

  PodEvents(Sink sink) { this.sink = sink; }

  void pulling(Pod p, Container c) { normal(p, c, "Pulling", "Pulling image \"" + c.getImage() + "\""); }

  void pulled(Pod p, Container c, Duration pull, Duration total, long sizeBytes) {
    normal(p, c, "Pulled", "Successfully pulled image \"" + c.getImage() + "\" in " + GoDurations.format(pull) + " ("
        + GoDurations.format(total) + " including waiting). Image size: " + sizeBytes + " bytes.");
  }

  void alreadyPresent(Pod p, Container c) { normal(p, c, "Pulled", "Container image \"" + c.getImage() + "\" already present on machine"); }

  void pullFailed(Pod p, Container c, String error) { warning(p, c, "Failed", "Failed to pull image \"" + c.getImage() + "\": " + error); }

  void pullBackOff(Pod p, Container c) { normal(p, c, "BackOff", "Back-off pulling image \"" + c.getImage() + "\""); }

  void neverPull(Pod p, Container c, String message) { warning(p, c, "ErrImageNeverPull", message); }

  /** The container could not be created or started; {@code what} is the waiting reason or the runtime's message. */
  void failed(Pod p, Container c, String what) { warning(p, c, "Failed", "Error: " + what); }

  void created(Pod p, Container c) { normal(p, c, "Created", "Created container: " + c.getName()); }

  void started(Pod p, Container c) { normal(p, c, "Started", "Started container " + c.getName()); }

  void postStartFailed(Pod p, Container c, String error) { warning(p, c, "FailedPostStartHook", error); }

  void preStopFailed(Pod p, Container c, String error) { warning(p, c, "FailedPreStopHook", error); }

  /** A container is being stopped; {@code message} null means deletion or shutdown ("Stopping container NAME"). */
  void killing(Pod p, Container c, String message) { normal(p, c, "Killing", message != null ? message : "Stopping container " + c.getName()); }

  void crashLoopBackOff(Pod p, Container c) {
    warning(p, c, "BackOff", "Back-off restarting failed container " + c.getName() + " in pod " + podDescription(p));
  }

  /** A failed probe attempt of the container {@code container} refers to; {@code probe} is "Liveness", "Readiness" or "Startup". */
  void unhealthy(ObjectReference container, String probe, String output) {
    sink.event(container, EventRecorder.WARNING, "Unhealthy", probe + " probe failed: " + output);
  }

  void failedMount(Pod p, String message) { sink.event(podReference(p), EventRecorder.WARNING, "FailedMount", message); }

  void sandboxFailed(Pod p, String message) {
    sink.event(podReference(p), EventRecorder.WARNING, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + message);
  }

  private void normal(Pod p, Container c, String reason, String message) { sink.event(containerReference(p, c), EventRecorder.NORMAL, reason, message); }

  private void warning(Pod p, Container c, String reason, String message) { sink.event(containerReference(p, c), EventRecorder.WARNING, reason, message); }

  /** upstream's format.Pod: NAME_NAMESPACE(UID). */
  static String podDescription(Pod p) {
    return p.getMetadata().getName() + "_" + p.getMetadata().getNamespace() + "(" + p.getMetadata().getUid() + ")";
  }

  static ObjectReference podReference(Pod p) {
    return new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace(p.getMetadata().getNamespace())
        .withName(p.getMetadata().getName()).withUid(p.getMetadata().getUid()).withResourceVersion(p.getMetadata().getResourceVersion())
        .build();
  }

  static ObjectReference containerReference(Pod p, Container c) {
    ObjectReference r = podReference(p);
    r.setFieldPath(fieldPath(p, c.getName()));
    return r;
  }

  /** spec.initContainers{NAME} for an init container, else spec.containers{NAME}. */
  static String fieldPath(Pod p, String container) {
    if (p.getSpec().getInitContainers() != null) {
      for (Container i : p.getSpec().getInitContainers()) if (container.equals(i.getName())) return "spec.initContainers{" + container + "}";
    }
    return "spec.containers{" + container + "}";
  }
}
