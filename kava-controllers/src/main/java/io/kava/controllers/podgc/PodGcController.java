package io.kava.controllers.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.api.time.Timestamps;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.Pods;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's pod garbage collector: every {@link #PERIOD} (sooner while a quarantine runs out) it deletes, with
 * grace period 0, finished pods beyond the terminated-pod threshold (oldest first), pods bound to a node that has
 * been missing for the quarantine (checked once more against the API before they go, and marked Failed with a
 * DisruptionTarget condition first, as upstream does), and deleted pods that were never bound. It works on one
 * key, the whole cluster, as upstream's periodic gc does.
 */
public final class PodGcController implements Controller {
  private static final Logger log = LoggerFactory.getLogger(PodGcController.class);
  public static final String NAME = "podgc";
  static final String KEY = "gc";
  /** Upstream's gcCheckPeriod. */
  static final Duration PERIOD = Duration.ofSeconds(20);

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final int threshold;
  private final Duration quarantine;
  private final Clock clock;
  // Touched only by the one worker that handles the single key.
  private Map<String, Instant> missingSince = Map.of();

  public PodGcController(ControllerContext ctx, int terminatedPodThreshold, Duration quarantine) {
    this(ctx, terminatedPodThreshold, quarantine, Clock.systemUTC());
  }

  PodGcController(ControllerContext ctx, int terminatedPodThreshold, Duration quarantine, Clock clock) {
    this.client = ctx.client();
    this.threshold = terminatedPodThreshold;
    this.quarantine = quarantine;
    this.clock = clock;
    this.pods = ctx.informer(Pod.class);
    this.nodes = ctx.informer(Node.class);
    ctx.queue().add(KEY);
  }

  @Override
  public String name() { return NAME; }

  @Override
  public Result reconcile(String key) {
    Instant now = clock.instant();
    Set<String> nodeNames = new HashSet<>(nodes.getIndexer().listKeys());
    PodGcPlan plan = PodGcPlan.compute(pods.getStore().list(), nodeNames, missingSince, threshold, quarantine, now);
    missingSince = plan.missingSince();
    for (Pod p : plan.terminated()) forceDelete(p);
    Set<String> confirmedGone = new HashSet<>();
    for (Pod p : plan.orphaned()) {
      String node = p.getSpec().getNodeName();
      if (!confirmedGone.contains(node)) {
        // The cache may lag a node that was just created: ask the API before deleting anything.
        if (client.nodes().withName(node).get() != null) continue;
        confirmedGone.add(node);
      }
      log.info("deleting pod {}/{} bound to missing node {}", p.getMetadata().getNamespace(), p.getMetadata().getName(), node);
      markFailed(p, now);
      forceDelete(p);
    }
    for (Pod p : plan.unscheduled()) forceDelete(p);
    Duration wait = PERIOD;
    if (plan.nextCheck() != null) {
      Duration untilQuarantineEnds = Duration.between(now, plan.nextCheck()).plusMillis(100);
      if (untilQuarantineEnds.compareTo(wait) < 0) wait = untilQuarantineEnds;
    }
    return Result.requeueAfter(wait);
  }

  /** Upstream 1.26+: a pod PodGC removes is first marked Failed, with the reason in a DisruptionTarget condition. */
  private void markFailed(Pod p, Instant now) {
    String phase = Pods.phase(p);
    if (Pods.PHASE_SUCCEEDED.equals(phase) || Pods.PHASE_FAILED.equals(phase)) return;
    Pod copy = Serial.copy(p);
    if (copy.getStatus() == null) copy.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
    copy.getStatus().setPhase(Pods.PHASE_FAILED);
    PodCondition c = new PodCondition();
    c.setType("DisruptionTarget");
    c.setStatus("True");
    c.setReason("DeletionByPodGC");
    c.setMessage("PodGC: node no longer exists");
    c.setLastTransitionTime(Timestamps.formatTime(now));
    List<PodCondition> conds = new java.util.ArrayList<>(copy.getStatus().getConditions() == null ? List.of() : copy.getStatus().getConditions());
    conds.removeIf(x -> "DisruptionTarget".equals(x.getType()));
    conds.add(c);
    copy.getStatus().setConditions(conds);
    try {
      client.pods().inNamespace(p.getMetadata().getNamespace()).resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) throw e; // the deletion below is what matters
    }
  }

  private void forceDelete(Pod p) {
    try {
      client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
  }
}
