package io.kava.node.sim;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.api.json.Json;
import io.kava.client.ApiException;
import io.kava.client.ClientConfigs;
import io.kava.client.InformerRetries;
import io.kava.client.LeaderElector;
import io.kava.client.RawApi;
import io.kava.client.ClientSerialization;
import io.kava.client.SharedVertx;
import io.kava.client.Threads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Simulated nodes, the way kwok fakes kubelets: Nodes that register, report Ready, renew their Leases and drive the
 * pods bound to them through their lifecycle, without running anything. Thousands of nodes share one pod informer,
 * a few worker threads and one heartbeat loop.
 *
 * <p>The desired set is the ConfigMap {@code kube-system/kava-sim-nodes}: {@code data.count} nodes named
 * {@code kava-sim-0 … kava-sim-(count-1)}, with optional {@code cpu}, {@code memory}, {@code pods},
 * {@code ephemeral-storage}, {@code podCIDR} (default 10.244.0.0/16, one /24 per node), {@code namePrefix} and
 * {@code leaseDurationSeconds} (default 40, renewed every quarter of it as the kubelet does; raise it to lighten
 * the heartbeat load of thousands of nodes, 0 turns node leases off) and {@code stopped} (node names, comma
 * separated, whose kubelets go silent: no lease renewals or status reports, pods left as they are, as when a
 * machine drops off the network; removing a name brings the node back).
 * Editing it adds or removes nodes in a running cluster:
 *
 * <pre>kubectl -n kube-system create configmap kava-sim-nodes --from-literal=count=100
 * kubectl -n kube-system patch configmap kava-sim-nodes -p '{"data":{"count":"500"}}'</pre>
 *
 * {@link Options#count} (the server's {@code --sim-nodes}) writes that ConfigMap at start, so the flag and the
 * ConfigMap never disagree; without it the ConfigMap (if any) is left as it is. When several servers share a store,
 * the one holding the Lease {@code kube-system/kava-sim-nodes} runs the nodes.
 */
public final class SimNodes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimNodes.class);
  public static final String CONFIG_NAMESPACE = "kube-system";
  public static final String CONFIG_NAME = "kava-sim-nodes";
  public static final String DEFAULT_PREFIX = "kava-sim-";
  public static final String DEFAULT_POD_CIDR = "10.244.0.0/16";
  public static final int NODE_CIDR_MASK = 24;
  static final int REGISTRATION_CONCURRENCY = 16;

  /**
   * Start-up settings; null fields leave the ConfigMap's value (or the default) in place.
   *
   * @param count how many nodes to run (written to the ConfigMap); null keeps the ConfigMap's count
   * @param podWorkers threads writing pod statuses
   */
  public record Options(Integer count, String cpu, String memory, String pods, String podCidr, String namePrefix, int podWorkers) {
    public static Options defaults() { return new Options(null, null, null, null, null, null, 16); }

    public Options withCount(Integer n) { return new Options(n, cpu, memory, pods, podCidr, namePrefix, podWorkers); }

    public Options withCapacity(String c, String m, String p) { return new Options(count, c, m, p, podCidr, namePrefix, podWorkers); }
  }

  /** The desired nodes, as read from the ConfigMap. */
  record Desired(int count, String prefix, NodeObjects.Shape shape, Cidr podCidr, int leaseDurationSeconds, Set<String> stopped) {
    static Desired from(Map<String, String> data) {
      Map<String, String> d = data == null ? Map.of() : data;
      NodeObjects.Shape def = NodeObjects.Shape.defaults();
      int count = 0;
      try {
        count = Math.max(0, Integer.parseInt(d.getOrDefault("count", "0").trim()));
      } catch (NumberFormatException e) {
        log.warn("{}/{}: count {} is not a number; running no nodes", CONFIG_NAMESPACE, CONFIG_NAME, d.get("count"));
      }
      Cidr cidr;
      try {
        cidr = Cidr.parse(d.getOrDefault("podCIDR", DEFAULT_POD_CIDR));
      } catch (RuntimeException e) {
        log.warn("{}/{}: bad podCIDR {}; using {}", CONFIG_NAMESPACE, CONFIG_NAME, d.get("podCIDR"), DEFAULT_POD_CIDR);
        cidr = Cidr.parse(DEFAULT_POD_CIDR);
      }
      int lease = NodeObjects.LEASE_DURATION_SECONDS;
      try {
        lease = Math.max(0, Integer.parseInt(d.getOrDefault("leaseDurationSeconds", Integer.toString(lease)).trim()));
      } catch (NumberFormatException e) {
        log.warn("{}/{}: leaseDurationSeconds {} is not a number; using {}", CONFIG_NAMESPACE, CONFIG_NAME, d.get("leaseDurationSeconds"), lease);
      }
      Set<String> stopped = new TreeSet<>();
      for (String n : d.getOrDefault("stopped", "").split("[,\\s]+")) if (!n.isBlank()) stopped.add(n.trim());
      return new Desired(count, d.getOrDefault("namePrefix", DEFAULT_PREFIX),
          new NodeObjects.Shape(d.getOrDefault("cpu", def.cpu()), d.getOrDefault("memory", def.memory()), d.getOrDefault("pods", def.pods()),
              d.getOrDefault("ephemeral-storage", def.ephemeralStorage()), d.getOrDefault("kubeletVersion", def.kubeletVersion())),
          cidr, lease, Set.copyOf(stopped));
    }
  }

  private final Supplier<Config> config;
  private final Options options;
  private final io.kava.client.SharedLeadership leadership;
  private final io.kava.client.SharedInformers sharedInformers;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, SimNode> nodes = new ConcurrentHashMap<>();
  /** Nodes whose kubelet is "down" (data.stopped): no lease renewals, no status reports, their pods left as they are. */
  private final Set<String> silentNodes = ConcurrentHashMap.newKeySet();
  private final String identity = System.getenv().getOrDefault("HOSTNAME", "kava") + "_" + java.util.UUID.randomUUID();
  private volatile Thread thread;
  private volatile boolean closed;
  private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
  private volatile PodDriver pods;
  private volatile Heartbeats heartbeats;
  private volatile LeaderElector elector;
  private volatile Term term;

  private SimNodes(Supplier<Config> config, Options options, io.kava.client.SharedLeadership leadership,
                   io.kava.client.SharedInformers sharedInformers) {
    this.sharedInformers = sharedInformers;
    this.config = config;
    this.options = options;
    this.leadership = leadership;
  }

  /** Starts in the background (returns at once) against the cluster of {@code kubeconfig}. */
  public static SimNodes start(Path kubeconfig, Options options) { return start(kubeconfig, options, null, null); }

  /**
   * Starts in the background; with {@code leadership} the nodes run during the terms of the process's shared
   * election instead of campaigning for the Lease {@code kube-system/kava-sim-nodes}; with {@code informers} their
   * pods come from the process's shared pod informer.
   */
  public static SimNodes start(Path kubeconfig, Options options, io.kava.client.SharedLeadership leadership,
                               io.kava.client.SharedInformers informers) {
    return new SimNodes(() -> {
      try {
        return ClientConfigs.fromKubeconfig(kubeconfig);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, options, leadership, informers).startThread();
  }

  public static SimNodes start(Config config, Options options) { return start(config, options, null, null); }

  /** The same against the cluster {@code config} reaches (a fresh Config: the nodes adjust it). */
  public static SimNodes start(Config config, Options options, io.kava.client.SharedLeadership leadership,
                               io.kava.client.SharedInformers informers) {
    return new SimNodes(() -> ClientConfigs.prepare(config), options, leadership, informers).startThread();
  }

  private SimNodes startThread() {
    // A platform thread: client start-up is CPU-bound and would hold a virtual-thread carrier.
    thread = Thread.ofPlatform().daemon().name("kava-sim-nodes").start(this::run);
    return this;
  }

  /** The names of the nodes registered and heart-beating now. */
  public List<String> nodeNames() { return List.copyOf(nodes.keySet()); }

  private void run() {
    KubernetesClient client = null;
    try {
      client = new KubernetesClientBuilder().withConfig(config.get()).withHttpClientFactory(SharedVertx.httpClientFactory())
          .withKubernetesSerialization(ClientSerialization.shared()).build();
      RawApi rest = new RawApi(client);
      if (options.count() != null) writeConfigMap(rest);
      KubernetesClient c = client;
      // Several servers sharing a store each run this; only the holder of the lease drives the nodes.
      LeaderElector.Callbacks callbacks = new LeaderElector.Callbacks() {
        @Override
        public void startedLeading() {
          Term t = new Term(c, rest);
          term = t;
          t.thread = Thread.ofVirtual().name("kava-sim-nodes-term").start(t::run);
        }

        @Override
        public void stoppedLeading() {
          Term t = term;
          term = null;
          if (t != null) t.close();
        }
      };
      if (leadership != null) {
        try (io.kava.client.SharedLeadership.Membership m = leadership.join("simulated nodes", callbacks)) {
          closing.await(); // the shared election drives the terms until close()
        }
        return;
      }
      LeaderElector le = new LeaderElector(client, LeaderElector.Config.defaults(CONFIG_NAMESPACE, CONFIG_NAME, identity), callbacks);
      elector = le;
      if (closed) return;
      le.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closed) log.error("simulated nodes stopped", e);
    } finally {
      Term t = term;
      term = null;
      if (t != null) t.close();
      if (client != null) client.close();
    }
  }

  /** One leadership term: the ConfigMap watch, the nodes, their heartbeats and their pods. */
  private final class Term {
    private final KubernetesClient client;
    private final RawApi rest;
    private volatile boolean stopped;
    volatile Thread thread;

    Term(KubernetesClient client, RawApi rest) {
      this.client = client;
      this.rest = rest;
    }

    void run() {
      SharedIndexInformer<ConfigMap> cms = null;
      LinkedBlockingQueue<Map<String, String>> changes = new LinkedBlockingQueue<>();
      try {
        heartbeats = new Heartbeats(rest, clock, silentNodes::contains);
        cms = InformerRetries.keepRetrying(
            client.configMaps().inNamespace(CONFIG_NAMESPACE).withField("metadata.name", CONFIG_NAME).runnableInformer(0), "configmaps");
        cms.addEventHandler(new ResourceEventHandler<>() {
          @Override public void onAdd(ConfigMap c) { changes.add(data(c)); }

          @Override public void onUpdate(ConfigMap a, ConfigMap b) {
            if (!Objects.equals(a.getData(), b.getData())) changes.add(data(b));
          }

          @Override public void onDelete(ConfigMap c, boolean unknown) { changes.add(Map.of()); }
        });
        cms.start();
        Desired current = null;
        while (!stopped && !closed) {
          Map<String, String> data = changes.poll(1, TimeUnit.SECONDS);
          if (data == null) continue;
          for (Map<String, String> more; (more = changes.poll()) != null; ) data = more; // only the latest matters
          Desired want = Desired.from(data);
          if (want.equals(current)) continue;
          current = reconcile(client, rest, current, want, this::live);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        if (!closed && !stopped) log.error("simulated nodes failed", e);
      } finally {
        if (cms != null) cms.stop();
        PodDriver d = pods;
        pods = null;
        if (d != null) d.close();
        Heartbeats h = heartbeats;
        heartbeats = null;
        if (h != null) h.close();
        nodes.clear();
      }
    }

    /** False once the term ended (lease lost or closing): work still queued for it is dropped. */
    boolean live() { return !stopped && !closed; }

    void close() {
      stopped = true;
      Thread t = thread;
      if (t == null) return;
      try {
        if (!t.join(Duration.ofSeconds(10))) t.interrupt();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Map<String, String> data(ConfigMap c) { return c.getData() == null ? Map.of() : new LinkedHashMap<>(c.getData()); }

  /** Creates or updates the ConfigMap with the options given on the command line (retrying until the API answers). */
  private void writeConfigMap(RawApi rest) throws InterruptedException {
    ObjectNode data = Json.object();
    data.put("count", Integer.toString(options.count()));
    if (options.cpu() != null) data.put("cpu", options.cpu());
    if (options.memory() != null) data.put("memory", options.memory());
    if (options.pods() != null) data.put("pods", options.pods());
    if (options.podCidr() != null) data.put("podCIDR", options.podCidr());
    if (options.namePrefix() != null) data.put("namePrefix", options.namePrefix());
    String path = "/api/v1/namespaces/" + CONFIG_NAMESPACE + "/configmaps";
    for (int attempt = 0; !closed; attempt++) {
      try {
        ObjectNode patch = Json.object();
        patch.set("data", data);
        rest.patch(path + "/" + CONFIG_NAME, RawApi.MERGE_PATCH, patch);
        return;
      } catch (ApiException e) {
        if (e.isNotFound()) {
          try {
            ObjectNode cm = Json.object();
            cm.put("apiVersion", "v1");
            cm.put("kind", "ConfigMap");
            cm.putObject("metadata").put("name", CONFIG_NAME).put("namespace", CONFIG_NAMESPACE);
            cm.set("data", data);
            rest.post(path, cm);
            return;
          } catch (ApiException again) {
            if (!again.isConflict()) log.debug("creating {}/{}: {}", CONFIG_NAMESPACE, CONFIG_NAME, again.getMessage());
          }
        } else if (attempt > 50) {
          log.warn("could not write {}/{}: {}", CONFIG_NAMESPACE, CONFIG_NAME, e.getMessage());
        }
      }
      TimeUnit.MILLISECONDS.sleep(Math.min(2000, 100L * (attempt + 1)));
    }
  }

  /** Registers missing nodes and removes extra ones; returns what is now in place. */
  private Desired reconcile(KubernetesClient client, RawApi rest, Desired current, Desired want, BooleanSupplier live) throws InterruptedException {
    long subnets = want.podCidr().subnets(NODE_CIDR_MASK);
    if (want.count() > subnets) {
      log.warn("pod CIDR {} holds {} /{} subnets for {} simulated nodes: pod IPs repeat across nodes; set podCIDR in {}/{} to a larger range",
          want.podCidr(), subnets, NODE_CIDR_MASK, want.count(), CONFIG_NAMESPACE, CONFIG_NAME);
    }
    boolean reshaped = current != null && (!current.shape().equals(want.shape()) || current.leaseDurationSeconds() != want.leaseDurationSeconds());
    // Remove nodes that are no longer wanted (a lower count or another prefix).
    List<String> names = new ArrayList<>();
    for (int i = 0; i < want.count(); i++) names.add(want.prefix() + i);
    List<String> extra = new ArrayList<>(nodes.keySet());
    extra.removeAll(names);
    runAll(extra, name -> unregister(rest, name), live);
    List<String> resumed = new ArrayList<>(silentNodes);
    resumed.removeAll(want.stopped());
    silentNodes.addAll(want.stopped());
    silentNodes.removeAll(resumed);
    if (!want.stopped().isEmpty() || !resumed.isEmpty()) log.info("simulated nodes stopped: {}", want.stopped());
    if (want.count() > 0 && pods == null) {
      PodDriver d = new PodDriver(client, rest, nodes, clock, options.podWorkers(), silentNodes::contains, sharedInformers);
      pods = d;
      d.start();
    }
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < want.count(); i++) if (reshaped || !nodes.containsKey(want.prefix() + i)) missing.add(i);
    long t0 = System.nanoTime();
    runAll(missing, i -> register(rest, want, i), live);
    if (!live.getAsBoolean()) return current; // the term ended mid-way: the next term starts over
    // A kubelet coming back reports at once, as a restarted kubelet does, and looks at its pods again.
    runAll(resumed.stream().filter(nodes::containsKey).toList(), name -> {
      Heartbeats h = heartbeats;
      if (h == null) return;
      h.resume(name);
      PodDriver d = pods;
      if (d != null) d.nodeAdded(nodes.get(name));
    }, live);
    if (!missing.isEmpty() || !extra.isEmpty()) {
      log.info("simulated nodes: {} running ({} registered, {} removed in {} ms)", nodes.size(), missing.size(), extra.size(),
          (System.nanoTime() - t0) / 1_000_000);
    }
    return want;
  }

  private <T> void runAll(List<T> items, NodeSteps.Step<T> step, BooleanSupplier live) throws InterruptedException {
    NodeSteps.runAll(items, REGISTRATION_CONCURRENCY, step, live);
  }

  /** Creates (or adopts) the Node, reports its status and its Lease, then starts its heartbeats and pods. */
  private void register(RawApi rest, Desired want, int index) throws ApiException {
    String name = want.prefix() + index;
    Cidr cidr = want.podCidr().subnet(index, NODE_CIDR_MASK);
    SimNode node = SimNode.create(name, index, cidr);
    ObjectNode created;
    try {
      created = (ObjectNode) rest.post("/api/v1/nodes", NodeObjects.node(node));
    } catch (ApiException e) {
      if (!e.isConflict()) throw e;
      created = (ObjectNode) rest.get("/api/v1/nodes/" + name);
      if (created == null) throw new ApiException(404, "NotFound", "node " + name + " was deleted while registering");
      // A node that already exists keeps the pod CIDR it was given (spec.podCIDR cannot change).
      String have = created.path("spec").path("podCIDR").asString("");
      if (!have.isEmpty()) {
        try {
          node = SimNode.create(name, index, Cidr.parse(have));
        } catch (RuntimeException bad) {
          // keep ours
        }
      }
    }
    String uid = created.path("metadata").path("uid").asString(null);
    Instant now = clock.instant();
    ObjectNode status = Json.object();
    status.set("status", NodeObjects.status(node, want.shape(), now, now));
    rest.patch("/api/v1/nodes/" + name + "/status", RawApi.MERGE_PATCH, status);
    Heartbeats h = heartbeats;
    if (h == null) return; // the term ended (lease lost or closing) while this node was registering
    Heartbeats.Registered r = new Heartbeats.Registered(node, uid, want.shape(), now, want.leaseDurationSeconds());
    h.renewLease(r);
    SimNode previous = nodes.put(name, node);
    if (previous == null) h.add(r);
    else h.update(r);
    PodDriver d = pods;
    if (d != null) d.nodeAdded(node);
  }

  private void unregister(RawApi rest, String name) throws ApiException {
    nodes.remove(name);
    Heartbeats h = heartbeats;
    if (h != null) h.remove(name); // null once the term ended
    ObjectNode opts = Json.object();
    opts.put("apiVersion", "v1");
    opts.put("kind", "DeleteOptions");
    try {
      rest.delete("/apis/coordination.k8s.io/v1/namespaces/" + NodeObjects.LEASE_NAMESPACE + "/leases/" + name, opts);
    } catch (ApiException e) {
      if (!e.isNotFound()) throw e;
    }
    try {
      rest.delete("/api/v1/nodes/" + name, opts);
    } catch (ApiException e) {
      if (!e.isNotFound()) throw e;
    }
  }

  @Override
  public void close() {
    closed = true;
    closing.countDown();
    LeaderElector le = elector;
    if (le != null) le.stop();
    Threads.joinOrInterrupt(thread, Duration.ofSeconds(10), () -> {});
  }
}
