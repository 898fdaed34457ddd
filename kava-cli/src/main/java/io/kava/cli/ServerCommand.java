package io.kava.cli;

import io.kava.node.agent.NodeAgent;
import io.kava.node.containerd.Prerequisites;
import io.kava.node.containerd.RuntimeUnavailableException;
import io.kava.node.sim.SimNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kava server}: the control plane (and, later, a local node) in this process. */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = KavaVersion.class,
    description = {"Runs a kava cluster: API server on a durable store, plus the cluster's controllers.",
        "Prints where its kubeconfig is; point kubectl at it with export KUBECONFIG=<path>."})
public final class ServerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where state, certificates and the kubeconfig live (default: /var/lib/kava as root, else ~/.kava).")
  Path dataDir;

  @Option(names = "--bind-address", paramLabel = "IP", defaultValue = "127.0.0.1",
      description = "Address the API server listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String bindAddress;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "6443", description = "HTTPS port of the API server (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--store", paramLabel = "KIND", defaultValue = "sqlite",
      description = "Storage backend: sqlite (durable file under the data dir) or memory (gone on exit). Default: ${DEFAULT-VALUE}.")
  KavaServer.StoreKind store;

  @Option(names = "--service-cidr", paramLabel = "CIDR", defaultValue = "10.96.0.0/12", description = "Range of Service ClusterIPs (default: ${DEFAULT-VALUE}).")
  String serviceCidr;

  @Option(names = "--service-node-port-range", paramLabel = "FIRST-LAST", defaultValue = "30000-32767",
      description = "Range of NodePorts (default: ${DEFAULT-VALUE}).")
  String nodePortRange;

  @Option(names = "--advertise-address", paramLabel = "IP", description = "Address other components and the kubeconfig use to reach this server.")
  String advertiseAddress;

  @Option(names = "--tls-san", paramLabel = "NAME", split = ",", description = "Extra names or IPs for the serving certificate.")
  List<String> tlsSans = List.of();

  @Option(names = "--sim-nodes", paramLabel = "N",
      description = {"Run N simulated nodes (kava-sim-0 …) that take pods without running them, like kwok.",
          "Written to the ConfigMap kube-system/kava-sim-nodes (data.count), which can be edited to add or remove nodes later."})
  Integer simNodes;

  @Option(names = "--sim-node-cpu", paramLabel = "CPU", description = "cpu capacity of each simulated node (default: 32).")
  String simNodeCpu;

  @Option(names = "--sim-node-memory", paramLabel = "MEM", description = "memory capacity of each simulated node (default: 256Gi).")
  String simNodeMemory;

  @Option(names = "--sim-node-pods", paramLabel = "N", description = "pod capacity of each simulated node (default: 110).")
  String simNodePods;

  @Option(names = "--sim-node-pod-cidr", paramLabel = "CIDR",
      description = "Range the simulated nodes' pod CIDRs (one /24 each) come from (default: 10.244.0.0/16, enough for 256 nodes).")
  String simNodePodCidr;

  /** Which node this server runs. */
  public enum RuntimeKind { CONTAINERD, SIM, NONE }

  @Option(names = "--runtime", paramLabel = "KIND",
      description = "The local node: containerd (real containers through CRI; the default on Linux as root), sim (one simulated "
          + "node that runs nothing) or none (control plane only; the default otherwise).")
  RuntimeKind runtime;

  @Option(names = "--container-runtime-endpoint", paramLabel = "ENDPOINT",
      description = "CRI socket of an existing containerd (unix:///run/containerd/containerd.sock); default: kava starts its own under the data dir.")
  String criEndpoint;

  @Option(names = "--node-ip", paramLabel = "IP", defaultValue = "127.0.0.1",
      description = "InternalIP the local node reports (default: ${DEFAULT-VALUE}).")
  String nodeIp;

  @Option(names = "--node-name", paramLabel = "NAME", description = "Name of the local node (default: the host name).")
  String nodeName;

  @Option(names = "--pod-cidr", paramLabel = "CIDR", defaultValue = NodeAgent.DEFAULT_POD_CIDR,
      description = "Pod IP range of the local node (default: ${DEFAULT-VALUE}).")
  String podCidr;

  @Option(names = "--pod-max-pids", paramLabel = "N", defaultValue = "-1",
      description = "The most processes (and threads) each pod of the local node may run, set as its pod cgroup's pids.max, "
          + "as the kubelet's flag of that name (default: ${DEFAULT-VALUE}, no limit).")
  long podMaxPids;

  @Option(names = "--node-port", paramLabel = "PORT", defaultValue = "10250",
      description = "Port of the local node's logs/exec/attach server, as the kubelet's --port (default: ${DEFAULT-VALUE}; 0: any free port).")
  int nodePort;

  static RuntimeKind defaultRuntime() {
    boolean linux = System.getProperty("os.name", "").toLowerCase().contains("linux");
    return linux && Prerequisites.isRoot() ? RuntimeKind.CONTAINERD : RuntimeKind.NONE;
  }

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Path dir = dataDir != null ? dataDir : defaultDataDir();
    String[] range = nodePortRange.split("-");
    if (range.length != 2) throw new IllegalArgumentException("--service-node-port-range must look like 30000-32767");
    KavaServer.Options options = new KavaServer.Options(dir.toAbsolutePath(), bindAddress, port, store, serviceCidr,
        Integer.parseInt(range[0].trim()), Integer.parseInt(range[1].trim()), advertiseAddress, tlsSans,
        Math.max(1, Runtime.getRuntime().availableProcessors()));
    RuntimeKind rt = runtime != null ? runtime : defaultRuntime();
    if (runtime == null && rt == RuntimeKind.NONE) log.info("no local node: running containers needs Linux and root (or use --runtime sim)");
    if (runtime == null && rt == RuntimeKind.CONTAINERD && simNodes != null) {
      // The scheduler may pick the real node for pods meant for the simulated ones (their images may not pull here).
      log.info("this host also runs as a real node beside the {} simulated ones; --runtime none for simulated nodes only", simNodes);
    }
    Integer simCount = simNodes != null ? simNodes : rt == RuntimeKind.SIM ? Integer.valueOf(1) : null;
    SimNodes.Options sim = new SimNodes.Options(simCount, simNodeCpu, simNodeMemory, simNodePods, simNodePodCidr, null,
        SimNodes.Options.defaults().podWorkers());
    KavaServer kava = new KavaServer(options).simNodes(sim);
    if (rt == RuntimeKind.CONTAINERD) {
      NodeAgent.Options node = NodeAgent.Options.defaults(dir.toAbsolutePath()).withNodeIp(nodeIp).withPodCidr(podCidr).withCriEndpoint(criEndpoint)
          .withPodMaxPids(podMaxPids).withStreamingPort(nodePort);
      if (nodeName != null) node = node.withNodeName(nodeName);
      kava.node(node);
    }
    // Before start: a signal during start-up (containerd may take seconds) stops what has started so far, the
    // containerd process included, instead of leaving it running.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      kava.close();
      stopped.countDown();
    }, "kava-shutdown"));
    // Ready as soon as the API server is: the controllers, the scheduler and the node start behind it (ADR 0013).
    kava.onApiReady(() -> {
      long readyAt = System.currentTimeMillis();
      long took = (System.nanoTime() - started) / 1_000_000;
      System.out.println("kava is ready. To use it:");
      System.out.println("  export KUBECONFIG=" + kava.kubeconfig());
      System.out.println("  kubectl get namespaces");
      System.out.flush();
      long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
      log.info("kava is ready at {} (store: {}, data: {}) in {} ms ({} ms since JVM start)", kava.url(), store.name().toLowerCase(), dir,
          took, readyAt - jvmStart);
    }).componentsAfterFirstClient(COMPONENTS_MAX_WAIT);
    try {
      kava.start();
    } catch (RuntimeUnavailableException e) {
      System.err.println("kava: " + e.getMessage());
      return 1;
    }
    stopped.await();
    return 0;
  }

  /** How long the components wait for the API server's first client before they start anyway (ADR 0013). */
  static final java.time.Duration COMPONENTS_MAX_WAIT = java.time.Duration.ofMillis(500);

  static Path defaultDataDir() {
    boolean root = "root".equals(System.getProperty("user.name"));
    return root ? Path.of("/var/lib/kava") : Path.of(System.getProperty("user.home"), ".kava");
  }
}
