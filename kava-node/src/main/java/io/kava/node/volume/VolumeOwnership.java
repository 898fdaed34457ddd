package io.kava.node.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Applies a pod's {@code securityContext.fsGroup} to a volume as upstream's SetVolumeOwnership: every entry's
 * group becomes fsGroup (symlinks included, without following them); files gain group read (read-only volumes)
 * or read-write; directories also gain group execute and the setgid bit, so new files inherit the group.
 */
final class VolumeOwnership {
  private static final int RW_MASK = 0660;
  private static final int RO_MASK = 0440;
  private static final int EXEC_MASK = 0110;
  private static final int SETGID = 02000;

  private VolumeOwnership() {}

  static void apply(Path root, long fsGroup, boolean readOnly) throws IOException {
    try (var walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.setAttribute(p, "unix:gid", (int) fsGroup, LinkOption.NOFOLLOW_LINKS);
        if (Files.isSymbolicLink(p)) continue;
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        int mask = readOnly ? RO_MASK : RW_MASK;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) mask |= SETGID | EXEC_MASK;
        Files.setAttribute(p, "unix:mode", mode | mask, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }
}
