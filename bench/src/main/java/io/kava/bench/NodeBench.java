package io.kava.bench;

import io.kava.api.json.Json;
import io.kava.node.containerd.ContainerdLayout;
import io.kava.node.image.BusyboxImages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * The node benchmark of the node-agent issue: {@code kava server} with its real containerd node in a child JVM, an image
 * already on the node, then pod create → Running and Ready for a burst of pods started at once, and the node's memory
 * and CPU with many pods running (the kava JVM, whose node agent plays the kubelet, and containerd with its shims).
 *
 * <p>No kubelet runs on this machine to compare with, so the latency is read against upstream's pod-startup SLO (p99 ≤
 * 5 s for stateless pods, image pulls excluded) and the target (p99 &lt; 1 s).
 */
@Command(name = "bench node", mixinStandardHelpOptions = true, sortOptions = false, version = "kava node benchmark 0.1",
    description = {"Runs kava server with its containerd node in a child JVM (needs root, containerd, runc, the CNI plugins and "
        + "busybox-static), imports a busybox image into the node's containerd, and measures from this JVM through the API.",
        "Order: warm-up, burst (pods created at once → Running), density (pods kept running: memory, idle CPU), deletion, "
        + "then the burst's peer: as many pods started at once straight through CRI on the same containerd."})
public final class NodeBench implements Callable<Integer> {
  static final String IMAGE = "kava.local/bench-busybox:1";
  static final String NODE = "kava-bench-node";
  static final String NAMESPACE = "bench";
  /** Upstream's pod-startup latency SLO (stateless pods, image pull excluded): p99 at most 5 s. */
  static final double SLO_P99_MS = 5000;

  @Option(names = "--pods", defaultValue = "50", description = "Pods created at once in the burst phase (default: ${DEFAULT-VALUE}).")
  int burstPods;

  @Option(names = "--warm-up-pods", defaultValue = "2",
      description = "Pods started (at once) and deleted before the burst, to warm the node's code paths (default: ${DEFAULT-VALUE}).")
  int warmUpPods;

  @Option(names = "--density-pods", defaultValue = "100",
      description = "Pods running for the memory and CPU figures, counting the burst's (default: ${DEFAULT-VALUE}).")
  int densityPods;

  @Option(names = "--idle-seconds", defaultValue = "30",
      description = "How long the CPU of the node is measured with the density pods running (default: ${DEFAULT-VALUE}).")
  int idleSeconds;

  @Option(names = "--store", defaultValue = "sqlite", description = "kava's store: sqlite or memory (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--pod-cidr", defaultValue = "10.246.77.0/24",
      description = "The node's pod CIDR; a /24 holds the density pods (default: ${DEFAULT-VALUE}).")
  String podCidr;

  @Option(names = "--kava-jvm-opts", split = " ", description = "Extra JVM options for the kava child.")
  List<String> kavaJvmOpts = new ArrayList<>();

  @Option(names = "--timeout", defaultValue = "10m", converter = ApiBench.DurationConverter.class,
      description = "The longest wait for the pods of one phase (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin RunOptions shared;

  private final PrintStream log = System.out;
  private final List<String> figures = new ArrayList<>();
  private Vertx vertx;
  private KavaProcess kava;
  private HttpClientAgent api;
  private Path work;

  public static void main(String[] args) {
    System.exit(new CommandLine(new NodeBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String started = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19);
    log.printf("kava node benchmark, %s; %d CPUs (%s), %s, JDK %s; load average %s%n", started, Runtime.getRuntime().availableProcessors(),
        Machine.cpuModel(), Machine.memory(), System.getProperty("java.version"), Machine.loadAverage());
    String missing = missing();
    if (missing != null) {
      log.println("cannot run the node benchmark: " + missing);
      return 2;
    }
    if (densityPods < burstPods) densityPods = burstPods;
    work = Files.createTempDirectory("kava-node-bench-");
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setBlockedThreadCheckInterval(60_000));
    String loadAtStart = Machine.loadAverage();
    try {
      Path archive = work.resolve("busybox.tar");
      try (OutputStream o = Files.newOutputStream(archive)) {
        BusyboxImages.busybox(BusyboxImages.findBusybox(), IMAGE).writeArchive(o);
      }
      long t0 = System.nanoTime();
      kava = KavaProcess.start(vertx, shared.kavaTree(), store, kavaJvmOpts,
          List.of("--runtime", "containerd", "--node-name", NODE, "--pod-cidr", podCidr), work);
      api = Clients.http(vertx, kava.endpoint(), Clients.Protocol.H1, 16, 1, 1);
      awaitNodeReady();
      log.printf("kava (pid %d) and its node %s ready in %.1f s%n", kava.pid(), NODE, (System.nanoTime() - t0) / 1e9);
      importImage(archive);
      Api.ensureNamespace(api, NAMESPACE);
      Api.awaitDefaultServiceAccount(api, NAMESPACE);
      Footprint idle = footprint();
      log.printf("[node] no pods: %s%n", idle.describe());
      figure("node with no pods", idle.describe());

      warmUp();
      burst();
      density(idle);
      deletion();
      runtimeBurst();
    } finally {
      if (api != null) api.close().await();
      if (kava != null) kava.close();
      cleanUp();
      vertx.close().await();
    }
    log.println();
    figures.forEach(log::println);
    log.printf("- load average %s at the start, %s at the end%n", loadAtStart, Machine.loadAverage());
    if (shared.writesReport()) {
      StringBuilder md = new StringBuilder();
      md.append("Run ").append(started).append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (")
          .append(Machine.cpuModel()).append("), JDK ").append(System.getProperty("java.version")).append(".\n\n");
      shared.appendCommandLine(md, "bench/run node");
      figures.forEach(f -> md.append(f).append('\n'));
      md.append("- load average ").append(loadAtStart).append(" at the start, ").append(Machine.loadAverage()).append(" at the end\n");
      shared.writeReport(log, md);
    }
    return 0;
  }

  /** What this machine lacks for a real node, or null. */
  static String missing() {
    List<String> m = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) m.add("root (containers need it)");
    for (String bin : List.of("containerd", "runc", "ctr")) if (!onPath(bin)) m.add(bin + " (Debian: containerd, runc)");
    if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge")) && !Files.isExecutable(Path.of("/opt/cni/bin/bridge"))) {
      m.add("the CNI plugins (Debian: containernetworking-plugins)");
    }
    if (BusyboxImages.BUSYBOX_CANDIDATES.stream().noneMatch(Files::isExecutable)) m.add("busybox (Debian: busybox-static)");
    return m.isEmpty() ? null : String.join(", ", m);
  }

  private static boolean onPath(String bin) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, bin))) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------------------- phases

  /** Warm-up pods through the whole path once, so that the burst measures a warm node, not first-use class loading. */
  private void warmUp() throws InterruptedException {
    log.printf("[warm-up] %d pods ...%n", warmUpPods);
    try (PodTracker t = tracker()) {
      List<Future<Api.Response>> creates = new ArrayList<>();
      for (int i = 0; i < warmUpPods; i++) creates.add(createPod("warm-" + i));
      for (Future<Api.Response> f : creates) f.await();
      if (t.awaitRunning(warmUpPods, timeout.toSeconds(), TimeUnit.SECONDS) < warmUpPods) {
        throw new IllegalStateException("warm-up pods did not run: " + t.error());
      }
    }
    deleteAll();
  }

  private void burst() throws InterruptedException {
    shared.awaitQuiet(log, "the burst");
    log.printf("[burst] %d pods created at once ...%n", burstPods);
    Map<String, Long> sent = new ConcurrentHashMap<>();
    Usage usage = Usage.start(kava.pid(), work);
    try (PodTracker t = tracker()) {
      long first = System.nanoTime();
      List<Future<Api.Response>> creates = new ArrayList<>();
      for (int i = 0; i < burstPods; i++) {
        String name = "burst-" + i;
        sent.put(name, System.nanoTime());
        creates.add(createPod(name));
      }
      for (Future<Api.Response> f : creates) f.await();
      long running = t.awaitRunning(burstPods, timeout.toSeconds(), TimeUnit.SECONDS);
      if (running < burstPods) throw new IllegalStateException(running + " of " + burstPods + " pods Running after " + timeout + ": " + t.error());
      Samples latency = new Samples(burstPods);
      sent.forEach((name, at) -> latency.add(t.seen(name).running - at));
      double all = (t.lastRunning() - first) / 1e9;
      double p50 = latency.percentileMillis(50);
      double p99 = latency.percentileMillis(99);
      Usage.Share share = usage.stop();
      String busy = usage.foreignNote();
      log.printf("[burst] create → Running and Ready: p50 %.0f ms, p99 %.0f ms, max %.0f ms; all %d Running after %.1f s%s%n",
          p50, p99, latency.max() / 1e6, burstPods, all, busy);
      figure("pod create → Running and Ready, " + burstPods + " pods created at once, image present",
          String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms, max %.0f ms; all Running after %.1f s%s", p50, p99, latency.max() / 1e6, all, busy));
      // where the burst's CPU went: short-lived runc and CNI plugin processes count as "other" (they are not the shims)
      String cpu = String.format(Locale.ROOT, "kava JVM %.0f%% of one core, containerd + shims %.0f%%, every other process "
          + "(runc, CNI plugins, iptables, anything else on the machine) %.0f%% of the %d CPUs", share.kava() * 100, share.runtime() * 100,
          share.foreign() * 100, Runtime.getRuntime().availableProcessors());
      log.printf("[burst] CPU during the burst: %s%n", cpu);
      figure("CPU during the burst", cpu);
      figure("p99 against upstream's pod-startup SLO (5 s)", String.format(Locale.ROOT, "%.2f× (target < 1 s: %s)", p99 / SLO_P99_MS,
          p99 < 1000 ? "met" : "not met"));
    }
  }

  private void density(Footprint idle) throws InterruptedException, IOException {
    int more = densityPods - burstPods;
    log.printf("[density] %d more pods, %d in all ...%n", more, densityPods);
    try (PodTracker t = tracker()) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < more; i++) {
        names.add("dense-" + i);
        createPod("dense-" + i).await();
      }
      // by name: the watch's replay of the burst's pods is not what this waits for
      long deadline = System.nanoTime() + timeout.toNanos();
      while (names.stream().anyMatch(n -> t.seen(n) == null || t.seen(n).running == 0)) {
        if (System.nanoTime() > deadline || t.error() != null) throw new IllegalStateException("density pods did not all run: " + t.error());
        Thread.sleep(50);
      }
    }
    Thread.sleep(10_000); // let probes, status updates and the GC settle
    Footprint full = footprint();
    log.printf("[density] %d pods running: %s%n", densityPods, full.describe());
    figure(densityPods + " pods running", full.describe());
    figure("per pod, kava JVM (API server + controllers + node agent) RSS", String.format(Locale.ROOT, "%.0f KiB",
        (full.kavaRssKb() - idle.kavaRssKb()) / (double) densityPods));
    figure("per pod, containerd + shims RSS", String.format(Locale.ROOT, "%.0f KiB",
        (full.runtimeRssKb() - idle.runtimeRssKb()) / (double) densityPods));
    shared.awaitQuiet(log, "the idle CPU measurement");
    Usage usage = Usage.start(kava.pid(), work);
    Thread.sleep(idleSeconds * 1000L);
    Usage.Share share = usage.stop();
    String line = String.format(Locale.ROOT, "kava JVM %.1f%% of one core, containerd + shims %.1f%% of one core, over %d s%s",
        share.kava() * 100, share.runtime() * 100, idleSeconds, usage.foreignNote());
    log.printf("[density] CPU with %d pods running: %s%n", densityPods, line);
    figure("CPU with " + densityPods + " pods running, nothing changing", line);
  }

  private void deletion() throws InterruptedException {
    log.println("[deletion] deleting every pod ...");
    long t0 = System.nanoTime();
    deleteAll();
    double s = (System.nanoTime() - t0) / 1e9;
    log.printf("[deletion] %d pods gone in %.1f s%n", densityPods, s);
    figure("delete " + densityPods + " pods (grace period 0) until the API lists none", String.format(Locale.ROOT, "%.1f s", s));
  }

  /**
   * The peer of the burst: the same number of pods started at once straight through CRI on the same containerd (a
   * sandbox, then a container created and started in it, per pod; no API server, scheduler or node agent in the path),
   * timed from the first call to StartContainer's answer. What the runtime alone needs on this machine; kava's figure
   * adds the API, scheduling, the node's watch and its status report on top.
   */
  private void runtimeBurst() throws Exception {
    shared.awaitQuiet(log, "the runtime-only burst");
    log.printf("[runtime] %d pods started at once straight through CRI, no kava in the path ...%n", burstPods);
    Path logs = Files.createDirectories(work.resolve("runtime-burst-logs"));
    Usage usage = Usage.start(kava.pid(), work);
    List<String> sandboxes = java.util.Collections.synchronizedList(new ArrayList<>());
    try (io.kava.node.cri.CriClient cri = io.kava.node.cri.CriClient.connect(ContainerdLayout.under(work.resolve("data")).endpoint());
         var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<Long>> starts = new ArrayList<>();
      long first = System.nanoTime();
      for (int i = 0; i < burstPods; i++) {
        String name = "runtime-" + i;
        starts.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          var sandbox = io.kava.node.cri.v1.PodSandboxConfig.newBuilder()
              .setMetadata(io.kava.node.cri.v1.PodSandboxMetadata.newBuilder().setName(name).setNamespace(NAMESPACE)
                  .setUid(java.util.UUID.randomUUID().toString()))
              .setHostname(name).setLogDirectory(Files.createDirectories(logs.resolve(name)).toString()).build();
          String id = cri.runPodSandbox(sandbox, "");
          sandboxes.add(id);
          var container = io.kava.node.cri.v1.ContainerConfig.newBuilder()
              .setMetadata(io.kava.node.cri.v1.ContainerMetadata.newBuilder().setName("main"))
              .setImage(io.kava.node.cri.v1.ImageSpec.newBuilder().setImage(IMAGE)).addCommand("sleep").addCommand("3600")
              .setLogPath("main.log").build();
          cri.startContainer(cri.createContainer(id, container, sandbox));
          return System.nanoTime() - t0;
        }));
      }
      Samples latency = new Samples(burstPods);
      for (var f : starts) latency.add(f.get(timeout.toSeconds(), TimeUnit.SECONDS));
      double all = (System.nanoTime() - first) / 1e9;
      Usage.Share share = usage.stop();
      String line = String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms, max %.0f ms; all started after %.1f s (kava JVM %.0f%% of "
              + "one core, containerd + shims %.0f%%, every other process %.0f%% of the CPUs)", latency.percentileMillis(50),
          latency.percentileMillis(99), latency.max() / 1e6, all, share.kava() * 100, share.runtime() * 100, share.foreign() * 100);
      log.printf("[runtime] sandbox + container started: %s%n", line);
      figure("peer: the same burst straight through CRI to the same containerd (no kava in the path), call → container started",
          line);
      for (String id : sandboxes) {
        cri.stopPodSandbox(id);
        cri.removePodSandbox(id);
      }
    }
  }

  // --------------------------------------------------------------------------------------------------------- helpers

  /** A pod watch on its own connection (closing the tracker closes its client). */
  private PodTracker tracker() { return PodTracker.open(Clients.http(vertx, kava.endpoint(), Clients.Protocol.H1, 1, 1, 1), NAMESPACE); }

  private Future<Api.Response> createPod(String name) {
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
        + "\"terminationGracePeriodSeconds\":0,\"containers\":[{\"name\":\"main\",\"image\":\"" + IMAGE + "\","
        + "\"imagePullPolicy\":\"Never\",\"command\":[\"sleep\",\"3600\"]}]}}";
    return Api.fetch(api, HttpMethod.POST, "/api/v1/namespaces/" + NAMESPACE + "/pods", Buffer.buffer(pod), "application/json")
        .map(r -> {
          if (r.status() != 201) throw new IllegalStateException("creating pod " + name + ": HTTP " + r.status() + ": " + r.body());
          return r;
        });
  }

  /** Deletes every pod of the namespace and waits until the API lists none (the node has stopped them all). */
  private void deleteAll() throws InterruptedException {
    Api.Response r = Api.fetch(api, HttpMethod.DELETE, "/api/v1/namespaces/" + NAMESPACE + "/pods?gracePeriodSeconds=0", null, null).await();
    if (r.status() != 200) throw new IllegalStateException("deleting pods: HTTP " + r.status() + ": " + r.body());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Api.Response list = Api.fetch(api, HttpMethod.GET, "/api/v1/namespaces/" + NAMESPACE + "/pods", null, null).await();
      if (list.status() == 200 && Json.parse(list.body().getBytes()).path("items").isEmpty()) return;
      Thread.sleep(200);
    }
    throw new IllegalStateException("pods still listed after " + timeout);
  }

  private void awaitNodeReady() throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Api.Response r = Api.fetch(api, HttpMethod.GET, "/api/v1/nodes/" + NODE, null, null).await();
      if (r.status() == 200) {
        for (JsonNode c : Json.parse(r.body().getBytes()).path("status").path("conditions")) {
          if (c.path("type").asString("").equals("Ready")) {
            if (c.path("status").asString("").equals("True")) return;
            last = c.path("message").asString("");
          }
        }
      }
      if (!kava.alive()) throw new IllegalStateException("kava exited; log: " + kava.log());
      Thread.sleep(200);
    }
    throw new IllegalStateException("node " + NODE + " not Ready after " + timeout + " (" + last + "); log: " + kava.log());
  }

  /** Loads the image into the node's containerd, as {@code kava images import} does. */
  private void importImage(Path archive) throws IOException, InterruptedException {
    Path socket = ContainerdLayout.under(work.resolve("data")).socket();
    Process p = new ProcessBuilder("ctr", "-a", socket.toString(), "-n", "k8s.io", "images", "import", archive.toString())
        .redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IllegalStateException("ctr images import failed: " + text);
  }

  /** Memory of the node's processes: the kava JVM (heap after a full GC, RSS) and containerd with its shims (RSS). */
  record Footprint(KavaProcess.Memory kava, long kavaRssKb, long runtimeRssKb, int runtimeProcesses) {
    String describe() {
      return String.format(Locale.ROOT, "kava JVM %s; containerd + %d shim processes RSS %.0f MiB", kava.describe(),
          Math.max(0, runtimeProcesses - 1), runtimeRssKb / 1024.0);
    }
  }

  private Footprint footprint() throws IOException, InterruptedException {
    KavaProcess.Memory m = kava.memory();
    long rss = 0;
    List<Long> runtime = runtimeProcesses(work);
    for (long pid : runtime) rss += Math.max(0, StartupBench.statusKb(pid, "VmRSS"));
    return new Footprint(m, m.rssBytes() / 1024, rss, runtime.size());
  }

  /** containerd and its shims started for this run: their command lines name a path under the work dir. */
  static List<Long> runtimeProcesses(Path work) {
    List<Long> pids = new ArrayList<>();
    String marker = work.toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmd.contains(marker) && (cmd.startsWith("containerd ") || cmd.contains("/containerd ") || cmd.contains("containerd-shim"))) {
            pids.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      });
    } catch (IOException e) {
      return pids;
    }
    return pids;
  }

  /** CPU used by the kava JVM and by containerd + shims over a window, and what the rest of the machine used. */
  private record Usage(long kavaPid, Path work, long t0, long kava0, long runtime0, Machine.Cpu machine0) {
    record Share(double kava, double runtime, double foreign) {}

    static Usage start(long kavaPid, Path work) {
      return new Usage(kavaPid, work, System.nanoTime(), StartupBench.cpuNanos(kavaPid), runtimeCpu(work), Machine.cpu());
    }

    Share stop() {
      double seconds = (System.nanoTime() - t0) / 1e9;
      double kava = (StartupBench.cpuNanos(kavaPid) - kava0) / 1e9 / seconds;
      // shims started during the window count from zero: their whole CPU time falls in it
      double runtime = Math.max(0, runtimeCpu(work) - runtime0) / 1e9 / seconds;
      double measured = Machine.cpu().foreignShare(machine0); // everything but this JVM, as a share of all CPUs
      double foreign = Double.isNaN(measured) ? Double.NaN
          : Math.max(0, measured - (kava + runtime) / Runtime.getRuntime().availableProcessors());
      return new Share(kava, runtime, foreign);
    }

    String foreignNote() {
      double f = stop().foreign();
      return Double.isNaN(f) || f < 0.10 ? "" : String.format(Locale.ROOT, " (other processes used %.0f%% of the CPUs)", f * 100);
    }

    private static long runtimeCpu(Path work) {
      long sum = 0;
      for (long pid : runtimeProcesses(work)) sum += Math.max(0, StartupBench.cpuNanos(pid));
      return sum;
    }
  }

  /** Leaves nothing behind: the shims and containerd of this run, mounts under the work dir, its bridge, the dir. */
  private void cleanUp() {
    if (work == null) return;
    for (long pid : runtimeProcesses(work)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    run("sh", "-c", "grep -o ' " + work + "[^ ]*' /proc/self/mounts | sort -r | xargs -r -n1 umount -l");
    run("ip", "link", "del", ContainerdLayout.under(work.resolve("data")).bridgeName());
    // the node's cgroup tree (QoS tiers), which a kava server keeps for its next start as the kubelet does
    io.kava.node.cgroups.CgroupFs.detect(io.kava.node.cgroups.CgroupFs.DEFAULT_ROOT).remove(ContainerdLayout.under(work.resolve("data")).cgroupRoot());
    keepServerLog();
    StartupBench.deleteTree(work);
  }

  /** The kava child's log outlives the work dir: copied to where bench/run points {@code kava.bench.log}. */
  private void keepServerLog() {
    String to = System.getProperty("kava.bench.log");
    if (kava == null || to == null) return;
    try {
      Files.copy(kava.log(), Path.of(to), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      log.println("kava's log: " + to);
    } catch (IOException e) {
      log.println("cannot keep kava's log: " + e.getMessage());
    }
  }

  private static void run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      // best effort
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void figure(String label, String value) { figures.add("- " + label + ": " + value); }
}
