package io.kava.node.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerdLogTest {
  @Test
  void theLastLineOfItsLogSaysWhyContainerdExited(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("containerd.log");
    assertThat(Containerd.lastLine(log)).as("no log yet").isEmpty();
    Files.writeString(log, "level=info msg=\"loading plugin\"\n".repeat(200)
        + "containerd: failed to get listener for main ttrpc endpoint: unix socket path too long (> 104)\n\n");
    assertThat(Containerd.lastLine(log)).isEqualTo("containerd: failed to get listener for main ttrpc endpoint: unix socket path too long (> 104)");
    Files.writeString(log, "x".repeat(1000));
    assertThat(Containerd.lastLine(log)).hasSize(301).endsWith("…");
  }
}
