package io.kava.node.volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The host mounts volumes need: tmpfs for memory-backed emptyDir and secret/projected volumes. */
public interface Mounter {
  /** Mounts a tmpfs on {@code target} (an existing directory), {@code sizeBytes <= 0} meaning the kernel default. */
  void mountTmpfs(Path target, long sizeBytes) throws IOException;

  /** Unmounts {@code target}. */
  void unmount(Path target) throws IOException;

  /** Mount points at or below {@code dir}, deepest first (the order to unmount them). */
  List<Path> mountPointsUnder(Path dir) throws IOException;
}
