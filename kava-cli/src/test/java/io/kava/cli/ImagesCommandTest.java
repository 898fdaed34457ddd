package io.kava.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImagesCommandTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run kava(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(args.length > 0 ? args[0] : null);
    cl.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpNamesTheOptions() {
    Run r = kava("images", "import", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage: kava images import", "FILE.tar", "--data-dir", "--container-runtime-endpoint", "--base-name");
    assertThat(kava("images", "--help").out()).contains("import");
  }

  @Test
  void missingArchive() {
    Run r = kava("images", "import", dir.resolve("nope.tar").toString(), "--data-dir", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("nope.tar: no such file");
  }

  @Test
  void containerdNotRunningIsAClearError() throws Exception {
    Path tar = Files.writeString(dir.resolve("img.tar"), "x");
    Run r = kava("images", "import", tar.toString(), "--data-dir", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("containerd is not running at " + dir.resolve("containerd/containerd.sock") + " (no socket)",
        "start `kava server`", "--container-runtime-endpoint");
    Path stale = Files.createDirectories(dir.resolve("run")).resolve("c.sock");
    try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      ch.bind(java.net.UnixDomainSocketAddress.of(stale));
    } // closed: the socket file stays, nobody listens
    Run r2 = kava("images", "import", tar.toString(), "--container-runtime-endpoint", "unix://" + stale);
    assertThat(r2.err()).contains("containerd is not running at " + stale + " (connection refused)");
  }
}
