package io.kava.node.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Mount propagation needs the source of a volume to sit on a shared mount: containerd refuses a HostToContainer
 * mount whose source is on a private mount ("not a shared or slave mount") and a Bidirectional one unless it is
 * shared. Where systemd runs, {@code /} is shared; elsewhere (this VM, many containers) it is private. The kubelet
 * therefore makes its root directory a shared mount of its own at start (bind-mounted onto itself, then
 * {@code --make-rshared}), and kava does the same with the node's data dir, under which all pod volumes live.
 */
public final class SharedMounts {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private SharedMounts() {}

  /**
   * Makes {@code dir} a shared mount unless the mount it is on already is.
   *
   * @return true when it bind-mounted {@code dir} onto itself (so that whoever stops the node may undo it)
   */
  public static boolean makeRShared(Path dir) throws IOException {
    Path real = dir.toRealPath();
    if (isShared(Files.readString(MOUNTINFO), real)) return false;
    run("mount", "--bind", real.toString(), real.toString());
    run("mount", "--make-rshared", real.toString());
    return true;
  }

  /** Undoes {@link #makeRShared}: a lazy unmount, as mounts made below it may still be held by exiting processes. */
  public static void unmount(Path dir) throws IOException { run("umount", "-l", dir.toRealPath().toString()); }

  /** Whether the mount that holds {@code path} (the last-mounted one with the longest mount point above it) is shared. */
  static boolean isShared(String mountinfo, Path path) {
    String[] best = null;
    int bestDepth = -1;
    for (String line : mountinfo.split("\n")) {
      String[] f = line.split(" ");
      if (f.length < 7) continue;
      Path mountPoint = Path.of(SystemMounter.unescape(f[4]));
      if (!path.startsWith(mountPoint)) continue;
      int depth = mountPoint.getNameCount();
      if (depth >= bestDepth) { // a later mount on the same point hides the earlier one
        best = f;
        bestDepth = depth;
      }
    }
    if (best == null) return false;
    // Optional fields run from the seventh field to the "-" separator: "shared:N", "master:N", ...
    for (int i = 6; i < best.length && !best[i].equals("-"); i++) if (best[i].startsWith("shared:")) return true;
    return false;
  }

  private static void run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish within 30s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", cmd), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out);
  }
}
