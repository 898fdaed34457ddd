package io.kava.testing;

import io.kava.cli.KavaServer;
import io.kava.node.agent.NodeAgent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 *
 * By default the cluster has no node (fast; the suites about the API and controllers need none).
 * {@link #startWithContainerdNode()} adds a real node running containers through its own containerd; it needs root,
 * containerd, runc and the CNI plugins ({@link io.kava.node.containerd.Prerequisites#problems} says what is missing).
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

  /** The name of the node of {@link #startWithContainerdNode()}. */
  public static final String NODE_NAME = "kava-e2e-node";

  /**
   * A cluster with one real node (containerd under the data dir, pods in a /24 of 10.245.0.0/16 picked per cluster so
   * that two test clusters on one machine do not share routes); its pods, containerd, cgroups and bridge are removed
   * on close.
   */
  public static KavaCluster startWithContainerdNode() { return startWithContainerdNode(UnaryOperator.identity()); }

  /** As {@link #startWithContainerdNode()}, with the node's options adjusted by {@code node} (e.g. its pod pids limit). */
  public static KavaCluster startWithContainerdNode(UnaryOperator<NodeAgent.Options> nodeOptions) {
    try {
      Path dir = Files.createTempDirectory("kava-test-");
      int subnet = Math.floorMod(dir.toString().hashCode(), 250) + 1;
      NodeAgent.Options node = nodeOptions.apply(NodeAgent.Options.defaults(dir).withNodeName(NODE_NAME).withPodCidr("10.245." + subnet + ".0/24")
          .withRemovePodsOnClose(true)
          .withStreamingPort(0));
      KavaServer server;
      try {
        server = new KavaServer(KavaServer.Options.defaults(dir).withPort(0).withStore(KavaServer.StoreKind.MEMORY)).node(node).start();
      } catch (RuntimeException e) {
        deleteTree(dir);
        throw e;
      }
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
    deleteTree(dataDir);
  }

  /**
   * Removes the data dir. A node's containerd may leave mounts below it (a container's rootfs, a sandbox's shm) if a
   * pod could not be removed; those are unmounted first, so that deleting never walks into a mounted file system.
   */
  private static void deleteTree(Path dataDir) {
    List<String> mounts = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 1 && (f[1] + "/").startsWith(dataDir.toAbsolutePath() + "/")) mounts.add(f[1].replace("\\040", " "));
      }
    } catch (IOException e) {
      // not Linux: nothing is mounted there
    }
    mounts.sort(Comparator.reverseOrder());
    for (String m : mounts) {
      try {
        new ProcessBuilder("umount", "-l", m).redirectErrorStream(true).start().waitFor();
      } catch (IOException | InterruptedException e) {
        return; // leave the directory rather than delete through a mount
      }
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
