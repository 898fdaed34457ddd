package io.kava.testing;

import io.kava.cli.KavaServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A kava cluster started inside the test JVM on a free port with a fresh data directory, removed on close.
 *
 * <pre>{@code
 * try (KavaCluster cluster = KavaCluster.start()) {
 *   Kubectl kubectl = Kubectl.of("1.33", cluster.kubeconfig());
 * }
 * }</pre>
 */
public final class KavaCluster implements AutoCloseable {
  private final Path dataDir;
  private final KavaServer server;

  private KavaCluster(Path dataDir, KavaServer server) {
    this.dataDir = dataDir;
    this.server = server;
  }

  public static KavaCluster start() { return start(KavaServer.StoreKind.MEMORY); }

  public static KavaCluster start(KavaServer.StoreKind store) { return start(store, s -> s); }

  /** A cluster whose server is adjusted by {@code configure} (e.g. controller settings) before it starts. */
  public static KavaCluster start(KavaServer.StoreKind store, UnaryOperator<KavaServer> configure) {
    try {
      Path dir = Files.createTempDirectory("kava-test-");
      KavaServer server = configure.apply(new KavaServer(KavaServer.Options.defaults(dir).withPort(0).withStore(store))).start();
      return new KavaCluster(dir, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path kubeconfig() { return server.kubeconfig(); }

  public Path dataDir() { return dataDir; }

  public String url() { return server.url(); }

  public KavaServer server() { return server; }

  public Kubectl kubectl(String version) { return Kubectl.of(version, kubeconfig()); }

  @Override
  public void close() {
    server.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
