package io.kava.node.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Mounter} through mount(8) and umount(8), reading mount points from {@code /proc/self/mountinfo}.
 * Needs root (CAP_SYS_ADMIN), as the node agent does anyway.
 */
public final class SystemMounter implements Mounter {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  @Override
  public void mountTmpfs(Path target, long sizeBytes) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("mount", "-t", "tmpfs"));
    if (sizeBytes > 0) cmd.addAll(List.of("-o", "size=" + sizeBytes));
    cmd.addAll(List.of("tmpfs", target.toString()));
    run(cmd);
  }

  @Override
  public void unmount(Path target) throws IOException {
    run(List.of("umount", target.toString()));
  }

  @Override
  public List<Path> mountPointsUnder(Path dir) throws IOException {
    return mountPointsUnder(Files.readString(MOUNTINFO), dir);
  }

  /** Mount points of a mountinfo text at or below {@code dir}, deepest first. */
  static List<Path> mountPointsUnder(String mountinfo, Path dir) {
    Path base = dir.toAbsolutePath().normalize();
    List<Path> found = new ArrayList<>();
    for (String line : mountinfo.split("\n")) {
      String[] f = line.split(" ");
      if (f.length < 5) continue;
      Path p = Path.of(unescape(f[4]));
      if (p.startsWith(base) && !found.contains(p)) found.add(p);
    }
    found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return found;
  }

  /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static void run(List<String> cmd) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(cmd.getFirst() + " could not be run (install util-linux's mount): " + e.getMessage(), e);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish within 60s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + String.join(" ", cmd), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out);
    }
  }
}
