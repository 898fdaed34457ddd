package io.kava.scheduler;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import io.kava.client.ApiException;
import io.kava.client.EventRecorder;
import io.kava.client.RawApi;
import io.kava.scheduler.framework.PodInfo;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@link ClusterApi} over HTTP: bindings, status patches, deletions and events, as upstream's scheduler writes them. */
public final class FabricClusterApi implements ClusterApi {
  private static final Logger log = LoggerFactory.getLogger(FabricClusterApi.class);

  private final RawApi rest;
  private final EventRecorder events;
  private final String schedulerName;
  private final Clock clock;

  public FabricClusterApi(RawApi rest, EventRecorder events, String schedulerName, Clock clock) {
    this.rest = rest;
    this.events = events;
    this.schedulerName = schedulerName;
    this.clock = clock;
  }

  private static String podPath(PodInfo p) { return "/api/v1/namespaces/" + p.namespace() + "/pods/" + p.name(); }

  @Override
  public void bind(PodInfo pod, String nodeName) throws ApiException {
    ObjectNode b = Json.object();
    b.put("apiVersion", "v1");
    b.put("kind", "Binding");
    b.putObject("metadata").put("name", pod.name()).put("namespace", pod.namespace()).put("uid", pod.uid());
    b.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", nodeName);
    rest.post(podPath(pod) + "/binding", b);
  }

  @Override
  public void recordFailure(PodInfo pod, String reason, String message, String nominatedNodeName) {
    events.event(involved(pod.pod()), EventRecorder.WARNING, "FailedScheduling", message);
    PodCondition current = condition(pod.pod(), "PodScheduled");
    boolean sameCondition = current != null && "False".equals(current.getStatus()) && Objects.equals(reason, current.getReason())
        && Objects.equals(message, current.getMessage());
    boolean sameNomination = nominatedNodeName == null || nominatedNodeName.equals(pod.nominatedNodeName());
    if (sameCondition && sameNomination) return; // nothing new to say: spare the API a write per retry
    ObjectNode patch = Json.object();
    ObjectNode status = patch.putObject("status");
    ObjectNode c = status.putArray("conditions").addObject();
    c.put("type", "PodScheduled");
    c.put("status", "False");
    c.putNull("lastProbeTime");
    c.put("lastTransitionTime", current != null && "False".equals(current.getStatus()) && current.getLastTransitionTime() != null
        ? current.getLastTransitionTime() : Timestamps.formatTime(clock.instant()));
    c.put("reason", reason);
    c.put("message", message);
    if (nominatedNodeName != null) {
      if (nominatedNodeName.isEmpty()) status.putNull("nominatedNodeName");
      else status.put("nominatedNodeName", nominatedNodeName);
    }
    try {
      rest.patch(podPath(pod) + "/status", RawApi.STRATEGIC_MERGE_PATCH, patch);
    } catch (ApiException e) {
      if (!e.isNotFound()) log.debug("could not update the status of {}: {}", pod.key(), e.getMessage());
    }
  }

  @Override
  public void recordScheduled(PodInfo pod, String nodeName) {
    events.event(involved(pod.pod()), EventRecorder.NORMAL, "Scheduled", "Successfully assigned " + pod.key() + " to " + nodeName);
  }

  /**
   * Marks the victim with a DisruptionTarget condition (as upstream does, so controllers can tell why it went), then
   * deletes it gracefully, conditional on its uid.
   */
  @Override
  public void preempt(PodInfo victim, PodInfo preemptor, String nodeName) throws ApiException {
    ObjectNode patch = Json.object();
    ObjectNode c = patch.putObject("status").putArray("conditions").addObject();
    c.put("type", "DisruptionTarget");
    c.put("status", "True");
    c.put("lastTransitionTime", Timestamps.formatTime(clock.instant()));
    c.put("reason", "PreemptionByScheduler");
    c.put("message", schedulerName + ": preempting to accommodate a higher priority pod");
    try {
      rest.patch(podPath(victim) + "/status", RawApi.STRATEGIC_MERGE_PATCH, patch);
    } catch (ApiException e) {
      if (e.isNotFound()) return;
      log.debug("could not mark {} as a disruption target: {}", victim.key(), e.getMessage());
    }
    ObjectNode opts = Json.object();
    opts.put("apiVersion", "v1");
    opts.put("kind", "DeleteOptions");
    opts.putObject("preconditions").put("uid", victim.uid());
    try {
      rest.delete(podPath(victim), opts);
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) throw e;
      return;
    }
    events.event(involved(victim.pod()), EventRecorder.NORMAL, "Preempted", "Preempted by " + preemptor.key() + " on node " + nodeName);
  }

  @Override
  public void clearNominatedNodeName(PodInfo pod) throws ApiException {
    ObjectNode patch = Json.object();
    patch.putObject("status").putNull("nominatedNodeName");
    try {
      rest.patch(podPath(pod) + "/status", RawApi.MERGE_PATCH, patch);
    } catch (ApiException e) {
      if (!e.isNotFound()) throw e;
    }
  }

  static PodCondition condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return null;
    for (PodCondition c : pod.getStatus().getConditions()) if (type.equals(c.getType())) return c;
    return null;
  }

  static ObjectReference involved(Pod p) {
    return new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace(p.getMetadata().getNamespace())
        .withName(p.getMetadata().getName()).withUid(p.getMetadata().getUid()).withResourceVersion(p.getMetadata().getResourceVersion())
        .build();
  }
}
