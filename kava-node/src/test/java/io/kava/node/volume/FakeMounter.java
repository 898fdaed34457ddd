package io.kava.node.volume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records tmpfs mounts instead of making them (tests run without root). */
final class FakeMounter implements Mounter {
  final Map<Path, Long> mounted = new LinkedHashMap<>();
  final List<Path> unmounted = new ArrayList<>();

  @Override public void mountTmpfs(Path target, long sizeBytes) { mounted.put(target.toAbsolutePath().normalize(), sizeBytes); }
  @Override public void unmount(Path target) { mounted.remove(target); unmounted.add(target); }
  @Override public List<Path> mountPointsUnder(Path dir) {
    Path base = dir.toAbsolutePath().normalize();
    return mounted.keySet().stream().filter(p -> p.startsWith(base))
        .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
  }
}
