package io.kava.testing.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code kava server} in a child JVM (same class path), for tests that kill or restart the process. */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ServerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ServerProcess start(Path dataDir, int port) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = Files.createTempFile(dataDir.getParent(), "kava-server-", ".log");
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "io.kava.cli.Main", "server",
        "--data-dir", dataDir.toString(), "--port", Integer.toString(port), "--store", "sqlite",
        // the store is under test, not a node: a killed server would leave its containerd behind
        "--runtime", "none"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) throw new IllegalStateException("kava server exited early:\n" + Files.readString(log));
      if (Files.readString(log).contains("kava is ready")) return new ServerProcess(p, log);
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new IllegalStateException("kava server did not become ready in 60 s:\n" + Files.readString(log));
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill9() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String log() throws IOException { return Files.readString(log); }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }
}
