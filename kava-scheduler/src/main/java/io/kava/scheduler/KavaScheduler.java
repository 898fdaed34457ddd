package io.kava.scheduler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.api.selector.LabelSelector;
import io.kava.client.ClientConfigs;
import io.kava.client.EventBroadcaster;
import io.kava.client.InformerRetries;
import io.kava.client.LeaderElector;
import io.kava.client.watch.LineWatches;
import io.kava.client.RawApi;
import io.kava.client.ClientSerialization;
import io.kava.client.SharedVertx;
import io.kava.client.Threads;
import io.kava.client.TrimmedItemStore;
import io.kava.scheduler.cache.SchedulerCache;
import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.Framework;
import io.kava.scheduler.framework.Plugin;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Profile;
import io.kava.scheduler.plugins.DefaultPlugins;
import io.kava.scheduler.queue.SchedulingQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kava's scheduler as an API client: informers for pods, nodes, namespaces and priority classes feed the cache and
 * the queue; one thread runs scheduling cycles; bindings go out on virtual threads through pods/binding. With
 * leader election on (the default) it schedules only while it holds the Lease {@code kube-system/kava-scheduler},
 * so several servers sharing a store run one scheduler.
 *
 * <pre>{@code
 * KavaScheduler s = KavaScheduler.builder(kubeconfigPath).build().start(); // returns at once
 * ...
 * s.close();
 * }</pre>
 */
public final class KavaScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KavaScheduler.class);
  public static final String LEASE_NAMESPACE = "kube-system";
  public static final String LEASE_NAME = "kava-scheduler";
  static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);
  static final int REPORT_SECONDS = 5;

  private final Supplier<Config> config;
  private final Profile profile;
  private final Map<String, Plugin.Factory> registry;
  private final boolean leaderElection;
  private final io.kava.client.SharedLeadership leadership;
  private final io.kava.client.SharedInformers sharedInformers;
  private final String identity;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicLong scheduled = new AtomicLong();
  private volatile Thread thread;
  private volatile LeaderElector elector;
  private volatile Term term;

  private KavaScheduler(Builder b) {
    this.config = b.config;
    this.profile = b.profile;
    this.registry = b.registry;
    this.leaderElection = b.leaderElection;
    this.leadership = b.leadership;
    this.sharedInformers = b.sharedInformers;
    this.identity = b.identity != null ? b.identity : System.getenv().getOrDefault("HOSTNAME", "kava") + "_" + UUID.randomUUID();
  }

  public static Builder builder(Path kubeconfig) {
    return new Builder(() -> {
      try {
        return ClientConfigs.fromKubeconfig(kubeconfig);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  public static Builder builder(Config config) { return new Builder(() -> ClientConfigs.prepare(config)); }

  /** Starts in the background and returns at once. */
  public synchronized KavaScheduler start() {
    if (thread != null) throw new IllegalStateException("already started");
    // A platform thread: client start-up is CPU-bound and would hold a virtual-thread carrier (see ControllerManager).
    thread = Thread.ofPlatform().daemon().name("kava-scheduler").start(this::run);
    return this;
  }

  /** Whether this instance is scheduling now (holds the lease, or runs without election) and its caches synced. */
  public boolean isActive() {
    Term t = term;
    return t != null && t.synced;
  }

  /** Pods bound by this instance since it started. */
  public long scheduledCount() { return scheduled.get(); }

  public String identity() { return identity; }

  private void run() {
    KubernetesClient client = null;
    EventBroadcaster events = null;
    try {
      client = new KubernetesClientBuilder().withConfig(config.get()).withHttpClientFactory(SharedVertx.httpClientFactory())
          .withKubernetesSerialization(ClientSerialization.shared()).build();
      RawApi rest = new RawApi(client);
      events = new EventBroadcaster(client, System.getenv().getOrDefault("HOSTNAME", "kava"), Clock.systemUTC());
      FabricClusterApi api = new FabricClusterApi(rest, events.recorder(profile.schedulerName()), profile.schedulerName(), Clock.systemUTC());
      KubernetesClient c = client;
      if (!leaderElection) {
        term = new Term(c, api);
        term.start();
        stopped.await();
        return;
      }
      LeaderElector.Callbacks callbacks = new LeaderElector.Callbacks() {
        @Override
        public void startedLeading() {
          Term t = new Term(c, api);
          term = t;
          t.start();
        }

        @Override
        public void stoppedLeading() {
          Term t = term;
          term = null;
          if (t != null) t.close();
        }
      };
      if (leadership != null) {
        try (io.kava.client.SharedLeadership.Membership m = leadership.join("scheduler", callbacks)) {
          stopped.await();
        }
        return;
      }
      LeaderElector le = new LeaderElector(client, LeaderElector.Config.defaults(LEASE_NAMESPACE, LEASE_NAME, identity), callbacks);
      elector = le;
      if (stopped.getCount() == 0) return;
      le.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("scheduler stopped", e);
    } finally {
      Term t = term;
      term = null;
      if (t != null) t.close();
      if (events != null) events.close();
      if (client != null) client.close();
    }
  }

  @Override
  public void close() {
    stopped.countDown();
    LeaderElector e = elector;
    if (e != null) e.stop();
    Threads.joinOrInterrupt(thread, Duration.ofSeconds(15), () -> {});
  }

  /** One leadership term: informers, cache, queue, framework and the scheduling loop, all fresh. */
  private final class Term implements AutoCloseable {
    private final KubernetesClient client;
    private final ClusterApi api;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final ConcurrentHashMap<String, Map<String, String>> namespaceLabels = new ConcurrentHashMap<>();
    private final PriorityResolver priorities = new PriorityResolver();
    private final ExecutorService binders = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closed;
    private volatile boolean synced;
    private Thread loop;
    private Thread flusher;

    Term(KubernetesClient client, ClusterApi api) {
      this.client = client;
      this.api = api;
    }

    void start() {
      loop = Thread.ofVirtual().name("kava-scheduler-loop").start(this::runLoop);
    }

    private void runLoop() {
      SchedulerCache cache = new SchedulerCache();
      Map<String, List<ClusterEvent>> pluginEvents = new HashMap<>();
      SchedulingQueue[] queueRef = new SchedulingQueue[1];
      Scheduler[] schedRef = new Scheduler[1];
      Framework framework = new Framework(profile, registry, new Framework.Services(
          () -> schedRef[0].snapshot(),
          ns -> namespaceLabels.getOrDefault(ns, Map.of()),
          this::namespacesMatching,
          node -> queueRef[0].nominatedPods(node),
          countingApi(api)));
      for (Plugin p : framework.plugins()) pluginEvents.put(p.name(), p.events());
      SchedulingQueue queue = new SchedulingQueue(Clock.systemUTC(), name -> pluginEvents.getOrDefault(name, List.of()));
      queueRef[0] = queue;
      EventHandlers handlers = new EventHandlers(cache, queue, priorities, profile.schedulerName());

      // Priority classes and namespaces first, so pods are resolved against them from the start.
      SharedIndexInformer<PriorityClass> pcs = InformerRetries.keepRetrying(client.resources(PriorityClass.class).runnableInformer(0), "priorityclasses");
      pcs.addEventHandler(new ResourceEventHandler<>() {
        @Override public void onAdd(PriorityClass o) { priorities.put(o); }

        @Override public void onUpdate(PriorityClass a, PriorityClass b) { priorities.put(b); }

        @Override public void onDelete(PriorityClass o, boolean unknown) { priorities.remove(o); }
      });
      SharedIndexInformer<Namespace> nss = InformerRetries.keepRetrying(client.namespaces().runnableInformer(0), "namespaces");
      nss.addEventHandler(new ResourceEventHandler<>() {
        @Override public void onAdd(Namespace o) { namespaceLabels.put(o.getMetadata().getName(), labels(o)); }

        @Override public void onUpdate(Namespace a, Namespace b) { namespaceLabels.put(b.getMetadata().getName(), labels(b)); }

        @Override public void onDelete(Namespace o, boolean unknown) { namespaceLabels.remove(o.getMetadata().getName()); }
      });
      SharedIndexInformer<Node> nodes = InformerRetries.keepRetrying(TrimmedItemStore.withoutManagedFields(LineWatches.informer(Node.class, client.nodes())), "nodes");
      nodes.addEventHandler(handlers.nodes());
      // In kava server the process's one pod informer (shared with the controllers and the simulated nodes).
      SharedIndexInformer<Pod> pods = sharedInformers != null ? sharedInformers.borrowPods() : InformerRetries.keepRetrying(
          client.pods().inAnyNamespace().runnableInformer(0).itemStore(new TrimmedItemStore<Pod>(EventHandlers::trim)), "pods");
      pods.addEventHandler(handlers.pods());
      Scheduler scheduler = new Scheduler(framework, queue, cache, api, binders, p -> stillPending(pods, p));
      schedRef[0] = scheduler;
      try {
        for (SharedIndexInformer<?> i : List.of(pcs, nss)) informers.add(i);
        pcs.start();
        nss.start();
        if (!awaitSynced(List.of(pcs, nss))) return;
        informers.add(nodes);
        informers.add(pods);
        nodes.start();
        pods.start();
        if (!awaitSynced(informers)) return;
        synced = true;
        log.info("scheduler {} is scheduling ({} nodes)", identity, cache.nodeCount());
        flusher = Thread.ofVirtual().name("kava-scheduler-flush").start(() -> flush(queue));
        while (!closed) {
          try {
            scheduler.scheduleOne(Duration.ofMillis(500));
          } catch (InterruptedException e) {
            break;
          } catch (RuntimeException e) {
            log.error("scheduling cycle failed", e);
          }
        }
      } finally {
        queue.close();
        if (flusher != null) flusher.interrupt();
      }
    }

    private Set<String> namespacesMatching(LabelSelector sel) {
      Set<String> out = new HashSet<>();
      namespaceLabels.forEach((ns, labels) -> {
        if (sel.matches(labels)) out.add(ns);
      });
      return out;
    }

    private ClusterApi countingApi(ClusterApi delegate) {
      return new ClusterApi() {
        @Override public void bind(PodInfo pod, String nodeName) throws Exception {
          delegate.bind(pod, nodeName);
          scheduled.incrementAndGet();
        }

        @Override public void preempt(PodInfo v, PodInfo p, String n) throws Exception { delegate.preempt(v, p, n); }

        @Override public void clearNominatedNodeName(PodInfo pod) throws Exception { delegate.clearNominatedNodeName(pod); }

        @Override public void recordFailure(PodInfo pod, String reason, String message, String nominated) {
          delegate.recordFailure(pod, reason, message, nominated);
        }

        @Override public void recordScheduled(PodInfo pod, String nodeName) { delegate.recordScheduled(pod, nodeName); }
      };
    }

    private void flush(SchedulingQueue queue) {
      long lastLeftover = System.nanoTime();
      long lastReport = System.nanoTime();
      long lastCount = scheduled.get();
      while (!closed) {
        try {
          TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
        queue.flushBackoffCompleted();
        if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(REPORT_SECONDS)) {
          long n = scheduled.get();
          if (n != lastCount || queue.sizes().active() > 0) {
            log.debug("scheduled {} pods in the last {} s; queue {}", n - lastCount, REPORT_SECONDS, queue.sizes());
          }
          lastCount = n;
          lastReport = System.nanoTime();
        }
        if (System.nanoTime() - lastLeftover > TimeUnit.SECONDS.toNanos(30)) {
          queue.flushUnschedulableLeftover();
          lastLeftover = System.nanoTime();
        }
      }
    }

    private boolean awaitSynced(List<? extends SharedIndexInformer<?>> list) {
      long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
      while (!closed && !list.stream().allMatch(SharedIndexInformer::hasSynced)) {
        if (System.nanoTime() > deadline) {
          log.error("scheduler informers did not sync in {}", SYNC_TIMEOUT);
          return false;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
          return false;
        }
      }
      return !closed;
    }

    @Override
    public void close() {
      closed = true;
      Thread l = loop;
      if (l != null) {
        try {
          if (!l.join(Duration.ofSeconds(5))) l.interrupt();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      for (SharedIndexInformer<?> i : informers) i.stop();
      binders.shutdown();
      try {
        binders.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static boolean stillPending(SharedIndexInformer<Pod> pods, PodInfo p) {
    Pod cur = pods.getStore().getByKey(p.namespace() + "/" + p.name());
    return cur != null && java.util.Objects.equals(cur.getMetadata().getUid(), p.uid()) && !EventHandlers.assigned(cur)
        && cur.getMetadata().getDeletionTimestamp() == null;
  }

  private static Map<String, String> labels(Namespace n) {
    return n.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(n.getMetadata().getLabels());
  }

  public static final class Builder {
    private final Supplier<Config> config;
    private Profile profile = DefaultPlugins.profile();
    private Map<String, Plugin.Factory> registry = DefaultPlugins.registry();
    private boolean leaderElection = true;
    private io.kava.client.SharedLeadership leadership;
    private io.kava.client.SharedInformers sharedInformers;
    private String identity;

    private Builder(Supplier<Config> config) { this.config = config; }

    public Builder profile(Profile p) {
      this.profile = p;
      return this;
    }

    /** Adds out-of-tree plugins to the registry (name them in the profile to run them). */
    public Builder plugin(String name, Plugin.Factory factory) {
      Map<String, Plugin.Factory> r = new java.util.LinkedHashMap<>(registry);
      r.put(name, factory);
      this.registry = r;
      return this;
    }

    public Builder leaderElection(boolean on) {
      this.leaderElection = on;
      return this;
    }

    public Builder identity(String id) {
      this.identity = id;
      return this;
    }

    /** Schedules during the terms of {@code shared} (one election for the whole control plane of a process). */
    public Builder leadership(io.kava.client.SharedLeadership shared) {
      this.leadership = shared;
      return this;
    }

    /** Takes pods from the process's shared informer instead of an informer of its own. */
    public Builder sharedInformers(io.kava.client.SharedInformers shared) {
      this.sharedInformers = shared;
      return this;
    }

    public KavaScheduler build() { return new KavaScheduler(this); }
  }
}
