package io.kava.node.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Images made from the host's static busybox (Debian's busybox-static), so that nothing has to come from the
 * internet: the sandbox ("pause") image every pod starts with, and a small general-purpose image for tests and
 * demos (sh, httpd, wget, nc … as links to /bin/busybox).
 */
public final class BusyboxImages {
  private BusyboxImages() {}

  public static final String PAUSE_IMAGE = "kava.local/pause:1";
  public static final List<Path> BUSYBOX_CANDIDATES = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));

  /**
   * The sandbox image: it only holds the pod's namespaces open. A shell as PID 1 gets only the signals it handles, so
   * the loop traps TERM and INT and exits at once when the pod is stopped.
   */
  public static OciImage pause(Path busybox) throws IOException {
    return OciImage.builder(PAUSE_IMAGE)
        .file("/bin/busybox", 0755, Files.readAllBytes(busybox))
        .directory("/tmp")
        .entrypoint(List.of("/bin/busybox", "sh", "-c", "trap 'exit 0' TERM INT; while :; do /bin/busybox sleep 3600 & wait $!; done"))
        .build();
  }

  /** busybox with every applet linked in /bin; no entrypoint; cmd {@code sh}. */
  public static OciImage busybox(Path busybox, String name) throws IOException {
    OciImage.Builder b = OciImage.builder(name).file("/bin/busybox", 0755, Files.readAllBytes(busybox));
    for (String applet : applets(busybox)) {
      if (!applet.equals("busybox")) b.symlink("/bin/" + applet, "busybox");
    }
    return b.directory("/tmp").directory("/etc").directory("/var/www").directory("/root").cmd(List.of("sh")).build();
  }

  /** The first busybox found on this host, or null. */
  public static Path findBusybox() {
    for (Path p : BUSYBOX_CANDIDATES) if (Files.isExecutable(p)) return p;
    return null;
  }

  static List<String> applets(Path busybox) throws IOException {
    Process p = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(busybox + " --list failed: " + out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    List<String> names = new ArrayList<>();
    for (String l : out.split("\n")) if (!l.isBlank() && !l.contains("/")) names.add(l.trim());
    return names;
  }
}
