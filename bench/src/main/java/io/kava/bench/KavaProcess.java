package io.kava.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kava server} in a child JVM, started as bin/kava starts it (its JVM flags, its AOT cache when one was trained
 * for this class path), so its memory is its own and can be read from /proc and jstat while the load generator runs in
 * this JVM.
 */
final class KavaProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final Endpoint endpoint;
  private final Path kubeconfig;
  private final List<String> command;

  private KavaProcess(Process process, Path log, Endpoint endpoint, Path kubeconfig, List<String> command) {
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
    this.kubeconfig = kubeconfig;
    this.command = command;
  }

  /**
   * Starts kava and waits until /readyz answers 200.
   *
   * @param serverArgs more {@code kava server} arguments, e.g. {@code --sim-nodes 5000}
   */
  static KavaProcess start(Vertx vertx, Path kavaHome, String store, List<String> jvmArgs, List<String> serverArgs, Path dir)
      throws IOException, InterruptedException {
    StartupBench.Launch base = StartupBench.kava(kavaHome, store, jvmArgs);
    StartupBench.Launch launch = new StartupBench.Launch(base.target(), base.jvmArgs(), base.classpath(), base.mainClass(), base.tls(),
        base.readyPath(), (d, port) -> {
          List<String> a = new ArrayList<>(base.args().of(d, port));
          a.addAll(serverArgs);
          return a;
        });
    Path dataDir = dir.resolve("data");
    int port = StartupBench.freePort();
    List<String> cmd = StartupBench.command(launch, dataDir, port);
    Path log = dir.resolve("kava.log");
    Process p = StartupBench.start(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()));
    HttpClientAgent probe = StartupBench.probe(vertx, launch);
    try {
      // generous: on a busy shared machine a start can take a minute
      StartupBench.awaitReady(probe, port, launch.readyPath(), p, System.nanoTime(), 600);
    } catch (IllegalStateException e) {
      p.destroyForcibly();
      throw new IllegalStateException(e.getMessage() + "; log: " + log);
    } finally {
      probe.close().await();
    }
    Path kubeconfig = dataDir.resolve("kubeconfig.yaml");
    KubeconfigCredentials creds = KubeconfigCredentials.read(kubeconfig);
    URI url = URI.create(creds.server());
    Endpoint ep = new Endpoint(url.getHost(), port, true,
        new PemKeyCertOptions().addCertValue(Buffer.buffer(creds.certPem())).addKeyValue(Buffer.buffer(creds.keyPem())),
        new PemTrustOptions().addCertValue(Buffer.buffer(creds.caPem())), true, false);
    return new KavaProcess(p, log, ep, kubeconfig, cmd);
  }

  Endpoint endpoint() { return endpoint; }

  Path kubeconfig() { return kubeconfig; }

  Path log() { return log; }

  long pid() { return process.pid(); }

  List<String> command() { return command; }

  boolean alive() { return process.isAlive(); }

  /** Waits until the server's log has a line matching {@code regex}; false on timeout or exit. */
  boolean awaitLog(String regex, long timeout, TimeUnit unit) throws IOException, InterruptedException {
    Pattern p = Pattern.compile(regex);
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (p.matcher(Files.readString(log, StandardCharsets.UTF_8)).find()) return true;
      Thread.sleep(250);
    }
    return false;
  }

  /** Heap in use after a full collection, and the resident set, of the child JVM. */
  record Memory(long heapUsedBytes, long heapCommittedBytes, long rssBytes) {
    String describe() {
      return String.format(Locale.ROOT, "heap %.0f MiB used after full GC (%.0f MiB committed), RSS %.0f MiB",
          heapUsedBytes / 1048576.0, heapCommittedBytes / 1048576.0, rssBytes / 1048576.0);
    }
  }

  /** Runs a full GC in the child (jcmd GC.run), then reads its heap (jcmd GC.heap_info) and VmRSS. */
  Memory memory() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    run(List.of(jcmd.toString(), Long.toString(pid()), "GC.run"));
    String info = run(List.of(jcmd.toString(), Long.toString(pid()), "GC.heap_info"));
    long[] heap = heapInfo(info);
    return new Memory(heap[0], heap[1], StartupBench.statusKb(pid(), "VmRSS") * 1024);
  }

  /** The first {@code lines} lines of {@code jcmd PID GC.class_histogram} (classes by heap taken, after a full GC). */
  String histogram(int lines) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String all = run(List.of(jcmd.toString(), Long.toString(pid()), "GC.class_histogram"));
    return all.lines().limit(lines).collect(java.util.stream.Collectors.joining("\n"));
  }

  /** {used, committed} bytes from the output of {@code jcmd PID GC.heap_info}. */
  static long[] heapInfo(String info) {
    long used = 0;
    long committed = 0;
    // Serial (JDK 25): "DefNew     total 116160K, used 31009K [...]" and "Tenured    total 258048K, used 1166K [...]";
    // G1: "garbage-first heap   total reserved 6172672K, committed 458752K, used 150448K [...]"
    Matcher m = Pattern.compile("(?m)^\\s*(?:DefNew|Tenured|def new generation|tenured generation|PSYoungGen|ParOldGen|garbage-first heap|ZHeap)"
        + "\\s+total (?:reserved \\d+K, committed )?(\\d+)K, used (\\d+)K").matcher(info);
    while (m.find()) {
      committed += Long.parseLong(m.group(1)) * 1024;
      used += Long.parseLong(m.group(2)) * 1024;
    }
    if (committed == 0) throw new IllegalStateException("jcmd GC.heap_info printed nothing readable: " + info);
    return new long[] {used, committed};
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(120, TimeUnit.SECONDS);
    return out;
  }

  /** A request with the admin credentials. */
  static LoadRunner.Reply call(HttpClientAgent client, HttpMethod method, String uri, String contentType, Buffer body) {
    return Api.send(client, method, uri, body, contentType).await();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
