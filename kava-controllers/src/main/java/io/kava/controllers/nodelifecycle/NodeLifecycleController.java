package io.kava.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.api.time.Timestamps;
import io.kava.client.EventRecorder;
import io.kava.client.WorkQueue;
import io.kava.controllers.runtime.ApiResource;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.Indexes;
import io.kava.controllers.workload.Pods;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's node lifecycle controller: a node whose kubelet has neither renewed its Lease in kube-node-lease nor
 * posted its Ready heartbeat for {@link #gracePeriod} (upstream's --node-monitor-grace-period, 40 s) gets its
 * kubelet conditions set to Unknown ("Kubelet stopped posting node status.") and its Ready pods marked not ready.
 * Every node carries the taints of its Ready condition (not-ready or unreachable, NoSchedule and NoExecute) and of
 * spec.unschedulable, removed when it recovers; {@link TaintEvictionController} evicts the pods that do not tolerate
 * them. Keys are node names.
 *
 * <p>Heartbeats are judged by when this controller saw them change, not by the timestamps they carry (upstream's
 * rule: the clocks of nodes are not trusted). A node first seen gets a full grace period.
 *
 * <p>Leases come from the shared metadata-only informer the garbage collector watches anyway, and a Lease counts as
 * renewed when its resourceVersion changes (a kubelet writes its Lease only to renew it); upstream compares
 * spec.renewTime from a typed informer. One watch and one decode per renewal fewer: with 5,000 nodes that is 500
 * Lease events a second.
 */
public final class NodeLifecycleController implements Controller {
  private static final Logger log = LoggerFactory.getLogger(NodeLifecycleController.class);
  public static final String NAME = "nodelifecycle";
  static final String COMPONENT = "node-controller";
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(40);
  static final String POD_NODE_INDEX = "kava-pod-node";

  static final ApiResource LEASES = new ApiResource("coordination.k8s.io", "v1", "leases", "Lease", true, Set.of("list", "watch"));

  private record Observed(NodeHealth.Heartbeat heartbeat, Instant at) {}

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<GenericKubernetesResource> leases;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder recorder;
  private final Duration gracePeriod;
  private final Clock clock;
  /** Per node: the last heartbeat seen and when. Each key is handled by one worker at a time. */
  private final Map<String, Observed> observed = new ConcurrentHashMap<>();

  public NodeLifecycleController(ControllerContext ctx, Duration gracePeriod) { this(ctx, gracePeriod, Clock.systemUTC()); }

  NodeLifecycleController(ControllerContext ctx, Duration gracePeriod, Clock clock) {
    this.client = ctx.client();
    this.gracePeriod = gracePeriod;
    this.clock = clock;
    this.recorder = ctx.recorder(COMPONENT);
    this.nodes = ctx.informer(Node.class);
    this.leases = ctx.informer(LEASES, ControllerContext.Indexers.NONE);
    this.pods = ctx.informer(Pod.class);
    podsByNode(pods);
    WorkQueue<String> queue = ctx.queue();
    nodes.addEventHandler(Handlers.enqueueSelf(queue));
    leases.addEventHandler(Handlers.enqueue(queue, l -> LEASE_NAMESPACE.equals(l.getMetadata().getNamespace()) ? l.getMetadata().getName() : null));
  }

  /** Indexes pods by spec.nodeName (shared by the node controllers). */
  static void podsByNode(SharedIndexInformer<Pod> pods) {
    Indexes.addOnce(pods, POD_NODE_INDEX, p -> p.getSpec() == null || p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty()
        ? List.of() : List.of(p.getSpec().getNodeName()));
  }

  @Override
  public String name() { return NAME; }

  @Override
  public int workers() { return 2; }

  @Override
  public Result reconcile(String name) {
    Node node = nodes.getStore().getByKey(name);
    if (node == null) {
      observed.remove(name);
      return Result.DONE;
    }
    Instant now = clock.instant();
    GenericKubernetesResource lease = leases.getStore().getByKey(LEASE_NAMESPACE + "/" + name);
    NodeHealth.Heartbeat hb = NodeHealth.heartbeat(node, lease == null ? null : lease.getMetadata().getResourceVersion());
    Observed seen = observed.get(name);
    if (seen == null || !seen.heartbeat().equals(hb)) {
      seen = new Observed(hb, now);
      observed.put(name, seen);
    }
    Instant deadline = seen.at().plus(gracePeriod);
    Result result;
    if (now.isBefore(deadline)) {
      result = Result.requeueAfter(Duration.between(now, deadline).plusMillis(100));
    } else {
      result = Result.DONE; // silent: a new heartbeat (lease or status event) wakes the node up again
      List<NodeCondition> silent = NodeHealth.silentConditions(node, now);
      if (silent != null) {
        log.info("node {}: no heartbeat for {} s; conditions set to Unknown", name, Duration.between(seen.at(), now).toSeconds());
        Node copy = Serial.copy(node);
        copy.getStatus().setConditions(silent);
        node = client.nodes().resource(copy).updateStatus();
        recorder.event(node, EventRecorder.NORMAL, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
      }
      markPodsNotReady(name, now);
    }
    List<Taint> taints = NodeHealth.desiredTaints(node, now);
    if (taints != null) {
      Node copy = Serial.copy(node);
      if (copy.getSpec() == null) copy.setSpec(new NodeSpec()); // created without one
      copy.getSpec().setTaints(taints.isEmpty() ? null : taints);
      client.nodes().resource(copy).update();
    }
    return result;
  }

  /** A silent kubelet cannot report its pods: those still Ready are marked not ready (upstream's MarkPodsNotReady). */
  private void markPodsNotReady(String node, Instant now) {
    for (Pod p : pods.getIndexer().byIndex(POD_NODE_INDEX, node)) {
      if (!Pods.isReady(p)) continue;
      Pod copy = Serial.copy(p);
      PodCondition ready = Pods.readyCondition(copy);
      ready.setStatus("False");
      ready.setLastTransitionTime(Timestamps.formatTime(now));
      try {
        client.pods().inNamespace(p.getMetadata().getNamespace()).resource(copy).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) throw e;
      }
    }
  }
}
