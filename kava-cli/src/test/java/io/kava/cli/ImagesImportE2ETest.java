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

  @AfterEach
  void stop() throws Exception {
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
    assumeTrue("root".equals(System.getProperty("user.name")), "skipped: containerd needs root");
    assumeTrue(onPath("containerd") && onPath("ctr"), "skipped: install containerd (Debian package containerd)");
    Path busybox = BusyboxImages.findBusybox();
    assumeTrue(busybox != null, "skipped: install busybox-static");

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
}
