package io.kava.testing.e2e.node;

import io.kava.node.containerd.Prerequisites;
import io.kava.node.image.BusyboxImages;
import io.kava.node.image.OciImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local OCI registry for node tests: Debian's {@code docker-registry} on a free loopback port with a temporary
 * storage dir, and {@link #push} to put an image built with {@link OciImage} into it (through skopeo). containerd
 * pulls 127.0.0.1 registries over plain HTTP.
 */
final class LocalRegistry implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Process process;

  private LocalRegistry(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** What is missing to run it (empty when docker-registry and skopeo are installed). */
  static List<String> missing() {
    List<String> out = new ArrayList<>();
    if (Prerequisites.find("docker-registry") == null) out.add("docker-registry (apt-get install docker-registry)");
    if (Prerequisites.find("skopeo") == null) out.add("skopeo (apt-get install skopeo)");
    if (BusyboxImages.findBusybox() == null) out.add("busybox (apt-get install busybox-static)");
    return out;
  }

  static LocalRegistry start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("kava-registry-");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("config.yml");
    Files.writeString(config, """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
        """.formatted(dir.resolve("data"), port));
    Process p = new ProcessBuilder(Prerequisites.find("docker-registry").toString(), "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    LocalRegistry r = new LocalRegistry(dir, port, p);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return r;
      } catch (IOException e) {
        if (!p.isAlive() || System.nanoTime() > end) {
          r.close();
          throw new IOException("docker-registry did not start: " + e.getMessage());
        }
        Thread.sleep(100);
      }
    }
  }

  /** host:port, the prefix of image names in this registry. */
  String host() { return "127.0.0.1:" + port; }

  /** Pushes the image (named {@code host()/repo:tag}) with skopeo. */
  void push(OciImage image) throws IOException, InterruptedException {
    Path layout = Files.createTempDirectory(dir, "oci-");
    image.writeLayout(layout);
    String ref = image.name().substring(host().length() + 1);
    Process p = new ProcessBuilder(Prerequisites.find("skopeo").toString(), "--insecure-policy", "copy", "oci:" + layout + ":" + image.tag(),
        "docker://" + host() + "/" + ref, "--dest-tls-verify=false").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IOException("skopeo copy failed: " + out);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
