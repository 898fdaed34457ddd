package io.kava.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.node.image.BusyboxImages;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kava images import} against a real containerd started here under a temp data dir. */
@Tag("e2e")
class ImagesImportE2ETest {
  @TempDir Path dataDir;
  Process containerd;
  Process registry;

  @AfterEach
  void stop() throws Exception {
    if (registry != null) {
      registry.destroy();
      registry.waitFor();
    }
    if (containerd != null) {
      containerd.destroy();
      if (!containerd.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) containerd.destroyForcibly().waitFor();
    }
  }

  static boolean onPath(String bin) {
    return List.of("/usr/bin/", "/usr/local/bin/", "/usr/sbin/", "/bin/").stream().anyMatch(d -> Files.isExecutable(Path.of(d + bin)));
  }

  @Test
  void importsABusyboxArchiveIntoK8sNamespace() throws Exception {
    Path busybox = requirements();

    Path socket = startContainerd();

    Path tar = dataDir.resolve("busybox.tar");
    try (OutputStream out = Files.newOutputStream(tar)) {
      BusyboxImages.busybox(busybox, "kava.local/imported:1").writeArchive(out);
    }
    ImagesCommandTest.Run r = ImagesCommandTest.kava("images", "import", tar.toString(), "--data-dir", dataDir.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("kava.local/imported:1");

    Process ls = new ProcessBuilder("ctr", "-a", socket.toString(), "-n", "k8s.io", "images", "ls", "-q").redirectErrorStream(true).start();
    String images = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ls.waitFor()).isZero();
    assertThat(images).contains("kava.local/imported:1");
  }

  static Path requirements() {
    assumeTrue("root".equals(System.getProperty("user.name")), "skipped: containerd needs root");
    assumeTrue(onPath("containerd") && onPath("ctr"), "skipped: install containerd (Debian package containerd)");
    Path busybox = BusyboxImages.findBusybox();
    assumeTrue(busybox != null, "skipped: install busybox-static");
    return busybox;
  }

  /** Starts containerd (CRI off: only images are needed) the way kava lays it out under the data dir. */
  Path startContainerd() throws Exception {
    Path dir = Files.createDirectories(dataDir.resolve("containerd"));
    Path socket = dir.resolve("containerd.sock");
    Files.writeString(dir.resolve("config.toml"), """
        version = 2
        root = "%s"
        state = "%s"
        disabled_plugins = ["io.containerd.grpc.v1.cri"]
        [grpc]
          address = "%s"
        [ttrpc]
          address = "%s.ttrpc"
        """.formatted(dir.resolve("root"), dir.resolve("state"), socket, socket));
    containerd = new ProcessBuilder("containerd", "--config", dir.resolve("config.toml").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (ImagesCommand.Import.probeSocket(socket) != null) {
      assertThat(containerd.isAlive()).as("containerd exited: %s", Files.readString(dir.resolve("containerd.log"))).isTrue();
      assertThat(Instant.now()).as("containerd socket within 60s").isBefore(deadline);
      Thread.sleep(100);
    }
    return socket;
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
    return out;
  }

  /**
   * registries.yaml in k3s's format, rendered into certs.d hosts.toml files, makes containerd pull
   * {@code docker.io/library/x} and {@code someuser/app} from a local plain-HTTP registry.
   */
  @Test
  void registriesYamlMirrorServesDockerHubNames() throws Exception {
    Path busybox = requirements();
    assumeTrue(onPath("docker-registry"), "skipped: install docker-registry");
    Path socket = startContainerd();
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) { port = s.getLocalPort(); }
    Path regDir = Files.createDirectories(dataDir.resolve("registry"));
    Files.writeString(regDir.resolve("config.yml"), """
        version: 0.1
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        """.formatted(regDir.resolve("data"), port));
    registry = new ProcessBuilder("docker-registry", "serve", regDir.resolve("config.yml").toString())
        .redirectErrorStream(true).redirectOutput(regDir.resolve("registry.log").toFile()).start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try (var s = new java.net.Socket("127.0.0.1", port)) { break; } catch (java.io.IOException notYet) {
        assertThat(registry.isAlive()).as("docker-registry exited: %s", Files.readString(regDir.resolve("registry.log"))).isTrue();
        assertThat(Instant.now()).isBefore(deadline);
        Thread.sleep(100);
      }
    }
    Path tar = dataDir.resolve("busybox.tar");
    try (OutputStream out = Files.newOutputStream(tar)) {
      BusyboxImages.busybox(busybox, "kava.local/imported:1").writeArchive(out);
    }
    String a = socket.toString();
    run("ctr", "-a", a, "-n", "k8s.io", "images", "import", tar.toString());
    for (String ref : List.of("library/busybox:mirror", "someuser/app:1")) {
      run("ctr", "-a", a, "-n", "k8s.io", "images", "tag", "kava.local/imported:1", "127.0.0.1:" + port + "/" + ref);
      run("ctr", "-a", a, "-n", "k8s.io", "images", "push", "--plain-http", "127.0.0.1:" + port + "/" + ref);
    }

    Path registriesYaml = Files.writeString(dataDir.resolve("registries.yaml"), """
        mirrors:
          docker.io:
            endpoint:
              - "http://127.0.0.1:%d"
        """.formatted(port));
    Path certs = dataDir.resolve("containerd/certs.d");
    io.kava.node.registry.RegistryHosts.write(io.kava.node.registry.RegistriesConfig.load(registriesYaml), certs);
    for (String ref : List.of("docker.io/library/busybox:mirror", "docker.io/someuser/app:1")) {
      String out = run("ctr", "-a", a, "-n", "k8s.io", "images", "pull", "--hosts-dir", certs.toString(), ref);
      assertThat(out).contains("done");
    }
    assertThat(run("ctr", "-a", a, "-n", "k8s.io", "images", "ls", "-q"))
        .contains("docker.io/library/busybox:mirror", "docker.io/someuser/app:1");
  }
}
