package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.client.InformerRetries;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.Container;
import io.kava.node.cri.v1.ContainerFilter;
import io.kava.node.cri.v1.PodSandbox;
import io.kava.node.objects.ReferencedObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods bound to this node, a {@link PodWorker} each: an informer on pods with {@code spec.nodeName} = this node
 * feeds the workers; a relist of the runtime every second (the kubelet's PLEG) wakes the worker of any pod whose
 * containers or sandboxes changed state; housekeeping every 30 s (and at start) removes what belongs to pods the
 * API no longer has: sandboxes, pod cgroups, log and state directories.
 */
final class PodWorkers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);
  static final Duration RELIST = Duration.ofSeconds(1);
  static final Duration HOUSEKEEPING = Duration.ofSeconds(30);

  private final NodeContext ctx;
  private final ReferencedObjects objects;
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
  private volatile SharedIndexInformer<Pod> informer;
  private volatile boolean closed;
  private Thread relister;
  private Map<String, Integer> lastStates = Map.of();

  PodWorkers(NodeContext ctx, ReferencedObjects objects) {
    this.ctx = ctx;
    this.objects = objects;
    // A ConfigMap or Secret changed: the pods that mount it refresh their volumes now, not at their next resync.
    objects.onChange(uids -> {
      for (String uid : uids) {
        PodWorker w = workers.get(uid);
        if (w != null) w.inputsChanged();
      }
    });
    ctx.probes().events(new ProbeTracker.Events() {
      @Override public void changed(String podUid) {
        PodWorker w = workers.get(podUid);
        if (w != null) w.wake();
      }

      @Override public void failed(String podUid, String containerId, String container, String message) {
        PodWorker w = workers.get(podUid);
        if (w != null) w.probeFailed(containerId, container, message);
      }
    });
  }

  void start() throws InterruptedException {
    SharedIndexInformer<Pod> inf = InformerRetries.keepRetrying(
        ctx.client().pods().inAnyNamespace().withField("spec.nodeName", ctx.nodeName()).runnableInformer(0), "pods");
    inf.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Pod p) { podChanged(p); }

      @Override public void onUpdate(Pod a, Pod b) { podChanged(b); }

      @Override public void onDelete(Pod p, boolean unknown) {
        PodWorker w = workers.get(p.getMetadata().getUid());
        if (w != null) w.removed();
      }
    });
    // fabric8 gives up on an informer whose first list or a watch fails (a timeout on a busy machine, an API server
    // restarting); a node whose pod informer stopped would never see a pod again. Keep retrying, with its back-off.
    inf.exceptionHandler((listing, failure) -> {
      log.debug("pod informer failed; retrying", failure);
      return !closed;
    });
    informer = inf;
    inf.start();
    while (!inf.hasSynced() && !closed) TimeUnit.MILLISECONDS.sleep(20);
    relister = Thread.ofVirtual().name("kava-node-relist").start(this::relistLoop);
  }

  private void podChanged(Pod p) {
    if (closed || p.getSpec() == null || !ctx.nodeName().equals(p.getSpec().getNodeName())) return;
    String uid = p.getMetadata().getUid();
    objects.register(p); // before the worker reads them: its objects come from their watches
    PodWorker w = workers.computeIfAbsent(uid, u -> {
      PodWorker nw = new PodWorker(ctx, p, () -> {
        workers.remove(u);
        objects.unregister(u);
      });
      nw.start();
      return nw;
    });
    w.update(p);
  }

  int size() { return workers.size(); }

  private void relistLoop() {
    long nextHousekeeping = 0;
    while (!closed) {
      try {
        relist();
        if (System.nanoTime() >= nextHousekeeping) {
          housekeeping();
          nextHousekeeping = System.nanoTime() + HOUSEKEEPING.toNanos();
        }
      } catch (CriException e) {
        log.debug("relist: {}", e.getMessage());
      } catch (RuntimeException e) {
        log.warn("relist failed", e);
      }
      try {
        Thread.sleep(RELIST.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Wakes the workers of pods whose containers or sandboxes changed state since the last relist. */
  void relist() {
    Map<String, Integer> states = new HashMap<>();
    Map<String, String> podOf = new HashMap<>();
    Map<String, String> mine = Map.of(CriLabels.NODE, ctx.nodeName());
    for (Container c : ctx.cri().listContainers(ContainerFilter.newBuilder().putAllLabelSelector(mine).build())) {
      states.put(c.getId(), c.getStateValue());
      podOf.put(c.getId(), c.getLabelsOrDefault(CriLabels.POD_UID, ""));
    }
    for (PodSandbox s : ctx.cri().listPodSandbox(mine)) {
      states.put(s.getId(), 10 + s.getStateValue());
      podOf.put(s.getId(), s.getLabelsOrDefault(CriLabels.POD_UID, ""));
    }
    Set<String> changed = new HashSet<>();
    for (var e : states.entrySet()) if (!e.getValue().equals(lastStates.get(e.getKey()))) changed.add(podOf.get(e.getKey()));
    lastStates = states;
    for (String uid : changed) {
      PodWorker w = workers.get(uid);
      if (w != null) w.wake();
    }
  }

  /** Removes what belongs to pods neither the API nor a worker knows. */
  void housekeeping() {
    Set<String> known = new HashSet<>(workers.keySet());
    SharedIndexInformer<Pod> inf = informer;
    if (inf == null) return;
    for (Pod p : inf.getStore().list()) known.add(p.getMetadata().getUid());
    for (PodSandbox s : ctx.cri().listPodSandbox(Map.of(CriLabels.NODE, ctx.nodeName()))) {
      String uid = s.getLabelsOrDefault(CriLabels.POD_UID, "");
      if (known.contains(uid)) continue;
      log.info("removing sandbox {} of pod {}/{} ({}), which is gone", s.getId(), s.getMetadata().getNamespace(), s.getMetadata().getName(), uid);
      removeEverything(s.getId());
    }
    for (String uid : ctx.cgroups().podUids()) if (!known.contains(uid)) ctx.cgroups().removePod(uid);
    for (Path dir : list(ctx.podLogsRoot())) {
      String n = dir.getFileName().toString();
      String uid = n.substring(n.lastIndexOf('_') + 1);
      if (!known.contains(uid)) PodWorker.deleteTree(dir);
    }
    for (Path dir : list(ctx.podStateRoot())) {
      String uid = dir.getFileName().toString();
      if (known.contains(uid)) continue;
      try {
        ctx.inputs().tearDownPod(uid); // unmounts its tmpfs volumes first: never delete through a mount
        PodWorker.deleteTree(dir);
      } catch (RuntimeException e) {
        log.warn("pod {}: cannot tear down its volumes: {}", uid, e.getMessage());
      }
    }
  }

  private void removeEverything(String sandboxId) {
    try {
      for (Container c : ctx.cri().listContainers(ContainerFilter.newBuilder().setPodSandboxId(sandboxId).build())) {
        ctx.cri().stopContainer(c.getId(), 0);
        ctx.cri().removeContainer(c.getId());
      }
      ctx.cri().stopPodSandbox(sandboxId);
      ctx.cri().removePodSandbox(sandboxId);
    } catch (CriException e) {
      if (!e.isNotFound()) log.warn("removing sandbox {}: {}", sandboxId, e.getMessage());
    }
  }

  private static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Every pod of this node stopped at once (no grace) and removed with its leftovers: for test clusters that leave nothing behind. */
  void removeAllPods() {
    for (PodSandbox s : ctx.cri().listPodSandbox(Map.of(CriLabels.NODE, ctx.nodeName()))) {
      removeEverything(s.getId());
      String uid = s.getLabelsOrDefault(CriLabels.POD_UID, "");
      if (!uid.isEmpty()) ctx.cgroups().removePod(uid);
    }
  }

  @Override
  public void close() {
    closed = true;
    SharedIndexInformer<Pod> inf = informer;
    if (inf != null) inf.stop();
    Thread r = relister;
    if (r != null) r.interrupt();
    for (PodWorker w : workers.values()) w.stop();
    for (PodWorker w : workers.values()) {
      Thread t = w.thread();
      if (t == null) continue;
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    workers.clear();
  }
}
