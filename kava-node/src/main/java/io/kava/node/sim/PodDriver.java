package io.kava.node.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import io.kava.client.ApiException;
import io.kava.client.InformerRetries;
import io.kava.client.TrimmedItemStore;
import io.kava.client.RawApi;
import io.kava.client.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drives the pods bound to simulated nodes, for all of them at once: one pod informer (pods with a node, trimmed
 * to what a simulated kubelet reads: {@link SimPodTrim}), indexed by node name; handlers only enqueue keys; a few workers reconcile a pod at a time from the informer's copy
 * (level-triggered, so duplicate or missed events are harmless):
 *
 * <ul>
 *   <li>a new pod gets an IP from its node's range and a Running status (or, if its containers finish at once, a
 *       terminal one); containers that finish later are revisited when they are due;</li>
 *   <li>a pod with a deletionTimestamp gets its containers marked terminated and is then deleted with grace period
 *       0, as the kubelet does when its containers have stopped;</li>
 *   <li>finished and deleted pods give their IP back.</li>
 * </ul>
 *
 * Writes are one merge patch of pods/status per transition; the work queue coalesces bursts per pod and the
 * number of workers bounds the writes in flight.
 */
final class PodDriver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodDriver.class);
  static final String NODE_INDEX = "nodeName";

  private final KubernetesClient client;
  private final RawApi rest;
  private final Map<String, SimNode> nodes;
  /** Nodes whose kubelet is down: their pods are not driven (not even deletions finished) until it is back. */
  private final java.util.function.Predicate<String> stopped;
  private final Clock clock;
  private final int workers;
  private final WorkQueue<String> queue = WorkQueue.withDefaultRateLimiter("sim-pods");
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentHashMap<String, Boolean> deleting = new ConcurrentHashMap<>();
  private volatile SharedIndexInformer<Pod> informer;
  private final io.kava.client.SharedInformers shared;
  private volatile String nodeIndex = NODE_INDEX;
  private volatile boolean closed;

  /** @param shared the process's shared informers, or null for a pod informer of the driver's own */
  PodDriver(KubernetesClient client, RawApi rest, Map<String, SimNode> nodes, Clock clock, int workers,
            java.util.function.Predicate<String> stopped, io.kava.client.SharedInformers shared) {
    this.shared = shared;
    this.stopped = stopped;
    this.client = client;
    this.rest = rest;
    this.nodes = nodes;
    this.clock = clock;
    this.workers = workers;
  }

  /** Starts the informer, waits for its first list, recovers IPs of pods already running, then starts the workers. */
  void start() throws InterruptedException {
    SharedIndexInformer<Pod> inf;
    if (shared != null) { // the process's one pod informer; it indexes by node already, and holds unbound pods too
      inf = shared.borrowPods();
      nodeIndex = io.kava.client.SharedInformers.POD_NODE_INDEX;
    } else {
      inf = InformerRetries.keepRetrying(client.pods().inAnyNamespace().withoutField("spec.nodeName", "").runnableInformer(0)
          .itemStore(new TrimmedItemStore<Pod>(SimPodTrim::trim)), "pods");
      inf.addIndexers(Map.of(NODE_INDEX, p -> List.of(nodeName(p))));
    }
    inf.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Pod p) { enqueue(p); }

      @Override public void onUpdate(Pod a, Pod b) { enqueue(b); }

      @Override
      public void onDelete(Pod p, boolean unknown) {
        SimNode n = nodes.get(nodeName(p));
        if (n != null) n.pool().release(p.getMetadata().getUid());
        deleting.remove(key(p));
      }
    });
    informer = inf;
    inf.start();
    while (!inf.hasSynced() && !closed) TimeUnit.MILLISECONDS.sleep(20);
    for (Pod p : inf.getStore().list()) claimIp(p);
    for (int i = 0; i < workers; i++) threads.add(Thread.ofVirtual().name("kava-sim-pods-" + i).start(this::work));
  }

  /** A node joined: look at the pods already bound to it. */
  void nodeAdded(SimNode n) {
    SharedIndexInformer<Pod> inf = informer;
    if (inf == null) return;
    for (Pod p : inf.getIndexer().byIndex(nodeIndex, n.name())) {
      claimIp(p);
      queue.add(key(p));
    }
  }

  private void claimIp(Pod p) {
    SimNode n = nodes.get(nodeName(p));
    String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
    if (n != null && ip != null && !Boolean.TRUE.equals(p.getSpec().getHostNetwork())) n.pool().claim(p.getMetadata().getUid(), ip);
  }

  private void enqueue(Pod p) {
    if (nodes.containsKey(nodeName(p))) queue.add(key(p));
  }

  static String key(Pod p) { return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(); }

  static String nodeName(Pod p) { return p.getSpec() == null || p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName(); }

  private void work() {
    while (!closed) {
      String key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (key == null) return;
      try {
        reconcile(key);
      } catch (ApiException e) {
        if (e.code() != 404) {
          log.debug("pod {}: {}; retrying", key, e.getMessage());
          queue.addAfter(key, Duration.ofMillis(1000));
        }
      } catch (RuntimeException e) {
        log.warn("pod {}: reconcile failed; retrying", key, e);
        queue.addAfter(key, Duration.ofMillis(2000));
      } finally {
        queue.done(key);
      }
    }
  }

  void reconcile(String key) throws ApiException {
    Pod pod = informer.getStore().getByKey(key);
    if (pod == null) return;
    SimNode node = nodes.get(nodeName(pod));
    if (node == null || stopped.test(node.name())) return;
    String uid = pod.getMetadata().getUid();
    String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    Instant now = clock.instant();
    String path = "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName();

    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (deleting.putIfAbsent(key, Boolean.TRUE) != null && terminal) return; // already asked; waiting for the watch
      if (!terminal) {
        String podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        patchStatus(path, uid, PodStatuses.killed(pod, node.hostIp(), podIp, startTime(pod, now), now));
      }
      ObjectNode opts = Json.object();
      opts.put("apiVersion", "v1");
      opts.put("kind", "DeleteOptions");
      opts.put("gracePeriodSeconds", 0);
      opts.putObject("preconditions").put("uid", uid);
      try {
        rest.delete(path, opts);
      } catch (ApiException e) {
        if (e.code() != 404 && e.code() != 409) {
          deleting.remove(key);
          throw e;
        }
      }
      node.pool().release(uid);
      return;
    }
    if (terminal) {
      node.pool().release(uid);
      return;
    }
    Map<String, ContainerScript.Exit> plan = ContainerScript.plan(pod);
    long runFor = plan == null ? -1 : plan.values().stream().mapToLong(ContainerScript.Exit::runMillis).max().orElse(0);
    boolean started = phase.equals("Running") && pod.getStatus().getStartTime() != null;
    if (!started) {
      String podIp;
      if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
        podIp = node.hostIp();
      } else {
        String have = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        podIp = have != null && node.pool().claim(uid, have) ? have : node.pool().allocate(uid);
        if (podIp == null) {
          log.warn("node {} has no free pod IP in {} for {}", node.name(), node.podCidr(), key);
          queue.addAfter(key, Duration.ofMillis(10_000));
          return;
        }
      }
      Instant start = startTime(pod, now);
      if (plan != null && runFor == 0) {
        patchStatus(path, uid, PodStatuses.finished(pod, node.hostIp(), podIp, start, plan, now));
        node.pool().release(uid);
      } else {
        patchStatus(path, uid, PodStatuses.running(pod, node.hostIp(), podIp, start, now));
        if (plan != null) queue.addAfter(key, Duration.ofMillis(runFor));
      }
      return;
    }
    if (PodStatuses.readyTakenAway(pod)) {
      // Marked not ready while this node's heartbeats were late: report the running status again, as a kubelet does.
      patchStatus(path, uid, PodStatuses.running(pod, node.hostIp(), pod.getStatus().getPodIP(), startTime(pod, now), now));
      if (plan != null) queue.addAfter(key, Duration.ofMillis(Math.max(0, startTime(pod, now).toEpochMilli() + runFor - now.toEpochMilli())));
      return;
    }
    if (plan != null) {
      Instant start = startTime(pod, now);
      long due = start.toEpochMilli() + runFor - now.toEpochMilli();
      if (due > 0) {
        queue.addAfter(key, Duration.ofMillis(due));
        return;
      }
      patchStatus(path, uid, PodStatuses.finished(pod, node.hostIp(), pod.getStatus().getPodIP(), start, plan, now));
      node.pool().release(uid);
    }
  }

  private static Instant startTime(Pod pod, Instant now) {
    String s = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    if (s == null) return Timestamps.truncateToTime(now);
    try {
      return Timestamps.parseTime(s);
    } catch (RuntimeException e) {
      return Timestamps.truncateToTime(now);
    }
  }

  private void patchStatus(String path, String uid, ObjectNode status) throws ApiException {
    ObjectNode patch = Json.object();
    patch.putObject("metadata").put("uid", uid); // a pod re-created under the same name is not ours to write
    patch.set("status", status);
    rest.patchDiscardingResponse(path + "/status", RawApi.MERGE_PATCH, patch);
  }

  int pending() { return queue.len(); }

  @Override
  public void close() {
    closed = true;
    queue.shutdown();
    for (Thread t : threads) t.interrupt();
    SharedIndexInformer<Pod> inf = informer;
    if (inf != null) inf.stop();
  }
}
