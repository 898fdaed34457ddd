package io.kava.node.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathTypeTest {
  @TempDir Path dir;

  @Test
  void directoryOrCreateMakesParentsAndChecksKind() throws Exception {
    Path p = dir.resolve("a/b");
    HostPathType.check(p, "DirectoryOrCreate");
    assertThat(p).isDirectory();
    assertThat(AtomicWriter.mode(p)).isEqualTo(0755);
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertThatThrownBy(() -> HostPathType.check(file, "DirectoryOrCreate"))
        .hasMessage("hostPath type check failed: " + file + " is not a directory");
    assertThatThrownBy(() -> HostPathType.check(dir.resolve("missing"), "Directory"))
        .hasMessage("hostPath type check failed: " + dir.resolve("missing") + " is not a directory");
  }

  @Test
  void fileOrCreateAndFile() throws Exception {
    Path p = dir.resolve("new");
    HostPathType.check(p, "FileOrCreate");
    assertThat(p).isRegularFile();
    assertThat(AtomicWriter.mode(p)).isEqualTo(0644);
    HostPathType.check(p, "File");
    assertThatThrownBy(() -> HostPathType.check(dir, "File")).hasMessage("hostPath type check failed: " + dir + " is not a file");
    assertThatThrownBy(() -> HostPathType.check(dir.resolve("nope/x"), "FileOrCreate")).hasMessageContaining("no such file or directory");
  }

  @Test
  void socketAndDevices() throws Exception {
    Path sock = dir.resolve("s.sock");
    try (var ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(sock));
      HostPathType.check(sock, "Socket");
    }
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertThatThrownBy(() -> HostPathType.check(file, "Socket")).hasMessage("hostPath type check failed: " + file + " is not a socket file");
    HostPathType.check(Path.of("/dev/null"), "CharDevice");
    assertThatThrownBy(() -> HostPathType.check(Path.of("/dev/null"), "BlockDevice"))
        .hasMessage("hostPath type check failed: /dev/null is not a block device");
    assertThatThrownBy(() -> HostPathType.check(file, "CharDevice")).hasMessage("hostPath type check failed: " + file + " is not a character device");
    assertThatThrownBy(() -> HostPathType.check(file, "Weird")).hasMessage("Weird is an invalid volume type");
    HostPathType.check(dir.resolve("anything"), ""); // no type: no check
  }
}
