package io.kava.node.agent;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kava.api.json.Json;
import io.kava.client.ApiException;
import io.kava.client.ClientConfigs;
import io.kava.client.EventBroadcaster;
import io.kava.client.EventRecorder;
import io.kava.client.RawApi;
import io.kava.client.ClientSerialization;
import io.kava.client.SharedVertx;
import io.kava.node.cgroups.CgroupFs;
import io.kava.node.cgroups.PodCgroups;
import io.kava.node.containerd.Containerd;
import io.kava.node.containerd.ContainerdLayout;
import io.kava.node.containerd.HostResources;
import io.kava.node.containerd.RuntimeUnavailableException;
import io.kava.node.cri.CriClient;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.RuntimeCondition;
import io.kava.node.cri.v1.StatusResponse;
import io.kava.node.cri.v1.VersionResponse;
import io.kava.node.env.EnvResolver;
import io.kava.node.env.NodeAllocatable;
import io.kava.node.objects.InformedServices;
import io.kava.node.objects.ReferencedObjects;
import io.kava.node.server.NodeStreamingServer;
import io.kava.node.volume.ApiVolumeSources;
import io.kava.node.volume.SharedMounts;
import io.kava.node.volume.SystemMounter;
import io.kava.node.volume.VolumeManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The node agent (kava's kubelet) for one real node: registers the Node, renews its Lease every 10 s, keeps its
 * conditions current, and runs the pods bound to it as containers through the CRI. Either starts its own
 * containerd under the data dir or uses an existing one ({@link Options#criEndpoint}).
 *
 * <p>{@link #start} fails at once, with what to install or which flag to use, when the runtime cannot run here; the
 * API side (registration, pods) then proceeds in the background and retries until the API server answers.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
  static final Duration LEASE_RENEW = Duration.ofSeconds(10);
  static final Duration STATUS_CHECK = Duration.ofSeconds(10);
  /** Status is posted at least this often even when nothing changed (upstream's nodeStatusReportFrequency is 5 min). */
  static final Duration STATUS_REPORT = Duration.ofMinutes(1);
  public static final String DEFAULT_POD_CIDR = "10.244.0.0/24";

  /**
   * @param criEndpoint an existing containerd's CRI socket; null starts kava's own under the data dir
   * @param removePodsOnClose stop and remove every pod of this node on close (test clusters), instead of leaving
   *     them running for the next start to adopt
   */
  public record Options(String nodeName, String nodeIp, String podCidr, Path dataDir, String criEndpoint, SandboxConfigs.Dns dns,
                        boolean removePodsOnClose, int streamingPort, long podMaxPids) {
    public Options(String nodeName, String nodeIp, String podCidr, Path dataDir, String criEndpoint, SandboxConfigs.Dns dns,
                   boolean removePodsOnClose, int streamingPort) {
      this(nodeName, nodeIp, podCidr, dataDir, criEndpoint, dns, removePodsOnClose, streamingPort, PodCgroups.UNLIMITED_PIDS);
    }

    public static Options defaults(Path dataDir) {
      return new Options(HostInfo.readHostname(), "127.0.0.1", DEFAULT_POD_CIDR, dataDir, null, SandboxConfigs.Dns.defaults(), false, NodeStreamingServer.DEFAULT_PORT);
    }

    /** The kubelet's --pod-max-pids: the most processes each pod may run (its pod cgroup's pids.max); -1 for no limit. */
    public Options withPodMaxPids(long n) {
      return new Options(nodeName, nodeIp, podCidr, dataDir, criEndpoint, dns, removePodsOnClose, streamingPort, n);
    }

    public Options withNodeName(String n) { return new Options(n, nodeIp, podCidr, dataDir, criEndpoint, dns, removePodsOnClose, streamingPort, podMaxPids); }

    public Options withNodeIp(String ip) { return new Options(nodeName, ip, podCidr, dataDir, criEndpoint, dns, removePodsOnClose, streamingPort, podMaxPids); }

    public Options withPodCidr(String c) { return new Options(nodeName, nodeIp, c, dataDir, criEndpoint, dns, removePodsOnClose, streamingPort, podMaxPids); }

    public Options withCriEndpoint(String e) { return new Options(nodeName, nodeIp, podCidr, dataDir, e, dns, removePodsOnClose, streamingPort, podMaxPids); }

    public Options withRemovePodsOnClose(boolean r) { return new Options(nodeName, nodeIp, podCidr, dataDir, criEndpoint, dns, r, streamingPort, podMaxPids); }

    /** The port of the node's logs/exec/attach server (0: any free port). */
    public Options withStreamingPort(int p) { return new Options(nodeName, nodeIp, podCidr, dataDir, criEndpoint, dns, removePodsOnClose, p, podMaxPids); }
  }

  private final Options options;
  private volatile int streamingPort;
  /** Released when the Node's status must be posted before the next heartbeat (its streaming port became known). */
  private final java.util.concurrent.Semaphore statusPoke = new java.util.concurrent.Semaphore(0);
  private final Supplier<Config> config;
  private final Clock clock = Clock.systemUTC();
  private volatile ContainerInputs inputs;
  private volatile ProbeTracker probes;
  private volatile Containerd containerd;
  private CriClient cri;
  private HostResources host;
  private PodCgroups cgroups;
  /** Whether start bind-mounted the data dir onto itself to make it shared. */
  private boolean madeShared;
  private String runtimeVersion;
  private HostInfo hostInfo;
  private volatile KubernetesClient client;
  private volatile EventBroadcaster broadcaster;
  private NodeEvents nodeEvents;
  /** The conditions posted at registration, where the heartbeat takes over (agent thread only). */
  private NodeConditions registeredWith;
  private int registeredPort;
  private volatile PodWorkers pods;
  /** The ConfigMaps and Secrets this node's pods refer to, each watched. */
  private volatile ReferencedObjects objects;
  private volatile InformedServices services;
  private volatile boolean closed;
  private Thread thread;

  private NodeAgent(Options options, Supplier<Config> config) {
    this.options = options;
    this.streamingPort = options.streamingPort();
    this.config = config;
  }

  public static NodeAgent create(Path kubeconfig, Options options) {
    return new NodeAgent(options, () -> {
      try {
        return ClientConfigs.fromKubeconfig(kubeconfig);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** A node agent for the cluster {@code config} reaches (a fresh Config: the agent adjusts it). */
  public static NodeAgent create(Config config, Options options) {
    return new NodeAgent(options, () -> ClientConfigs.prepare(config));
  }

  /** Replaces the volume manager and env resolver (tests); call before start. */
  public NodeAgent inputs(ContainerInputs i) {
    this.inputs = i;
    return this;
  }

  public Options options() { return options; }

  /** The CRI socket in use (kava's own containerd or the one given). */
  public String criEndpoint() { return cri.endpoint(); }

  public CriClient cri() { return cri; }

  /** kava's own containerd, or null when an existing one is used. */
  public Containerd containerd() { return containerd; }

  /**
   * Throws {@link RuntimeUnavailableException}, saying what to install, when this node could not start its own
   * containerd here (nothing to check when it uses an existing one): a server checks before it says it is ready.
   */
  public static void checkPrerequisites(Options options) {
    if (options.criEndpoint() == null) Containerd.checkPrerequisites(null);
  }

  /** Starts the runtime (throws {@link RuntimeUnavailableException} when it cannot run) and then, in the background, the node. */
  public NodeAgent start() {
    try {
      Files.createDirectories(options.dataDir());
      try {
        // Before containerd mounts anything below it; mount propagation of pod volumes needs it.
        madeShared = SharedMounts.makeRShared(options.dataDir());
      } catch (IOException e) {
        log.warn("cannot make the data dir {} a shared mount ({}): volumes with mountPropagation HostToContainer or Bidirectional "
            + "will not start", options.dataDir(), e.getMessage());
      }
      String endpoint = options.criEndpoint();
      if (endpoint == null) {
        Containerd own = Containerd.create(new Containerd.Options(options.dataDir(), options.podCidr(), null));
        // Held before it starts, so that a close meanwhile (a signal during start-up) stops it rather than leaving it running.
        synchronized (this) {
          if (closed) throw new RuntimeUnavailableException("node " + options.nodeName() + " was stopped while it started");
          containerd = own;
        }
        own.start();
        endpoint = own.endpoint();
      }
      host = new HostResources(ContainerdLayout.under(options.dataDir()));
      if (containerd != null) host.ensureMasquerade(options.podCidr());
      cri = CriClient.connect(endpoint);
      VersionResponse v;
      try {
        v = cri.version();
      } catch (CriException e) {
        throw new RuntimeUnavailableException("cannot reach the container runtime at " + endpoint + ": " + e.getMessage()
            + ". Start containerd there, leave out --container-runtime-endpoint to let kava run its own, or use --runtime sim.", e);
      }
      runtimeVersion = v.getRuntimeName() + "://" + v.getRuntimeVersion();
      hostInfo = HostInfo.read(options.dataDir());
      cgroups = new PodCgroups(CgroupFs.detect(CgroupFs.DEFAULT_ROOT), ContainerdLayout.under(options.dataDir()).cgroupRoot(),
          hostInfo.cpus() * 1000L, hostInfo.memoryBytes(), options.podMaxPids());
      try {
        cgroups.ensureTiers();
      } catch (IOException e) {
        throw new RuntimeUnavailableException("cannot create the pod cgroups under " + CgroupFs.DEFAULT_ROOT + " (" + e.getMessage()
            + "): the node agent needs root and the cpu and memory cgroup controllers", e);
      }
      Files.createDirectories(podLogsRoot());
      Files.createDirectories(podStateRoot());
      log.info("node {} uses {} at {}", options.nodeName(), runtimeVersion, endpoint);
      // A platform thread: client start-up is CPU-bound and would hold a virtual-thread carrier.
      thread = Thread.ofPlatform().daemon().name("kava-node-agent").start(this::run);
      return this;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  Path podLogsRoot() { return options.dataDir().resolve("pods"); }

  Path podStateRoot() { return options.dataDir().resolve("pod-state"); }

  /**
   * The port of this node's streaming server (logs, exec, attach), reported in the Node's daemonEndpoints from the
   * next status update on; the server is started beside the agent, once the agent's CRI client exists.
   */
  public void streamingPort(int port) {
    this.streamingPort = port;
    statusPoke.release(); // the Node may have been registered with the port not yet known: post it now
  }

  private NodeManifests.Identity identity() {
    return new NodeManifests.Identity(options.nodeName(), options.nodeIp(), hostInfo.hostname(), options.podCidr(), streamingPort);
  }

  private void run() {
    try {
      KubernetesClient c = new KubernetesClientBuilder().withConfig(config.get()).withHttpClientFactory(SharedVertx.httpClientFactory())
          .withKubernetesSerialization(ClientSerialization.shared()).build();
      client = c;
      EventBroadcaster b = new EventBroadcaster(c, options.nodeName(), clock);
      broadcaster = b;
      EventRecorder recorder = b.recorder("kubelet");
      nodeEvents = new NodeEvents(recorder::event, options.nodeName());
      PodEvents podEvents = new PodEvents(recorder::event);
      RawApi rest = new RawApi(c);
      String uid = register(rest);
      if (uid == null) return;
      NodeAllocatable allocatable = NodeAllocatable.of(Integer.toString(hostInfo.cpus()), Long.toString(hostInfo.memoryBytes()),
          Long.toString(hostInfo.ephemeralStorageBytes()));
      ReferencedObjects refs = ReferencedObjects.watching(c);
      objects = refs;
      InformedServices svc = InformedServices.watching(c);
      services = svc;
      ContainerInputs in = inputs != null ? inputs
          : new NodeInputs(new VolumeManager(podStateRoot(), refs.volumeSources(new ApiVolumeSources(c)), new SystemMounter(), () -> allocatable, clock),
              new EnvResolver(refs.envSources(NodeInputs.apiEnvSources(c, svc)), () -> allocatable));
      probes = new ProbeTracker(cri, podEvents);
      NodeContext ctx = new NodeContext(options.nodeName(), options.nodeIp(), cri, c, rest, podLogsRoot(), podStateRoot(), cgroups, hostDns(),
          hostInfo.memoryBytes(), new ImageManager(cri, c, clock, podEvents), new LifecycleHooks(cri), Backoff.crashLoop(), in, probes, podEvents, clock);
      PodWorkers w = new PodWorkers(ctx, refs);
      pods = w;
      w.start();
      heartbeat(rest, uid);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closed) log.error("node agent {} stopped", options.nodeName(), e);
    }
  }

  /** Creates the Node (or adopts the existing one) and posts its first status; returns its uid (null when closed first). */
  private String register(RawApi rest) throws InterruptedException {
    for (int attempt = 0; !closed; attempt++) {
      try {
        ObjectNode node;
        try {
          node = (ObjectNode) rest.post("/api/v1/nodes", NodeManifests.node(identity(), hostInfo));
        } catch (ApiException e) {
          if (!e.isConflict()) throw e;
          node = (ObjectNode) rest.get("/api/v1/nodes/" + options.nodeName());
        }
        NodeConditions first = conditions();
        registeredPort = streamingPort;
        postStatus(rest, first, clock.instant());
        renewLease(rest, node.path("metadata").path("uid").asString(null));
        // Recorded once the API answers (the kubelet records Starting earlier, but a broadcaster drops what it cannot write).
        nodeEvents.starting();
        nodeEvents.allocatableEnforced();
        nodeEvents.conditionsChanged(null, first);
        registeredWith = first;
        log.info("node {} registered (InternalIP {}, pod CIDR {})", options.nodeName(), options.nodeIp(), options.podCidr());
        return node.path("metadata").path("uid").asString(null);
      } catch (ApiException | io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (attempt > 20) log.warn("registering node {}: {}", options.nodeName(), e.getMessage());
        Thread.sleep(Math.min(2000, 100L * (attempt + 1)));
      }
    }
    return null;
  }

  /** Lease every 10 s; conditions checked every 10 s and posted when they change, or every minute. */
  private void heartbeat(RawApi rest, String uid) throws InterruptedException {
    NodeConditions posted = registeredWith;
    int postedPort = registeredPort;
    Instant since = clock.instant();
    Instant lastPost = clock.instant();
    while (!closed) {
      boolean poked = statusPoke.tryAcquire(LEASE_RENEW.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      statusPoke.drainPermits();
      try {
        if (!poked) renewLease(rest, uid);
        NodeConditions now = conditions();
        if (!now.equals(posted)) since = clock.instant();
        int port = streamingPort;
        if (!now.equals(posted) || port != postedPort || Duration.between(lastPost, clock.instant()).compareTo(STATUS_REPORT) >= 0) {
          postStatus(rest, now, since);
          nodeEvents.conditionsChanged(posted, now);
          posted = now;
          postedPort = port;
          lastPost = clock.instant();
        }
      } catch (ApiException | io.fabric8.kubernetes.client.KubernetesClientException e) {
        log.debug("node heartbeat: {}", e.getMessage());
      }
    }
  }

  private void renewLease(RawApi rest, String uid) {
    rest.put("/apis/coordination.k8s.io/v1/namespaces/" + NodeManifests.LEASE_NAMESPACE + "/leases/" + options.nodeName(),
        NodeManifests.lease(options.nodeName(), uid, clock.instant()));
  }

  private void postStatus(RawApi rest, NodeConditions c, Instant since) {
    ObjectNode patch = Json.object();
    patch.set("status", NodeManifests.status(identity(), hostInfo, runtimeVersion, c, clock.instant(), since));
    rest.patch("/api/v1/nodes/" + options.nodeName() + "/status", RawApi.MERGE_PATCH, patch);
  }

  NodeConditions conditions() {
    String problem = null;
    try {
      StatusResponse s = cri.status();
      for (RuntimeCondition rc : s.getStatus().getConditionsList()) {
        if (!rc.getStatus()) problem = "container runtime not ready: " + rc.getType() + (rc.getMessage().isEmpty() ? "" : ": " + rc.getMessage());
      }
    } catch (CriException e) {
      problem = "container runtime is down: " + e.getMessage();
    }
    long pids = 0;
    long pidMax = 0;
    try {
      pidMax = Long.parseLong(Files.readString(Path.of("/proc/sys/kernel/pid_max")).trim());
      try (var s = Files.list(Path.of("/proc"))) {
        pids = s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).count();
      }
    } catch (IOException | RuntimeException e) {
      // unknown: no pressure
    }
    return NodeConditions.evaluate(HostInfo.memAvailable(), HostInfo.diskFree(options.dataDir()), pids, pidMax, problem);
  }

  /** The cluster DNS settings, plus the host's resolv.conf for dnsPolicy Default. */
  private SandboxConfigs.Dns hostDns() {
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    try {
      for (String l : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
        String[] w = l.trim().split("\\s+");
        if (w.length >= 2 && w[0].equals("nameserver")) servers.add(w[1]);
        if (w.length >= 2 && w[0].equals("search")) for (int i = 1; i < w.length; i++) searches.add(w[i]);
      }
    } catch (IOException e) {
      // none
    }
    SandboxConfigs.Dns d = options.dns();
    return new SandboxConfigs.Dns(d.server(), d.clusterDomain(), servers, searches);
  }

  @Override
  public void close() {
    Containerd own;
    synchronized (this) {
      closed = true;
      own = containerd;
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    PodWorkers w = pods;
    if (w != null) {
      w.close();
      if (options.removePodsOnClose()) {
        try {
          w.removeAllPods();
        } catch (RuntimeException e) {
          log.warn("removing the pods of node {}", options.nodeName(), e);
        }
      }
    }
    ReferencedObjects o = objects;
    if (o != null) o.close();
    InformedServices s = services;
    if (s != null) s.close();
    if (probes != null) probes.close();
    if (cri != null) cri.close();
    if (own != null) own.close();
    if (options.removePodsOnClose() && host != null) {
      if (cgroups != null) cgroups.removeAll();
      if (containerd != null) {
        host.removeBridge();
        host.removeMasquerade(options.podCidr());
      }
    }
    if (options.removePodsOnClose() && madeShared) {
      try {
        SharedMounts.unmount(options.dataDir());
      } catch (IOException e) {
        log.debug("unmounting the data dir's shared bind mount: {}", e.getMessage());
      }
    }
    EventBroadcaster b = broadcaster;
    if (b != null) b.close();
    KubernetesClient c = client;
    if (c != null) c.close();
  }
}
