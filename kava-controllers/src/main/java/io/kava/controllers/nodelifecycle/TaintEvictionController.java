package io.kava.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.client.EventRecorder;
import io.kava.client.WorkQueue;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import io.kava.controllers.workload.Pods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Upstream's taint eviction controller: a pod on a node with NoExecute taints is deleted at once if it does not
 * tolerate them all, else when the shortest tolerationSeconds among the tolerations used has passed since the
 * taint was added (pods get 300 s for not-ready and unreachable from the API server's DefaultTolerationSeconds).
 * Keys are pod keys; pods are looked at again when their node's taints change.
 */
public final class TaintEvictionController implements Controller {
  public static final String NAME = "taint-eviction";
  static final String COMPONENT = "taint-eviction-controller";

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder recorder;
  private final Clock clock;

  public TaintEvictionController(ControllerContext ctx) { this(ctx, Clock.systemUTC()); }

  TaintEvictionController(ControllerContext ctx, Clock clock) {
    this.client = ctx.client();
    this.clock = clock;
    this.recorder = ctx.recorder(COMPONENT);
    this.nodes = ctx.informer(Node.class);
    this.pods = ctx.informer(Pod.class);
    NodeLifecycleController.podsByNode(pods);
    WorkQueue<String> queue = ctx.queue();
    pods.addEventHandler(Handlers.enqueue(queue, p -> p.getSpec() == null || p.getSpec().getNodeName() == null
        || p.getSpec().getNodeName().isEmpty() ? null : Keys.of(p)));
    nodes.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Node n) { enqueuePodsOf(n, queue); }

      @Override public void onUpdate(Node old, Node n) {
        if (!Objects.equals(noExecute(old), noExecute(n))) enqueuePodsOf(n, queue);
      }

      @Override public void onDelete(Node n, boolean unknown) {}
    });
  }

  private void enqueuePodsOf(Node n, WorkQueue<String> queue) {
    if (noExecute(n).isEmpty()) return;
    for (Pod p : pods.getIndexer().byIndex(NodeLifecycleController.POD_NODE_INDEX, n.getMetadata().getName())) queue.add(Keys.of(p));
  }

  static List<Taint> noExecute(Node n) {
    List<Taint> out = new ArrayList<>();
    if (n.getSpec() == null || n.getSpec().getTaints() == null) return out;
    for (Taint t : n.getSpec().getTaints()) if (Taints.NO_EXECUTE.equals(t.getEffect())) out.add(t);
    return out;
  }

  @Override
  public String name() { return NAME; }

  @Override
  public Result reconcile(String key) {
    Pod pod = pods.getStore().getByKey(key);
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || pod.getSpec() == null) return Result.DONE;
    String phase = Pods.phase(pod);
    if (Pods.PHASE_SUCCEEDED.equals(phase) || Pods.PHASE_FAILED.equals(phase)) return Result.DONE;
    Node node = nodes.getStore().getByKey(pod.getSpec().getNodeName());
    if (node == null) return Result.DONE;
    List<Taint> taints = noExecute(node);
    if (taints.isEmpty()) return Result.DONE;
    List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
    Instant now = clock.instant();
    Instant due = Taints.evictionTime(taints, tolerations, now);
    if (due == null) return Result.DONE; // tolerated forever
    if (now.isBefore(due)) return Result.requeueAfter(Duration.between(now, due).plusMillis(100));
    recorder.event(pod, EventRecorder.NORMAL, "TaintManagerEviction", "Marking for deletion Pod " + key);
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
    return Result.DONE;
  }
}
