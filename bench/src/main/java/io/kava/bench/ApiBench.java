package io.kava.bench;

import io.kava.cli.KavaServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The API load benchmark: creates/s, gets/s, LIST latency over 10,000 objects, watch fan-out latency to 1,000 watchers,
 * start-up time and idle memory, for kava (SQLite and memory stores) and fabric8's KubernetesMockServer side by side in
 * one run, with a bare Vert.x server as the load generator's ceiling. Prints a table; {@code --out} writes it as
 * Markdown.
 */
@Command(name = "bench api", mixinStandardHelpOptions = true, sortOptions = false, version = "kava API benchmark 0.1",
    description = {"Load-tests kava's API server and fabric8's KubernetesMockServer side by side and prints the figures "
        + "and the ratios kava/mock.",
        "Each target runs in this JVM, one after another; start-up time and idle RSS are measured in child JVMs.",
        "Order: startup (child JVMs), JIT warm-up, then for each target: load, list, gets, watch, creates; the ceiling last."})
public final class ApiBench implements Callable<Integer> {
  @Option(names = "--targets", split = ",", defaultValue = "kava-sqlite,kava-memory,mock",
      description = "Servers to measure, in order: kava-sqlite, kava-memory, mock (default: ${DEFAULT-VALUE}).")
  List<String> targets;

  @Option(names = "--phases", split = ",", defaultValue = "startup,ceiling,list,gets,watch,creates",
      description = "Which measurements to run (default: ${DEFAULT-VALUE}).")
  List<String> phases;

  @Option(names = {"-c", "--concurrency"}, defaultValue = "64",
      description = "Requests in flight for creates and gets (default: ${DEFAULT-VALUE}). HTTP/1.1: one connection each.")
  int concurrency;

  @Option(names = {"-d", "--duration"}, defaultValue = "10s", converter = DurationConverter.class,
      description = "How long each creates/gets measurement runs, e.g. 10s, 500ms, 1m (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = {"-n", "--count"}, defaultValue = "0",
      description = "Send exactly this many requests per creates/gets measurement instead of running for --duration.")
  long count;

  @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
      description = "Warm-up before each creates/gets measurement, not counted (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--jit-warmup", defaultValue = "15s", converter = DurationConverter.class,
      description = "Load on a bare Vert.x server before the first target, not reported, so the JIT has compiled the client, "
          + "Netty and TLS paths before anything is measured (default: ${DEFAULT-VALUE}; 0 to skip).")
  Duration jitWarmup;

  @Option(names = "--protocols", split = ",", defaultValue = "h1,h2",
      description = "HTTP versions for creates and gets: h1 (HTTP/1.1 keep-alive), h2 (HTTP/2 via ALPN) (default: ${DEFAULT-VALUE}).")
  List<String> protocols;

  @Option(names = "--generators", split = ",", defaultValue = "vertx,wrk",
      description = "Load generators for creates, gets and the ceiling: vertx (an async Vert.x client in this JVM, HTTP/1.1 and "
          + "HTTP/2 as --protocols says), wrk (the wrk binary, HTTP/1.1, bearer token; skipped when wrk is not installed) "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> generators;

  @Option(names = "--wrk-threads", defaultValue = "1", description = "wrk threads (default: ${DEFAULT-VALUE}).")
  int wrkThreads;

  @Option(names = "--h2-connections", defaultValue = "1",
      description = "HTTP/2 connections the in-flight requests are multiplexed over (default: ${DEFAULT-VALUE}, as kubectl/client-go).")
  int h2Connections;

  @Option(names = "--objects", defaultValue = "10000",
      description = "ConfigMaps (~1 KB each) in the namespace that is LISTed; gets read them too (default: ${DEFAULT-VALUE}).")
  int objects;

  @Option(names = "--list-repeats", defaultValue = "20", description = "Timed full LISTs, one at a time (default: ${DEFAULT-VALUE}).")
  int listRepeats;

  @Option(names = "--watchers", defaultValue = "1000", description = "Concurrent watches on one namespace (default: ${DEFAULT-VALUE}).")
  int watchers;

  @Option(names = "--watch-events", defaultValue = "200",
      description = "Objects created while the watches are open, each delivered to every watcher (default: ${DEFAULT-VALUE}).")
  int watchEvents;

  @Option(names = "--watch-warmup-events", defaultValue = "50",
      description = "Objects created first, at the same rate, and left out of the figures (default: ${DEFAULT-VALUE}).")
  int watchWarmupEvents;

  @Option(names = "--watch-rate", defaultValue = "10", description = "Creates per second during the watch phase (default: ${DEFAULT-VALUE}).")
  double watchRate;

  @Option(names = "--startup-runs", defaultValue = "3",
      description = "Child-JVM starts per target, each a first start and a restart (default: ${DEFAULT-VALUE}).")
  int startupRuns;

  @Option(names = "--startup-aot", defaultValue = "true", negatable = true, fallbackValue = "true",
      description = "Also measure start-up with a JDK AOT cache the benchmark trains first (JDK 25+; bin/kava uses "
          + "kava-cli/target/kava.aot when it exists) (default: ${DEFAULT-VALUE}).")
  boolean startupAot;

  @Option(names = "--idle-seconds", defaultValue = "5", description = "Idle time before reading the child's VmRSS (default: ${DEFAULT-VALUE}).")
  int idleSeconds;

  @Option(names = "--client-threads", defaultValue = "2", description = "Event loops of the load generator (default: ${DEFAULT-VALUE}).")
  int clientThreads;

  @Option(names = "--mock-tls", defaultValue = "true", negatable = true, fallbackValue = "true",
      description = "Serve the mock over HTTPS like kava (default: ${DEFAULT-VALUE}); --no-mock-tls for plain HTTP.")
  boolean mockTls;

  @Option(names = "--child-jvm-opts", split = " ", description = "Extra JVM options for the start-up children.")
  List<String> childJvmOpts = new ArrayList<>();

  @Option(names = "--server-args", split = " ",
      description = "Extra `kava server` arguments for the start-up children, e.g. \"--runtime none\" for the control plane without the node "
          + "(as root the server runs its containerd node by default).")
  List<String> serverArgs = new ArrayList<>();


  private final Report report = new Report();
  private String loadAtStart;
  private double runForeign;
  @Mixin RunOptions shared;

  private final PrintStream log = System.out;
  private Vertx vertx;
  private Path workDir;

  public static void main(String[] args) {
    // before anything logs: the servers' logs go to a file (kava logs ERRORs it would be a shame to lose, but they
    // would drown the report)
    if (System.getProperty("logback.configurationFile") == null) System.setProperty("logback.configurationFile", "kava-bench-logback.xml");
    if (System.getProperty("kava.bench.log") == null) {
      System.setProperty("kava.bench.log", Path.of(System.getProperty("java.io.tmpdir"), "kava-bench-server.log").toString());
    }
    int code = new CommandLine(new ApiBench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    validate();
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    workDir = Files.createTempDirectory("kava-bench-");
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(clientThreads).setBlockedThreadCheckInterval(60_000));
    String started = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19);
    log.printf("kava API benchmark, %s; %d CPUs (%s), JDK %s, JVM options %s; load average %s%n", started,
        Runtime.getRuntime().availableProcessors(), Machine.cpuModel(), System.getProperty("java.version"),
        ManagementFactory.getRuntimeMXBean().getInputArguments(), Machine.loadAverage());
    Machine.Cpu runStart = Machine.cpu();
    loadAtStart = Machine.loadAverage();
    try {
      if (phases.contains("startup")) startup();
      if (!jitWarmup.isZero()) jitWarmup();
      for (String t : targets) measure(t);
      // last, when the load generator's code is as compiled as it will get
      if (phases.contains("ceiling")) ceiling();
    } finally {
      vertx.close().await();
      StartupBench.deleteTree(workDir);
    }
    runForeign = Machine.cpu().foreignShare(runStart);
    report.note(String.format(Locale.ROOT, "- other processes used %.0f%% of the CPUs over the whole run (worst single measurement: %.0f%%); "
        + "load average %s at the start, %s at the end", runForeign * 100, maxForeign * 100, loadAtStart, Machine.loadAverage()));
    String logSummary = serverLogSummary();
    log.println(logSummary);
    report.note("- " + logSummary);
    String table = report.table();
    log.println();
    log.println(table);
    for (String c : report.ceilingLines()) log.println(c);
    for (String n : report.notes()) log.println(n);
    if (shared.writesReport()) writeMarkdown(started, table, System.currentTimeMillis() - jvmStart);
    return 0;
  }

  private void validate() {
    for (String t : targets) {
      if (!List.of("kava-sqlite", "kava-memory", "mock").contains(t)) throw new CommandLine.ParameterException(
          new CommandLine(this), "unknown target " + t + " (kava-sqlite, kava-memory, mock)");
    }
    for (String p : protocols) {
      if (!p.equals("h1") && !p.equals("h2")) throw new CommandLine.ParameterException(new CommandLine(this), "unknown protocol " + p + " (h1, h2)");
    }
    for (String g : generators) {
      if (!g.equals("vertx") && !g.equals("wrk")) throw new CommandLine.ParameterException(new CommandLine(this), "unknown generator " + g + " (vertx, wrk)");
    }
    if (generators.contains("wrk") && !Wrk.available()) log.println("wrk is not installed (Debian package wrk): measuring with the Vert.x client only");
    for (String p : phases) {
      if (!List.of("startup", "ceiling", "list", "gets", "watch", "creates").contains(p)) {
        throw new CommandLine.ParameterException(new CommandLine(this), "unknown phase " + p);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------- phases

  private void startup() throws Exception {
    for (String t : targets) {
      StartupBench.Launch launch = t.equals("mock") ? StartupBench.mock(mockTls, childJvmOpts)
          : StartupBench.kava(shared.kavaTree(), t.substring("kava-".length()), childJvmOpts, serverArgs);
      startup(t, launch, "");
      if (startupAot && Runtime.version().feature() >= 25 && launch.jvmArgs().stream().noneMatch(a -> a.startsWith("-XX:AOTCache"))) {
        log.printf("[%s] start-up: training an AOT cache (-XX:AOTCacheOutput) ...%n", t);
        Path aot = StartupBench.trainAotCache(vertx, launch, workDir);
        if (aot == null) {
          log.printf("[%s] start-up: the JDK wrote no AOT cache; skipped%n", t);
        } else {
          startup(t, StartupBench.withJvmArgs(launch, List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off,cds=off")), ", with AOT cache");
        }
      }
    }
  }

  private void startup(String t, StartupBench.Launch launch, String variant) throws Exception {
    awaitQuiet("the start-up runs");
    log.printf("[%s] start-up%s: %d first starts and %d restarts in child JVMs ...%n", t, variant, startupRuns, startupRuns);
    Machine.Cpu before = Machine.cpu();
    StartupBench.Result r = StartupBench.run(vertx, launch, startupRuns, idleSeconds, workDir);
    double foreignShare = Machine.cpu().foreignShare(before);
    String foreign = foreignNote(foreignShare);
    if (r.error() != null) {
      log.printf("[%s] start-up%s failed: %s%n", t, variant, r.error());
      report.note("- " + t + " start-up" + variant + " failed: " + r.error().lines().findFirst().orElse(""));
      return;
    }
    double first = r.firstStart().percentileMillis(50);
    double again = r.restart().percentileMillis(50);
    report.put("ready after process start, empty data dir" + variant + " (median)", "ms", false, t, first, busy(foreignShare));
    report.put("ready after process start, restart" + variant + " (median)", "ms", false, t, again, busy(foreignShare));
    report.put("CPU time used until ready, restart" + variant + " (median)", "ms", false, t, r.cpuToReady().percentileMillis(50), "");
    report.put("listening → first readiness answer, restart" + variant + " (median)", "ms", false, t,
        r.listeningToReady().percentileMillis(50), busy(foreignShare));
    // the target reads "ready < 1.5 s after the JVM starts": the server's own figure, from the JVM's start time
    if (r.jvmReported().size() > 0) {
      report.put("ready after JVM start (server's log), restart" + variant + " (median)", "ms", false, t,
          r.jvmReported().percentileMillis(50), busy(foreignShare));
    }
    report.put("idle RSS " + idleSeconds + " s after ready" + variant, "MB", false, t, r.rssKb() / 1024.0, "");
    log.printf("[%s]   ready after %.0f ms (first start, median of %d), %.0f ms (restart), having used %.0f ms of CPU; "
            + "%.0f ms from listening to the first readiness answer (TLS handshake, first request); "
            + "server's own log: %s since JVM start (restart, median); idle RSS %.0f MB; %s%n",
        t, first, r.firstStart().size(), again, r.cpuToReady().percentileMillis(50), r.listeningToReady().percentileMillis(50),
        r.jvmReported().size() == 0 ? "–" : String.format("%.0f ms", r.jvmReported().percentileMillis(50)), r.rssKb() / 1024.0, foreign);
    if (t.startsWith("kava") && variant.isEmpty()) report.note("- start-up command (" + t + "): `" + shorten(String.join(" ", r.command())) + "`");
  }

  private void jitWarmup() throws Exception {
    log.printf("JIT warm-up: %d s of GETs and POSTs on a bare Vert.x HTTPS server (not reported) ...%n", jitWarmup.toSeconds());
    long slice = Math.max(1, jitWarmup.toMillis() / (protocols.size() * 2));
    try (BareTarget bare = new BareTarget(true, Math.max(1, Runtime.getRuntime().availableProcessors()), workDir.resolve("warm-pki"))) {
      for (String p : protocols) {
        HttpClientAgent client = client(bare.endpoint(), proto(p));
        try {
          LoadRunner.run(concurrency, Duration.ofMillis(slice), 0, seq -> Api.get(client, "bench", "warm"), 200);
          LoadRunner.run(concurrency, Duration.ofMillis(slice), 0, seq -> Api.create(client, "bench", "warm-" + seq), 201);
        } finally {
          client.close().await();
        }
      }
    }
  }

  private void ceiling() throws Exception {
    int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
    for (boolean tls : new boolean[] {true, false}) {
      try (BareTarget bare = new BareTarget(tls, eventLoops, workDir.resolve("bare-pki"))) {
        for (String p : generators.contains("vertx") ? protocols : List.<String>of()) {
          Clients.Protocol proto = proto(p);
          HttpClientAgent client = client(bare.endpoint(), proto);
          try {
            LoadRunner.Op op = seq -> Api.send(client, io.vertx.core.http.HttpMethod.GET, "/api/v1/namespaces/bench/configmaps/bare", null);
            awaitQuiet("the ceiling");
            LoadRunner.run(concurrency, warmup, 0, op, 200);
            Machine.Cpu before = Machine.cpu();
            LoadRunner.Result r = LoadRunner.run(concurrency, duration, count, op, 200);
            double foreign = Machine.cpu().foreignShare(before);
            String line = String.format(Locale.ROOT, "- ceiling: bare Vert.x, %s, %s, GET of a 300-byte JSON: %,.0f req/s (p50 %.2f ms, p99 %.2f ms, %d errors; %s)",
                tls ? "HTTPS, kava's certificates" : "plain HTTP", proto.label, r.perSecond(), r.latency().percentileMillis(50),
                r.latency().percentileMillis(99), r.errors(), foreignNote(foreign));
            log.println(line);
            report.ceiling(line);
          } finally {
            client.close().await();
          }
        }
        if (wrk()) {
          String script = "wrk.headers[\"Accept\"] = \"application/json\"\nwrk.path = \"/api/v1/namespaces/bench/configmaps/bare\"\n";
          awaitQuiet("the ceiling (wrk)");
          Wrk.run(bare.endpoint(), script, wrkThreads, concurrency, warmup, workDir);
          Machine.Cpu before = Machine.cpu();
          Wrk.Result r = Wrk.run(bare.endpoint(), script, wrkThreads, concurrency, duration, workDir);
          double foreign = Machine.cpu().foreignShare(before);
          String line = String.format(Locale.ROOT, "- ceiling: bare Vert.x, %s, wrk -t%d -c%d (HTTP/1.1), GET of a 300-byte JSON: %,.0f req/s (p50 %.2f ms, "
                  + "p99 %.2f ms; %s)", tls ? "HTTPS, kava's certificates" : "plain HTTP", wrkThreads, concurrency, r.okPerSecond(), r.p50Millis(),
              r.p99Millis(), foreignNote(foreign));
          log.println(line);
          report.ceiling(line);
        }
      }
    }
  }

  private void measure(String name) throws Exception {
    log.printf("[%s] starting in this JVM ...%n", name);
    try (Target target = start(name)) {
      measure(name, target);
    } catch (RuntimeException e) {
      // e.g. the mock cannot shut down while it still holds watches: keep the figures measured so far
      log.printf("[%s] %s%n", name, e);
      report.note("- " + name + ": " + e.getMessage());
    }
    System.gc();
  }

  private void measure(String name, Target target) throws Exception {
    log.printf("[%s] %s%n", name, target.description());
    report.note("- " + name + ": " + target.description().replaceAll(", https?://127\\.0\\.0\\.1:\\d+$", ""));
    Endpoint ep = target.endpoint();
    HttpClientAgent setup = client(ep, Clients.Protocol.H1);
    try {
      if (target.needsNamespaces()) {
        for (String ns : List.of("bench-list", "bench-watch", "bench-create")) Api.ensureNamespace(setup, ns);
      }
      if (phases.contains("list") || phases.contains("gets")) {
        // the listed namespace; gets read its objects
        LoadRunner.Result load = LoadRunner.run(concurrency, Duration.ofMinutes(30), objects,
            seq -> Api.create(setup, "bench-list", "l-" + seq), 201);
        log.printf("[%s] loaded %,d ConfigMaps in %.1f s (%,.0f/s, %d errors%s)%n", name, load.ok(), load.elapsedNanos() / 1e9,
            load.perSecond(), load.errors(), load.firstError() == null ? "" : ": " + load.firstError());
      }
      if (phases.contains("list")) list(name, setup);
      if (phases.contains("gets")) {
        if (generators.contains("vertx")) for (String p : protocols) throughput(name, ep, proto(p), "gets");
        if (wrk()) wrkThroughput(name, ep, "gets");
      }
      if (phases.contains("watch")) {
        try {
          watch(name, ep, setup);
        } catch (IllegalStateException e) {
          // a server that cannot take the watchers (the mock under load) fails this figure, not the run
          log.printf("[%s] watch failed: %s%n", name, e.getMessage());
          report.note("- " + name + ": the watch phase failed: " + e.getMessage());
        }
      }
      if (phases.contains("creates")) {
        if (generators.contains("vertx")) for (String p : protocols) throughput(name, ep, proto(p), "creates");
        if (wrk()) wrkThroughput(name, ep, "creates");
      }
    } finally {
      setup.close().await();
    }
  }

  private Target start(String name) {
    return switch (name) {
      case "kava-sqlite" -> new KavaTarget(name, KavaServer.StoreKind.SQLITE, workDir.resolve(name));
      case "kava-memory" -> new KavaTarget(name, KavaServer.StoreKind.MEMORY, workDir.resolve(name));
      case "mock" -> new MockTarget(mockTls);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private void list(String name, HttpClientAgent client) throws Exception {
    awaitQuiet("the LISTs");
    // two untimed LISTs warm the path
    for (int i = 0; i < 2; i++) Api.list(client, "bench-list").await();
    Samples s = new Samples();
    long bytes = 0;
    int errors = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    Machine.Cpu before = Machine.cpu();
    for (int i = 0; i < listRepeats && (i < 3 || System.nanoTime() < deadline); i++) {
      long t0 = System.nanoTime();
      LoadRunner.Reply r = Api.list(client, "bench-list").await();
      long t1 = System.nanoTime();
      if (r.status() != 200) {
        errors++;
        continue;
      }
      s.add(t1 - t0);
      bytes = r.bytes();
    }
    String label = "LIST of " + String.format(Locale.ROOT, "%,d", objects) + " ConfigMaps";
    double foreign = Machine.cpu().foreignShare(before);
    report.put(label + ", p50", "ms", false, name, s.percentileMillis(50), busy(foreign));
    report.put(label + ", p99", "ms", false, name, s.percentileMillis(99), busy(foreign));
    log.printf("[%s] LIST of %,d ConfigMaps (%.1f MB JSON): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d LISTs, %d errors; %s%n", name,
        objects, bytes / 1e6, s.percentileMillis(50), s.percentileMillis(99), s.max() / 1e6, s.size(), errors, foreignNote(foreign));
  }

  private void throughput(String name, Endpoint ep, Clients.Protocol proto, String what) throws Exception {
    HttpClientAgent client = client(ep, proto);
    try {
      String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
      LoadRunner.Op op = what.equals("creates")
          ? seq -> Api.create(client, "bench-create", "c-" + run + "-" + seq)
          : seq -> Api.get(client, "bench-list", "l-" + ThreadLocalRandom.current().nextInt(objects));
      int expected = what.equals("creates") ? 201 : 200;
      awaitQuiet(what);
      LoadRunner.Result w = LoadRunner.run(concurrency, warmup, 0, what.equals("creates") ? seqOffset(op, 1L << 40) : op, expected);
      Machine.Cpu before = Machine.cpu();
      LoadRunner.Result r = LoadRunner.run(concurrency, duration, count, op, expected);
      double foreign = Machine.cpu().foreignShare(before);
      String shape = proto == Clients.Protocol.H2
          ? proto.label + ", " + concurrency + " streams on " + h2Connections + " conn"
          : proto.label + ", " + concurrency + " conns";
      String version = r.version();
      boolean downgraded = proto == Clients.Protocol.H2 && !"h2".equals(version) && r.ok() > 0;
      report.put(what + "/s, " + shape, "", true, name, downgraded ? Double.NaN : r.perSecond(),
          downgraded ? "(server chose " + version + ")" : (r.errors() > 0 ? "(" + r.errors() + " errors)" : "") + busy(foreign));
      if (!downgraded) {
        report.put(what.substring(0, what.length() - 1) + " latency p99, " + proto.label, "ms", false, name, r.latency().percentileMillis(99),
            busy(foreign));
      }
      log.printf("[%s] %s, %s: %,.0f/s (%,d in %.1f s; p50 %.2f ms, p99 %.2f ms; %d errors%s; negotiated %s; warm-up %,.0f/s; %s)%n", name,
          what, shape, r.perSecond(), r.ok(), r.elapsedNanos() / 1e9, r.latency().percentileMillis(50), r.latency().percentileMillis(99),
          r.errors(), r.firstError() == null ? "" : ", first: " + r.firstError(), version, w.perSecond(), foreignNote(foreign));
      log.printf("[%s]   completions per second: %s%n", name, r.timeline());
    } finally {
      client.close().await();
    }
  }

  private boolean wrk() { return generators.contains("wrk") && Wrk.available(); }

  private void wrkThroughput(String name, Endpoint ep, String what) throws Exception {
    String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    String token = ep.bearerToken();
    awaitQuiet(what + " (wrk)");
    String warmScript = what.equals("creates") ? Wrk.createScript("bench-create", "w-" + run + "-", token)
        : Wrk.getScript("bench-list", "l-", objects, token);
    Wrk.Result w = Wrk.run(ep, warmScript, wrkThreads, concurrency, warmup, workDir);
    String script = what.equals("creates") ? Wrk.createScript("bench-create", "c-" + run + "-", token)
        : Wrk.getScript("bench-list", "l-", objects, token);
    Machine.Cpu before = Machine.cpu();
    // With wrk as the client, this JVM's CPU is the server's: what each request costs it, whatever the machine's load.
    long ownTicks = Machine.processTicks(ProcessHandle.current().pid());
    Wrk.Result r = Wrk.run(ep, script, wrkThreads, concurrency, duration, workDir);
    double cpuMillis = (Machine.processTicks(ProcessHandle.current().pid()) - ownTicks) * 10.0 / Math.max(1, r.requests());
    double foreign = Machine.cpu().foreignShare(before);
    String shape = "wrk, HTTP/1.1, " + concurrency + " conns";
    String errors = r.non2xx() + r.socketErrors() > 0 ? "(" + r.non2xx() + " non-2xx, " + r.socketErrors() + " socket errors)" : "";
    report.put(what + "/s, " + shape, "", true, name, r.okPerSecond(), errors + busy(foreign));
    report.put(what.substring(0, what.length() - 1) + " latency p99, wrk", "ms", false, name, r.p99Millis(), busy(foreign));
    report.put("server CPU per " + what.substring(0, what.length() - 1) + ", wrk", "ms", false, name, cpuMillis, busy(foreign));
    log.printf("[%s] %s, %s: %,.0f/s (%,d requests, %d non-2xx, %d socket errors; p50 %.2f ms, p99 %.2f ms; warm-up %,.0f/s; "
        + "server CPU %.3f ms per request; %s)%n", name, what, shape, r.okPerSecond(), r.requests(), r.non2xx(), r.socketErrors(), r.p50Millis(),
        r.p99Millis(), w.okPerSecond(), cpuMillis, foreignNote(foreign));
  }

  private static LoadRunner.Op seqOffset(LoadRunner.Op op, long offset) { return seq -> op.run(seq + offset); }

  private void watch(String name, Endpoint ep, HttpClientAgent api) throws Exception {
    awaitQuiet("the watch phase");
    log.printf("[%s] watch: opening %,d watches ...%n", name, watchers);
    Machine.Cpu before = Machine.cpu();
    WatchBench.Result r = WatchBench.run(vertx, ep, api, "bench-watch", watchers, watchWarmupEvents, watchEvents, watchRate, 32);
    String label = String.format(Locale.ROOT, "watch delivery with %,d watchers", watchers);
    boolean complete = r.delivered() >= r.expected() && r.connected() == r.watchers();
    double foreign = Machine.cpu().foreignShare(before);
    String note = (complete ? "" : "(" + r.delivered() + "/" + (long) r.watchers() * r.events() + " delivered)") + busy(foreign);
    String early = r.delivered() == 0 ? "" : String.format(Locale.ROOT, " (%.0f%% before the create response)", 100.0 * r.earlyDeliveries() / r.delivered());
    report.put(label + ", p50 after create response", "ms", false, name, r.fromAck().percentileMillis(50), note + early);
    report.put(label + ", p99 after create response", "ms", false, name, r.fromAck().percentileMillis(99), note);
    report.put(label + ", p99 after create sent", "ms", false, name, r.fromSend().percentileMillis(99), note);
    report.put(String.format(Locale.ROOT, "time until %,d watches deliver", watchers), "s", false, name, r.openNanos() / 1e9, busy(foreign));
    log.printf("[%s] watch: %d/%d watches live after %.2f s (%s); %,d events (after %d warm-up events) at %.0f/s; %,d/%,d deliveries; "
            + "after create response p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d arrived before the response); "
            + "after create sent p50 %.1f ms, p99 %.1f ms; %s%s%n",
        name, r.connected(), r.watchers(), r.openNanos() / 1e9, r.transport(), r.events(), watchWarmupEvents, watchRate, r.delivered(), r.expected(),
        r.fromAck().percentileMillis(50), r.fromAck().percentileMillis(99), r.fromAck().max() / 1e6, r.earlyDeliveries(),
        r.fromSend().percentileMillis(50), r.fromSend().percentileMillis(99), foreignNote(foreign),
        r.firstError() == null ? "" : "; first error: " + r.firstError());
  }

  // --------------------------------------------------------------------------------------------------------- helpers

  private HttpClientAgent client(Endpoint ep, Clients.Protocol proto) {
    return proto == Clients.Protocol.H2
        ? Clients.http(vertx, ep, proto, h2Connections, (concurrency + h2Connections - 1) / h2Connections, clientThreads)
        : Clients.http(vertx, ep, proto, concurrency, 1, clientThreads);
  }

  /**
   * Waits until the rest of the machine is quiet: the benchmark shares 2 cores with whatever else runs (builds, tests),
   * and a measurement taken while another process takes half the CPUs measures that process.
   */
  private void awaitQuiet(String what) throws InterruptedException { shared.awaitQuiet(log, what); }

  /** How many warnings and errors the servers logged (to the file kava-bench-logback.xml names). */
  private static String serverLogSummary() {
    Path file = Path.of(System.getProperty("kava.bench.log"));
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      long[] counts = new long[2];
      lines.forEach(l -> {
        if (l.length() > 13 && l.startsWith("WARN", 13)) counts[0]++;
        if (l.length() > 13 && l.startsWith("ERROR", 13)) counts[1]++;
      });
      return String.format(Locale.ROOT, "the servers logged %d errors and %d warnings (kava's log, in %s)", counts[1], counts[0], file);
    } catch (IOException | java.io.UncheckedIOException e) {
      return "server log: " + file + " (unreadable: " + e.getMessage() + ")";
    }
  }

  /** How much of the machine other processes took during a measurement (they compete for the same 2 cores). */
  private String foreignNote(double share) {
    if (Double.isNaN(share)) return "other processes' CPU: unknown";
    if (share > maxForeign) maxForeign = share;
    return String.format(Locale.ROOT, "other processes used %.0f%% of the CPUs", share * 100);
  }

  private double maxForeign;

  /** A mark on a figure measured while other processes took a tenth of the CPUs or more. */
  private static String busy(double share) {
    return share >= 0.10 ? String.format(Locale.ROOT, " (busy %.0f%%)", share * 100) : "";
  }

  private static Clients.Protocol proto(String p) { return p.equals("h2") ? Clients.Protocol.H2 : Clients.Protocol.H1; }

  private static String shorten(String cmd) {
    return cmd.replaceAll("-cp \\S+/kava-cli/target/kava-cli\\.jar:\\S+", "-cp kava-cli/target/kava-cli.jar:kava-cli/target/lib/*")
        .replaceAll("--data-dir \\S+", "--data-dir DIR").replaceAll("--port \\d+", "--port PORT")
        .replaceAll("^\\S+/bin/java", "java").replaceAll("-XX:AOTCache=\\S+/kava-cli/target/", "-XX:AOTCache=kava-cli/target/");
  }

  private void writeMarkdown(String started, String table, long totalMillis) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("Run ").append(started).append(" on ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (")
        .append(Machine.cpuModel()).append("), ").append(Machine.memory()).append(", JDK ").append(System.getProperty("java.version"))
        .append(", ").append(String.format(Locale.ROOT, "%.0f s", totalMillis / 1000.0)).append(" in all.\n\n");
    shared.appendCommandLine(md, null);
    md.append(String.format(Locale.ROOT, "Load: %d in flight (HTTP/1.1: %d keep-alive connections; HTTP/2: %d connection(s)), %s per "
            + "measurement after %s warm-up%s, %d client event loop(s); ConfigMaps of ~1 KB; ↑ higher is better, ↓ lower is better.%n%n",
        concurrency, concurrency, h2Connections, duration.toMillis() / 1000.0 + " s", warmup.toMillis() / 1000.0 + " s",
        count > 0 ? " (or " + count + " requests)" : "", clientThreads));
    md.append(table).append('\n');
    for (String c : report.ceilingLines()) md.append(c).append('\n');
    md.append('\n');
    for (String n : report.notes()) md.append(n).append('\n');
    shared.writeReport(log, md);
  }

  /** Parses 10s, 500ms, 2m, or a plain number of seconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String v) {
      String s = v.trim().toLowerCase(Locale.ROOT);
      if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      if (s.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      if (s.endsWith("m")) return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
      return Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
    }
  }
}
