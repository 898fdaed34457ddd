package io.kava.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Start-up time and idle memory of a server in a child JVM: spawn → first successful readiness probe, for a first start
 * (empty data directory: certificates are generated) and a restart (same directory), then the child's resident set
 * after it has been idle for a while.
 */
final class StartupBench {
  /**
   * @param cpuToReady CPU time (user + system, all threads) the child had used when it was first seen ready, restarts
   * @param jvmReported the server's own "ready ... (N ms since JVM start)" of the restarts (kava only; empty otherwise)
   */
  record Result(String target, Samples firstStart, Samples restart, Samples cpuToReady, Samples listeningToReady, long rssKb,
                long idleSeconds, Samples jvmReported, List<String> command, String error) {}

  /** What to launch: the command for a data dir and port, and the path that answers 200 once it is ready. */
  record Launch(String target, List<String> jvmArgs, String classpath, String mainClass, boolean tls, String readyPath,
                Args args) {}

  interface Args {
    List<String> of(Path dataDir, int port);
  }

  /** The same launch with more JVM options. */
  static Launch withJvmArgs(Launch l, List<String> more) {
    List<String> jvm = new ArrayList<>(l.jvmArgs());
    jvm.addAll(more);
    return new Launch(l.target(), jvm, l.classpath(), l.mainClass(), l.tls(), l.readyPath(), l.args());
  }

  /**
   * A training run for the JDK's ahead-of-time cache (JEP 483/514, JDK 25): starts the server with
   * {@code -XX:AOTCacheOutput}, waits until it is ready and has idled a little, stops it; the JVM writes the cache as
   * it exits. Returns the cache file, or null when the JDK made none.
   */
  static Path trainAotCache(Vertx vertx, Launch launch, Path workDir) throws IOException, InterruptedException {
    Path aot = workDir.resolve(launch.target() + ".aot");
    Path dir = Files.createTempDirectory(workDir, launch.target() + "-aot-");
    int port = freePort();
    List<String> cmd = command(withJvmArgs(launch, List.of("-XX:AOTCacheOutput=" + aot, "-Xlog:aot=off,cds=off")), dir.resolve("data"), port);
    Path log = dir.resolve("training.log");
    Process p = start(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()));
    HttpClientAgent probe = probe(vertx, launch);
    try {
      awaitReady(probe, port, launch.readyPath(), p, System.nanoTime());
      Thread.sleep(3000); // let background start-up work (OpenAPI, informers) run in the training too
    } finally {
      probe.close().await();
      p.destroy();
      if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(); // writing the cache takes a while
    }
    return Files.isRegularFile(aot) ? aot : null;
  }

  static List<String> command(Launch launch, Path dataDir, int port) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(launch.jvmArgs());
    cmd.add("-cp");
    cmd.add(launch.classpath());
    cmd.add(launch.mainClass());
    cmd.addAll(launch.args().of(dataDir, port));
    return cmd;
  }

  static HttpClientAgent probe(Vertx vertx, Launch launch) {
    return vertx.createHttpClient(new HttpClientOptions().setSsl(launch.tls()).setTrustAll(true).setVerifyHost(false)
        .setKeepAlive(false).setConnectTimeout(1000), new PoolOptions().setHttp1MaxSize(1));
  }

  /** Children still running: stopped if the benchmark itself is stopped (Ctrl-C) while one runs. */
  private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kava-bench-children"));
  }

  /** Environment defaults {@code bin/kava} exports (e.g. MALLOC_ARENA_MAX), applied to every child like its flags. */
  private static volatile java.util.Map<String, String> launcherEnv = java.util.Map.of();

  private static final Pattern EXPORT_DEFAULT = Pattern.compile("(?m)^export (\\w+)=\"\\$\\{\\1:-([^}]*)}\"");

  /** The {@code export NAME="${NAME:-VALUE}"} defaults of the launcher script. */
  static java.util.Map<String, String> launcherEnv(Path launcher) {
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    try {
      Matcher m = EXPORT_DEFAULT.matcher(Files.readString(launcher, StandardCharsets.UTF_8));
      while (m.find()) env.put(m.group(1), m.group(2));
    } catch (IOException e) {
      return java.util.Map.of();
    }
    return env;
  }

  static Process start(ProcessBuilder pb) throws IOException {
    launcherEnv.forEach(pb.environment()::putIfAbsent);
    Process p = pb.start();
    LIVE.add(p);
    p.onExit().thenRun(() -> LIVE.remove(p));
    return p;
  }

  private static final Pattern JVM_REPORTED = Pattern.compile("\\((\\d+) ms since JVM start\\)");

  private StartupBench() {}

  /** bin/kava's JVM flags when it cannot be read. */
  static final List<String> DEFAULT_KAVA_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms32m", "-XX:SurvivorRatio=4", "-Xss512k",
      "--enable-native-access=ALL-UNNAMED");

  static Launch kava(Path kavaHome, String store, List<String> extraJvmArgs) { return kava(kavaHome, store, extraJvmArgs, List.of()); }

  /** {@code serverArgs} go after {@code kava server}'s own (for example {@code --runtime none}: the control plane alone). */
  static Launch kava(Path kavaHome, String store, List<String> extraJvmArgs, List<String> serverArgs) {
    Path cli = kavaHome.resolve("kava-cli/target");
    Path jar = cli.resolve("kava-cli.jar");
    if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar + " is missing: build kava first (bin/build)");
    List<String> jvm = new ArrayList<>(launcherFlags(kavaHome.resolve("bin/kava")));
    launcherEnv = launcherEnv(kavaHome.resolve("bin/kava"));
    Path aot = cli.resolve("kava.aot");
    if (Files.isRegularFile(aot)) jvm.add("-XX:AOTCache=" + aot);
    jvm.addAll(extraJvmArgs);
    String cp = jar + File.pathSeparator + cli.resolve("lib") + File.separator + "*";
    return new Launch("kava-" + store, jvm, cp, "io.kava.cli.Main", true, "/readyz",
        (dir, port) -> {
          List<String> args = new ArrayList<>(List.of("server", "--data-dir", dir.toString(), "--port", Integer.toString(port), "--store", store));
          args.addAll(serverArgs);
          return args;
        });
  }

  /**
   * The fixed JVM flags of the launcher's {@code exec "$JAVA" ...} command (-X..., --enable-native-access), so the
   * start-up runs use what {@code bin/kava} uses; the defaults when the script is missing or reads differently.
   */
  static List<String> launcherFlags(Path launcher) {
    try {
      String text = Files.readString(launcher, StandardCharsets.UTF_8);
      int exec = text.indexOf("exec \"$JAVA\"");
      int main = exec < 0 ? -1 : text.indexOf("io.kava.cli.Main", exec);
      if (main < 0) return DEFAULT_KAVA_JVM_FLAGS;
      List<String> flags = new ArrayList<>();
      for (String token : text.substring(exec, main).split("[\\s\\\\]+")) {
        if ((token.startsWith("-X") || token.startsWith("--enable-native-access")) && !token.contains("$")) flags.add(token);
      }
      return flags.isEmpty() ? DEFAULT_KAVA_JVM_FLAGS : flags;
    } catch (IOException e) {
      return DEFAULT_KAVA_JVM_FLAGS;
    }
  }

  static Launch mock(boolean tls, List<String> extraJvmArgs) {
    List<String> jvm = new ArrayList<>(DEFAULT_KAVA_JVM_FLAGS); // the same treatment as kava
    jvm.addAll(extraJvmArgs);
    return new Launch("mock", jvm, System.getProperty("java.class.path"), MockServerMain.class.getName(), tls,
        "/api/v1/namespaces/default/configmaps", (dir, port) -> List.of(Integer.toString(port), Boolean.toString(tls)));
  }

  static Result run(Vertx vertx, Launch launch, int runs, int idleSeconds, Path workDir) throws IOException, InterruptedException {
    Samples first = new Samples();
    Samples restart = new Samples();
    Samples cpu = new Samples();
    Samples listeningToReady = new Samples();
    long rss = -1;
    Samples reported = new Samples();
    List<String> shownCommand = List.of();
    HttpClientAgent probe = probe(vertx, launch);
    try {
      for (int r = 0; r < runs; r++) {
        Path dir = Files.createTempDirectory(workDir, launch.target() + "-");
        for (int phase = 0; phase < 2; phase++) {
          boolean last = r == runs - 1 && phase == 1;
          int port = freePort();
          List<String> cmd = command(launch, dir.resolve("data"), port);
          shownCommand = cmd;
          Path log = dir.resolve("server-" + phase + ".log");
          ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
          long t0 = System.nanoTime();
          Process p = start(pb);
          try {
            long listening = awaitListening(port, p, t0);
            long ready = awaitReady(probe, port, launch.readyPath(), p, t0, 300); // a busy shared machine can take minutes
            (phase == 0 ? first : restart).add(ready - t0);
            if (phase == 1) listeningToReady.add(ready - listening);
            if (phase == 1) cpu.add(cpuNanos(p.pid()));
            Matcher m = JVM_REPORTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (phase == 1 && m.find()) reported.add(TimeUnit.MILLISECONDS.toNanos(Long.parseLong(m.group(1))));
            if (last) {
              Thread.sleep(idleSeconds * 1000L);
              rss = statusKb(p.pid(), "VmRSS");
            }
          } catch (IllegalStateException e) {
            String tail = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            return new Result(launch.target(), first, restart, cpu, listeningToReady, rss, idleSeconds, reported, shownCommand,
                e.getMessage() + (tail.isEmpty() ? "" : "\n" + tail.substring(Math.max(0, tail.length() - 2000))));
          } finally {
            stop(p);
          }
        }
        deleteTree(dir);
      }
    } finally {
      probe.close().await();
    }
    return new Result(launch.target(), first, restart, cpu, listeningToReady, rss, idleSeconds, reported, shownCommand, null);
  }

  /** The moment the port accepts a TCP connection (no TLS, no request). */
  private static long awaitListening(int port, Process p, long t0) throws InterruptedException {
    long deadline = t0 + TimeUnit.SECONDS.toNanos(300);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) throw new IllegalStateException("the server exited with " + p.exitValue() + " before it listened");
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
        return System.nanoTime();
      } catch (IOException notYet) {
        Thread.sleep(2);
      }
    }
    throw new IllegalStateException("not listening after 300 s");
  }

  static long awaitReady(HttpClientAgent probe, int port, String path, Process p, long t0) throws InterruptedException {
    return awaitReady(probe, port, path, p, t0, 60);
  }

  static long awaitReady(HttpClientAgent probe, int port, String path, Process p, long t0, int seconds) throws InterruptedException {
    long deadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) throw new IllegalStateException("the server exited with " + p.exitValue() + " before it was ready");
      try {
        int status = probe.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(path)
                .setIdleTimeout(5000))
            .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode())).await();
        if (status == 200) return System.nanoTime();
      } catch (Exception notYet) {
        // connection refused: not listening yet
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("not ready after " + seconds + " s");
  }

  /** utime + stime of a process, from /proc/PID/stat (in ticks of 10 ms). */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] s = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
      return (Long.parseLong(s[11]) + Long.parseLong(s[12])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(15, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(15, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  static void deleteTree(Path dir) {
    unmountUnder(dir);
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }

  /**
   * A server run as root with its node makes its data dir a shared mount onto itself and keeps it after it stops (as
   * the kubelet keeps its root dir's); the bench leaves nothing mounted behind it (hundreds of runs made hundreds).
   */
  static void unmountUnder(Path dir) {
    String prefix = dir.toAbsolutePath().normalize() + "/";
    List<String> mounts = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (f.length > 4 && (f[4] + "/").startsWith(prefix)) mounts.add(f[4]);
      }
      mounts.sort(Comparator.reverseOrder());
      for (String m : mounts) {
        Process p = new ProcessBuilder("umount", "-l", m).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
      }
    } catch (IOException e) {
      // not Linux, or no umount: nothing the bench mounted can be there either
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
