package io.kava.bench;

import io.kava.api.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * The control-plane benchmark of the controllers-and-scheduler issue, against {@code kava server --sim-nodes N} in a
 * child JVM: scheduling throughput (pods created as fast as the API takes them until every one is bound and Running),
 * pod create → Running latency at a steady rate, a Deployment of many replicas (create → all available, then a
 * rolling update), and the server's heap and RSS as pods are added up to a total.
 */
@Command(name = "bench cluster", mixinStandardHelpOptions = true, sortOptions = false, version = "kava cluster benchmark 0.1",
    description = {"Runs kava server in a child JVM (bin/kava's JVM flags), asks for N simulated nodes through the ConfigMap "
        + "kube-system/kava-sim-nodes (what --sim-nodes N writes) and measures the scheduler, the simulated nodes and the "
        + "controllers through the API, from this JVM.",
        "Order: schedule, latency, deployment, scale; memory (heap after a full GC, RSS) is read after each."})
public final class ClusterBench implements Callable<Integer> {
  @Option(names = "--phases", split = ",", defaultValue = "schedule,latency,deployment,scale",
      description = "What to run (default: ${DEFAULT-VALUE}).")
  List<String> phases;

  @Option(names = "--nodes", defaultValue = "5000", description = "Simulated nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--pods", defaultValue = "10000", description = "Pods of the scheduling-throughput phase (default: ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--init-pods", defaultValue = "1000",
      description = "Pods created and run before the measured ones of the scheduling-throughput phase, not measured: "
          + "upstream scheduler_perf's initPods of SchedulingBasic/5000Nodes_10000Pods (default: ${DEFAULT-VALUE}).")
  int initPods;

  @Option(names = {"-c", "--concurrency"}, defaultValue = "64",
      description = "Pod creates in flight (default: ${DEFAULT-VALUE}), over HTTP/1.1 keep-alive connections, one each.")
  int concurrency;

  @Option(names = "--latency-pods", defaultValue = "1000", description = "Pods of the create → Running latency phase (default: ${DEFAULT-VALUE}).")
  int latencyPods;

  @Option(names = "--latency-rate", defaultValue = "50", description = "Creates per second in the latency phase (default: ${DEFAULT-VALUE}).")
  double latencyRate;

  @Option(names = "--replicas", defaultValue = "1000", description = "Replicas of the Deployment phase (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--scale-pods", defaultValue = "150000",
      description = "Pods in the cluster at the end of the scale phase, counting those of earlier phases (default: ${DEFAULT-VALUE}).")
  int scalePods;

  @Option(names = "--scale-step", defaultValue = "25000", description = "Memory is read each time this many more pods run (default: ${DEFAULT-VALUE}).")
  int scaleStep;

  @Option(names = "--store", defaultValue = "sqlite", description = "kava's store: sqlite or memory (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--lease-seconds", defaultValue = "40",
      description = "The simulated nodes' Lease duration; renewed every quarter of it as the kubelet does (default: ${DEFAULT-VALUE}, the kubelet's).")
  int leaseSeconds;

  @Option(names = "--kava-jvm-opts", split = " ", description = "Extra JVM options for the kava child, e.g. -Xmx8g.")
  List<String> kavaJvmOpts = new ArrayList<>();

  @Option(names = "--timeout", defaultValue = "30m", converter = ApiBench.DurationConverter.class,
      description = "The longest wait for pods of one phase to run (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--histogram", paramLabel = "LINES", defaultValue = "0",
      description = "Print the first LINES lines of the kava JVM's class histogram (jcmd GC.class_histogram) at each memory reading.")
  int histogramLines;

  @Mixin RunOptions shared;

  /**
   * The simulated nodes only: as root on Linux {@code kava server} also runs the host as a containerd node by default,
   * and the scheduler put a few of the measured pods there, where their images (offline) never pull — a Deployment
   * "stalled" at 998 of 1000 and the schedule phase ended with 4,998 of 5,000 running.
   */
  static final List<String> SERVER_ARGS = List.of("--runtime", "NONE");

  private final PrintStream log = System.out;
  private final List<String> figures = new ArrayList<>();
  private Vertx vertx;
  private KavaProcess kava;
  private HttpClientAgent api;
  private int podsInCluster;
  private KavaProcess.Memory baseline;

  public static void main(String[] args) {
    int code = new CommandLine(new ClusterBench()).execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    String started = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19);
    log.printf("kava cluster benchmark, %s; %d CPUs (%s), %s, JDK %s; load average %s%n", started, Runtime.getRuntime().availableProcessors(),
        Machine.cpuModel(), Machine.memory(), System.getProperty("java.version"), Machine.loadAverage());
    Machine.Cpu runStart = Machine.cpu();
    String loadAtStart = Machine.loadAverage();
    Path work = Files.createTempDirectory("kava-cluster-bench-");
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setBlockedThreadCheckInterval(60_000));
    try {
      long t0 = System.nanoTime();
      kava = KavaProcess.start(vertx, shared.kavaTree(), store, kavaJvmOpts, SERVER_ARGS, work);
      log.printf("kava (pid %d) ready in %.1f s: %s%n", kava.pid(), (System.nanoTime() - t0) / 1e9, shorten(String.join(" ", kava.command())));
      api = Clients.http(vertx, kava.endpoint(), Clients.Protocol.H1, concurrency, 1, 2);
      // The simulated nodes' ConfigMap (what --sim-nodes N writes), with a pod CIDR that has a /24 for each node and the
      // Lease duration asked for, written before any node registers.
      t0 = System.nanoTime();
      String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kava-sim-nodes\",\"namespace\":\"kube-system\"},"
          + "\"data\":{\"count\":\"" + nodes + "\",\"podCIDR\":\"10.0.0.0/8\",\"leaseDurationSeconds\":\"" + leaseSeconds + "\"}}";
      Api.Response created = Api.fetch(api, HttpMethod.POST, "/api/v1/namespaces/kube-system/configmaps", Buffer.buffer(cm), "application/json").await();
      if (created.status() != 201) throw new IllegalStateException("creating kube-system/kava-sim-nodes: HTTP " + created.status() + ": " + created.body());
      if (!kava.awaitLog("simulated nodes: " + nodes + " running", 30, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the simulated nodes did not all register; see " + kava.log());
      }
      double registered = (System.nanoTime() - t0) / 1e9;
      figure("%,d simulated nodes registered (Node + status + Lease), Lease duration %d s", nodes, leaseSeconds, "%.1f s", registered);
      Thread.sleep(5000); // let the scheduler's node informer catch up with the last registrations
      baseline = memory("nodes only");
      idleCpu();
      if (phases.contains("schedule")) {
        shared.awaitQuiet(log, "the schedule phase", kava.pid());
        schedule();
      }
      if (phases.contains("latency")) {
        shared.awaitQuiet(log, "the latency phase", kava.pid());
        latency();
      }
      if (phases.contains("deployment")) {
        shared.awaitQuiet(log, "the deployment phase", kava.pid());
        deployment();
      }
      if (phases.contains("scale")) {
        shared.awaitQuiet(log, "the scale phase", kava.pid());
        scale();
      }
    } finally {
      if (api != null) api.close().await();
      if (kava != null) kava.close();
      vertx.close().await();
    }
    String end = String.format(Locale.ROOT, "other processes used %.0f%% of the CPUs over the run; load average %s at the start, %s at the end",
        cpu().foreignShare(runStart) * 100, loadAtStart, Machine.loadAverage());
    log.println(end);
    log.println();
    for (String f : figures) log.println(f);
    if (shared.writesReport()) {
      StringBuilder md = new StringBuilder();
      md.append("Run ").append(started).append(" on ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (")
          .append(Machine.cpuModel()).append("), ").append(Machine.memory()).append(", JDK ").append(System.getProperty("java.version"))
          .append(String.format(Locale.ROOT, ", %.0f s in all.%n%n", (System.currentTimeMillis() - jvmStart) / 1000.0));
      shared.appendCommandLine(md, null);
      for (String f : figures) md.append(f).append('\n');
      md.append("- ").append(end).append('\n');
      md.append("- kava: `").append(shorten(String.join(" ", kava.command()))).append("`\n");
      shared.writeReport(log, md);
    }
    StartupBench.deleteTree(work);
    return 0;
  }

  // ---------------------------------------------------------------------------------------------------------- phases

  /**
   * kava's CPU use with the nodes registered and no pods (Lease renewals, status reports): the part of a phase's CPU per
   * pod that is not the pods'.
   */
  private void idleCpu() throws InterruptedException {
    long ticks = Machine.processTicks(kava.pid());
    long t0 = System.nanoTime();
    Thread.sleep(10_000);
    double share = (Machine.processTicks(kava.pid()) - ticks) / 100.0 / ((System.nanoTime() - t0) / 1e9);
    log.printf("[idle] kava used %.3f CPU-s per second with %,d nodes and no pods%n", share, nodes);
    figure("kava CPU when idle, %,d nodes, no pods (10 s)", nodes, "%.3f CPU-s per second", share);
  }

  /** Pods created as fast as the API takes them; throughput = pods / (first create sent → last pod seen bound). */
  private void schedule() throws Exception {
    if (initPods > 0) initPods();
    String ns = "bench-schedule";
    namespace(ns);
    try (PodTracker tracker = PodTracker.open(Clients.http(vertx, kava.endpoint(), Clients.Protocol.H1, 1, 1, 1), ns)) {
      Machine.Cpu before = cpu();
    long kavaTicks = Machine.processTicks(kava.pid());
      log.printf("[schedule] creating %,d pods, %d in flight ...%n", pods, concurrency);
      long t0 = System.nanoTime();
      LoadRunner.Result created = LoadRunner.run(concurrency, timeout, pods, seq -> createPod(ns, "p-" + seq), 201);
      log.printf("[schedule] created %,d pods in %.1f s (%,.0f/s, %d errors%s); %,d bound, %,d running so far%n", created.ok(),
          created.elapsedNanos() / 1e9, created.perSecond(), created.errors(),
          created.firstError() == null ? "" : ", first: " + created.firstError(), tracker.bound(), tracker.running());
      tracker.awaitRunning(created.ok(), timeout.toSeconds(), TimeUnit.SECONDS);
      double foreign = cpu().foreignShare(before);
    double kavaSeconds = (Machine.processTicks(kava.pid()) - kavaTicks) / 100.0;
      double boundSeconds = (tracker.lastBound() - t0) / 1e9;
      double runningSeconds = (tracker.lastRunning() - t0) / 1e9;
      podsInCluster += (int) created.ok();
      log.printf("[schedule] %,d bound after %.1f s, %,d running after %.1f s%s%s; other processes used %.0f%% of the CPUs; load average %s%n",
          tracker.bound(), boundSeconds, tracker.running(), runningSeconds, tracker.error() == null ? "" : " (" + tracker.error() + ")",
          tracker.reconnects().isEmpty() ? "" : "; " + tracker.reconnects(), foreign * 100, Machine.loadAverage());
      String busy = busy(foreign);
      figure("pod creates accepted by the API, %,d pods, %d in flight", pods, concurrency, "%,.0f pods/s%s", created.perSecond(), busy);
      figure("scheduling throughput, %,d nodes, %,d pods after %,d unmeasured: first create sent → last pod bound", nodes, pods, initPods,
          "%,.0f pods/s (%.1f s)%s", tracker.bound() / boundSeconds, boundSeconds, busy);
      figure("pods Running and Ready on the simulated nodes: first create sent → last Running", "%,.0f pods/s (%.1f s)%s",
          tracker.running() / runningSeconds, runningSeconds, busy);
      cpuFigure("schedule", kavaSeconds, tracker.running(), busy);
      memory("after the schedule phase, " + podsInCluster + " pods");
    }
  }

  /** The pods upstream's scheduler_perf creates before it measures (its initPods): created as fast, waited for, not measured. */
  private void initPods() throws Exception {
    String ns = "bench-schedule-init";
    namespace(ns);
    try (PodTracker tracker = PodTracker.open(Clients.http(vertx, kava.endpoint(), Clients.Protocol.H1, 1, 1, 1), ns)) {
      log.printf("[schedule] creating %,d pods before the measured ones (not measured) ...%n", initPods);
      LoadRunner.Result created = LoadRunner.run(concurrency, timeout, initPods, seq -> createPod(ns, "i-" + seq), 201);
      tracker.awaitRunning(created.ok(), timeout.toSeconds(), TimeUnit.SECONDS);
      podsInCluster += (int) created.ok();
      log.printf("[schedule] %,d of them running (%d create errors)%n", tracker.running(), created.errors());
    }
  }

  /** Pods created at a steady rate; latency = create sent → pod seen Running and Ready on the watch. */
  private void latency() throws Exception {
    String ns = "bench-latency";
    namespace(ns);
    try (PodTracker tracker = PodTracker.open(Clients.http(vertx, kava.endpoint(), Clients.Protocol.H1, 1, 1, 1), ns)) {
      Machine.Cpu before = cpu();
    long kavaTicks = Machine.processTicks(kava.pid());
      log.printf("[latency] creating %,d pods at %.0f/s ...%n", latencyPods, latencyRate);
      long[] sent = new long[latencyPods];
      CountDownLatch done = new CountDownLatch(latencyPods);
      long period = (long) (1e9 / latencyRate);
      long t0 = System.nanoTime();
      int[] errors = new int[1];
      for (int i = 0; i < latencyPods; i++) {
        long at = t0 + i * period;
        long wait;
        while ((wait = at - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
        int seq = i;
        sent[seq] = System.nanoTime();
        createPod(ns, "l-" + seq).onComplete(ar -> {
          if (ar.failed() || ar.result().status() != 201) {
            synchronized (errors) {
              errors[0]++;
            }
          }
          done.countDown();
        });
      }
      done.await(5, TimeUnit.MINUTES);
      tracker.awaitRunning(latencyPods - errors[0], timeout.toSeconds(), TimeUnit.SECONDS);
      double foreign = cpu().foreignShare(before);
    double kavaSeconds = (Machine.processTicks(kava.pid()) - kavaTicks) / 100.0;
      Samples toBound = new Samples();
      Samples toRunning = new Samples();
      for (int i = 0; i < latencyPods; i++) {
        PodTracker.Seen s = tracker.seen("l-" + i);
        if (s == null) continue;
        if (s.bound > 0) toBound.add(s.bound - sent[i]);
        if (s.running > 0) toRunning.add(s.running - sent[i]);
      }
      podsInCluster += latencyPods - errors[0];
      log.printf("[latency] %d create errors; bound p50 %.1f ms p99 %.1f ms; Running p50 %.1f ms p99 %.1f ms max %.1f ms (%d/%d running); other "
              + "processes used %.0f%% of the CPUs%n", errors[0], toBound.percentileMillis(50), toBound.percentileMillis(99), toRunning.percentileMillis(50),
          toRunning.percentileMillis(99), toRunning.max() / 1e6, toRunning.size(), latencyPods, foreign * 100);
      String busy = busy(foreign);
      figure("pod create sent → bound (watch), %,d pods at %.0f/s, %,d nodes", latencyPods, latencyRate, nodes, "p50 %.1f ms, p99 %.1f ms%s",
          toBound.percentileMillis(50), toBound.percentileMillis(99), busy);
      figure("pod create sent → Running and Ready (watch), %,d pods at %.0f/s", latencyPods, latencyRate, "p50 %.1f ms, p99 %.1f ms (%d/%d)%s",
          toRunning.percentileMillis(50), toRunning.percentileMillis(99), toRunning.size(), latencyPods, busy);
      cpuFigure("latency", kavaSeconds, toRunning.size(), busy);
    }
  }

  /** A Deployment of {@code replicas}: create → all available, then a new image → rolled out. */
  private void deployment() throws Exception {
    String ns = "bench-deploy";
    namespace(ns);
    Machine.Cpu before = cpu();
    long kavaTicks = Machine.processTicks(kava.pid());
    String body = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"%s"},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%%","maxUnavailable":"25%%"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27",
           "resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}}}""".formatted(ns, replicas);
    String path = "/apis/apps/v1/namespaces/" + ns + "/deployments";
    log.printf("[deployment] creating a Deployment of %,d replicas ...%n", replicas);
    long t0 = System.nanoTime();
    Api.Response r = Api.fetch(api, HttpMethod.POST, path, Buffer.buffer(body), "application/json").await();
    if (r.status() != 201) throw new IllegalStateException("creating the Deployment: HTTP " + r.status() + ": " + r.body());
    double created = awaitRolledOut(path + "/web", 1, t0);
    log.printf("[deployment] %,d replicas available %.1f s after the create%n", replicas, created);
    log.printf("[deployment] rolling update: new image ...%n");
    long t1 = System.nanoTime();
    r = Api.fetch(api, HttpMethod.PATCH, path + "/web",
        Buffer.buffer("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}}}"),
        "application/strategic-merge-patch+json").await();
    if (r.status() != 200) throw new IllegalStateException("patching the Deployment: HTTP " + r.status() + ": " + r.body());
    double rolled = awaitRolledOut(path + "/web", 2, t1);
    double foreign = cpu().foreignShare(before);
    double kavaSeconds = (Machine.processTicks(kava.pid()) - kavaTicks) / 100.0;
    podsInCluster += replicas;
    log.printf("[deployment] rolled out %.1f s after the patch; other processes used %.0f%% of the CPUs%n", rolled, foreign * 100);
    String busy = busy(foreign);
    figure("Deployment of %,d replicas: create → %,d available", replicas, replicas, "%.1f s%s", created, busy);
    figure("Deployment of %,d replicas: rolling update (new image, 25%% surge/unavailable) → all updated and available", replicas,
        "%.1f s%s", rolled, busy);
    figure("kava CPU time, deployment phase (create and rolling update)", "%.1f CPU-s%s", kavaSeconds, busy);
    memory("after the deployment phase, " + podsInCluster + " pods");
  }

  /** Polls the Deployment until its status says generation {@code gen} is rolled out, as kubectl rollout status does. */
  private double awaitRolledOut(String path, long gen, long t0) throws InterruptedException {
    long deadline = t0 + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Api.Response r = Api.fetch(api, HttpMethod.GET, path, null, null).await();
      if (r.status() == 200) {
        JsonNode d = Json.parse(r.body().getBytes());
        JsonNode s = d.path("status");
        long want = d.path("spec").path("replicas").asLong();
        if (s.path("observedGeneration").asLong() >= gen && s.path("updatedReplicas").asLong() == want && s.path("replicas").asLong() == want
            && s.path("availableReplicas").asLong() == want) {
          return (System.nanoTime() - t0) / 1e9;
        }
        last = s.toString();
      }
      Thread.sleep(100);
    }
    log.printf("[deployment] not rolled out in %d s; last status: %s%n", timeout.toSeconds(), last);
    explainStall("/api/v1/namespaces/" + path.split("/")[5] + "/pods"); // path: /apis/apps/v1/namespaces/NS/deployments/NAME
    throw new IllegalStateException("the Deployment did not roll out in " + timeout.toSeconds() + " s; last status: " + last);
  }

  /** What the stalled pods say: each pod not Ready with its node, phase and conditions, and that node's Ready and taints. */
  private void explainStall(String podsPath) {
    Api.Response r = Api.fetch(api, HttpMethod.GET, podsPath, null, null).await();
    if (r.status() != 200) {
      log.printf("[deployment] listing the pods: HTTP %d%n", r.status());
      return;
    }
    int shown = 0;
    for (JsonNode p : Json.parse(r.body().getBytes()).path("items")) {
      boolean ready = false;
      for (JsonNode c : p.path("status").path("conditions")) {
        if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) ready = true;
      }
      if (ready || shown++ >= 20) continue;
      String node = p.path("spec").path("nodeName").asText("");
      log.printf("[deployment] not ready: %s rv %s node %s deleting %s owner %s; status %s%n", p.path("metadata").path("name").asText(),
          p.path("metadata").path("resourceVersion").asText(), node.isEmpty() ? "(none)" : node,
          p.path("metadata").path("deletionTimestamp").asText("no"), p.path("metadata").path("ownerReferences").path(0).path("name").asText(),
          p.path("status"));
      if (!node.isEmpty()) {
        Api.Response n = Api.fetch(api, HttpMethod.GET, "/api/v1/nodes/" + node, null, null).await();
        if (n.status() == 200) {
          JsonNode nn = Json.parse(n.body().getBytes());
          log.printf("[deployment]   node %s: taints %s, conditions %s%n", node, nn.path("spec").path("taints"), nn.path("status").path("conditions"));
        }
      }
    }
    log.printf("[deployment] %d pods not ready%n", shown);
    Api.Response rs = Api.fetch(api, HttpMethod.GET, podsPath.replace("/api/v1/", "/apis/apps/v1/").replace("/pods", "/replicasets"), null, null).await();
    if (rs.status() == 200) {
      for (JsonNode x : Json.parse(rs.body().getBytes()).path("items")) {
        log.printf("[deployment] ReplicaSet %s: spec.replicas %s, status %s%n", x.path("metadata").path("name").asText(),
            x.path("spec").path("replicas").asText(), x.path("status"));
      }
    }
  }

  /** Adds pods until {@code scalePods} run, reading memory each {@code scaleStep}; reports the largest size reached. */
  private void scale() throws Exception {
    String ns = "bench-scale";
    namespace(ns);
    try (PodTracker tracker = PodTracker.open(Clients.http(vertx, kava.endpoint(), Clients.Protocol.H1, 1, 1, 1), ns)) {
      long startedWith = podsInCluster;
      long created = podsInCluster; // pods stored in the cluster, running or not: what the memory holds
      long createdHere = 0; // pods created in this phase's namespace: all the tracker can ever see Running
      long t0 = System.nanoTime();
      KavaProcess.Memory last = null;
      long nextSeq = 0;
      while (podsInCluster < scalePods && kava.alive()) {
        int step = Math.min(scaleStep, scalePods - podsInCluster);
        long from = nextSeq;
        log.printf("[scale] adding %,d pods (%,d → %,d) ...%n", step, podsInCluster, podsInCluster + step);
        LoadRunner.Result r = LoadRunner.run(concurrency, timeout, step, seq -> createPod(ns, "s-" + (from + seq)), 201);
        nextSeq += step;
        created += r.ok();
        createdHere += r.ok();
        // Every pod created in the namespace so far: not "running now + created in this step", which counted the
        // step's pods already Running when the last create returned (most, on a cluster that keeps up) twice and could
        // never be reached: the step then waited its whole timeout on a watch with nothing left to deliver (the
        // "stalled watch" at 35,000 pods on 2026-11-27).
        long want = createdHere;
        long running = tracker.awaitRunning(want, timeout.toSeconds(), TimeUnit.SECONDS);
        podsInCluster = (int) (startedWith + running);
        log.printf("[scale] %,d pods created at %,.0f/s (%d errors%s); %,d running in the cluster, %.0f s since the phase began%n", r.ok(),
            r.perSecond(), r.errors(), r.firstError() == null ? "" : ", first: " + r.firstError(), podsInCluster, (System.nanoTime() - t0) / 1e9);
        if (!kava.alive()) {
          log.printf("[scale] kava exited (see %s): stopping here%n", kava.log());
          figures.add("- kava exited during the scale phase with " + podsInCluster + " pods running (log: " + kava.log() + ")");
          break;
        }
        last = memory(podsInCluster + " pods");
        if (r.errors() > 0 && r.ok() == 0) break;
        if (running < want) {
          log.printf("[scale] only %,d of %,d pods running after %d s (last watch event %.0f s ago%s): stopping here%n", running, want,
              timeout.toSeconds(), tracker.secondsSinceLastEvent(), tracker.reconnects().isEmpty() ? "" : "; " + tracker.reconnects());
          break;
        }
      }
      if (last != null) {
        double perPod = (last.heapUsedBytes() - baseline.heapUsedBytes()) / (double) created;
        double rssPerPod = (last.rssBytes() - baseline.rssBytes()) / (double) created;
        figure("memory with %,d nodes and %,d pods (%,d of them seen Running)", nodes, created, podsInCluster, "%s", last.describe());
        figure("memory per pod (difference to the nodes-only server, over the %,d pods stored)", created, "heap %.1f KiB, RSS %.1f KiB",
            perPod / 1024, rssPerPod / 1024);
      }
    }
  }

  // --------------------------------------------------------------------------------------------------------- helpers

  private io.vertx.core.Future<LoadRunner.Reply> createPod(String ns, String name) {
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
        + "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"registry.k8s.io/pause:3.10\","
        + "\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}";
    return Api.send(api, HttpMethod.POST, "/api/v1/namespaces/" + ns + "/pods", Buffer.buffer(json));
  }

  private void namespace(String ns) { Api.ensureNamespace(api, ns); }

  private KavaProcess.Memory memory(String when) throws IOException, InterruptedException {
    KavaProcess.Memory m = kava.memory();
    log.printf("[memory] %s: %s%n", when, m.describe());
    if (histogramLines > 0) log.printf("[memory] class histogram, %s:%n%s%n", when, kava.histogram(histogramLines));
    figure("memory, %s (%,d nodes)", when, nodes, "%s", m.describe());
    return m;
  }

  /**
   * One line of the report: {@code label} is a format whose arguments come first in {@code args}; the next argument is
   * the value's format, followed by its arguments.
   */
  private void figure(String label, Object... args) {
    List<Object> all = java.util.Arrays.asList(args);
    int labelArgs = count(label);
    String valueFormat = (String) all.get(labelArgs);
    figures.add("- " + String.format(Locale.ROOT, label, all.subList(0, labelArgs).toArray()) + ": "
        + String.format(Locale.ROOT, valueFormat, all.subList(labelArgs + 1, all.size()).toArray()));
  }

  private static int count(String format) {
    int n = 0;
    for (int i = 0; i < format.length() - 1; i++) {
      if (format.charAt(i) == '%') {
        if (format.charAt(i + 1) == '%') i++;
        else n++;
      }
    }
    return n;
  }

  /**
   * kava's CPU time over a phase per pod that reached Running: on a shared machine this moves much less with the
   * other processes' load than pods/s does.
   */
  private void cpuFigure(String phase, double kavaSeconds, long pods, String busy) {
    log.printf("[%s] kava used %.1f CPU-s: %.2f ms per pod%n", phase, kavaSeconds, pods == 0 ? Double.NaN : kavaSeconds * 1000 / pods);
    figure("kava CPU per pod, %s phase (its user + system time over the phase / pods Running)", phase, "%.2f ms (%.1f CPU-s / %,d pods)%s",
        pods == 0 ? Double.NaN : kavaSeconds * 1000 / pods, kavaSeconds, pods, busy);
  }

  /** CPU counters with the kava child counted as this benchmark's own (it is what is measured, not another process). */
  private Machine.Cpu cpu() {
    return kava == null ? Machine.cpu() : Machine.cpu(kava.pid());
  }

  private static String busy(double share) {
    return share >= 0.10 ? String.format(Locale.ROOT, " (other processes used %.0f%% of the CPUs)", share * 100) : "";
  }

  private static String shorten(String cmd) {
    return cmd.replaceAll("-cp \\S+/kava-cli/target/kava-cli\\.jar:\\S+", "-cp kava-cli/target/kava-cli.jar:kava-cli/target/lib/*")
        .replaceAll("--data-dir \\S+", "--data-dir DIR").replaceAll("--port \\d+", "--port PORT").replaceAll("^\\S+/bin/java", "java");
  }
}
