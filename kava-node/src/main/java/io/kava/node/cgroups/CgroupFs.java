package io.kava.node.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's cgroup file system as the cgroupfs driver uses it (kava runs runc with {@code SystemdCgroup = false}:
 * there may be no systemd). Cgroups are named by absolute paths ({@code /kava-1a2b/kubepods/burstable/pod<uid>}),
 * the same in every hierarchy, as the CRI's {@code cgroup_parent} names them. Two layouts:
 * <ul>
 *   <li>{@link V1}: one hierarchy per controller ({@code /sys/fs/cgroup/memory/...}), also on hybrid hosts whose
 *       cgroup2 mount holds no controllers (runc uses v1 there, and so does kava);</li>
 *   <li>{@link V2}: the unified hierarchy, controllers enabled from the parent's {@code cgroup.subtree_control}.</li>
 * </ul>
 */
public sealed interface CgroupFs permits CgroupFs.V1, CgroupFs.V2 {
  Path DEFAULT_ROOT = Path.of("/sys/fs/cgroup");

  /** The layout of the cgroup mount at {@code root}: unified when it is a cgroup2 root (it has {@code cgroup.controllers}). */
  static CgroupFs detect(Path root) {
    return Files.exists(root.resolve("cgroup.controllers")) ? new V2(root) : new V1(root);
  }

  /** Creates the cgroup (and its parents) if missing and writes the limits {@code config} sets. */
  void ensure(String cgroup, ResourceConfig config) throws IOException;

  /** Removes the cgroup and everything below it where it can (a cgroup that still has tasks stays). */
  void remove(String cgroup);

  /** Whether the cgroup exists (in the memory hierarchy under v1). */
  boolean exists(String cgroup);

  /** The names of the cgroup's direct children. */
  List<String> children(String cgroup);

  /** The directory of a cgroup under one hierarchy's mount. */
  static Path dir(Path hierarchy, String cgroup) {
    String rel = cgroup.startsWith("/") ? cgroup.substring(1) : cgroup;
    return rel.isEmpty() ? hierarchy : hierarchy.resolve(rel);
  }

  /** cgroup v1: limits in the cpu, memory and (a pod pids limit) pids hierarchies; runc creates the container cgroups below in every hierarchy. */
  record V1(Path root) implements CgroupFs {
    @Override
    public void ensure(String cgroup, ResourceConfig c) throws IOException {
      Path cpu = dir(root.resolve("cpu"), cgroup);
      Path memory = dir(root.resolve("memory"), cgroup);
      Files.createDirectories(cpu);
      Files.createDirectories(memory);
      if (c.cpuShares() != null) Support.write(cpu.resolve("cpu.shares"), c.cpuShares());
      if (c.cpuQuota() != null) {
        // The period first: the kernel checks the quota against the period in force.
        Support.write(cpu.resolve("cpu.cfs_period_us"), c.cpuPeriod() == null ? ResourceConfig.QUOTA_PERIOD : c.cpuPeriod());
        Support.write(cpu.resolve("cpu.cfs_quota_us"), c.cpuQuota());
      }
      if (c.memoryLimit() != null) Support.write(memory.resolve("memory.limit_in_bytes"), c.memoryLimit());
      if (c.pidsLimit() != null) {
        if (!Files.isDirectory(root.resolve("pids"))) {
          throw new IOException("a pod pids limit needs the pids cgroup controller, and " + root.resolve("pids") + " is not mounted");
        }
        // runc would create the pod's cgroup in the pids hierarchy too, but only as a parent without a limit.
        Path pids = dir(root.resolve("pids"), cgroup);
        Files.createDirectories(pids);
        Support.write(pids.resolve("pids.max"), c.pidsLimit());
      }
    }

    @Override
    public void remove(String cgroup) {
      for (Path h : Support.list(root)) Support.removeTree(dir(h, cgroup));
    }

    @Override
    public boolean exists(String cgroup) { return Files.isDirectory(dir(root.resolve("memory"), cgroup)); }

    @Override
    public List<String> children(String cgroup) { return Support.childDirs(dir(root.resolve("memory"), cgroup)); }
  }

  /** cgroup v2: one tree; cpu, memory and pids enabled for the children of every level kava creates. */
  record V2(Path root) implements CgroupFs {
    static final List<String> CONTROLLERS = List.of("cpu", "memory", "pids");

    /**
     * What to write to a cgroup's {@code cgroup.subtree_control}: those of cpu, memory and pids it has (a nested
     * container may lack pids; asking for a controller the cgroup lacks fails the whole write).
     */
    static String enable(Path cgroup) throws IOException {
      Path available = cgroup.resolve("cgroup.controllers");
      List<String> have = Files.exists(available) ? List.of(Files.readString(available).trim().split("\\s+")) : CONTROLLERS;
      return String.join(" ", CONTROLLERS.stream().filter(have::contains).map(c -> "+" + c).toList());
    }

    @Override
    public void ensure(String cgroup, ResourceConfig c) throws IOException {
      Path dir = dir(root, cgroup);
      List<Path> levels = new ArrayList<>();
      for (Path p = dir; !p.equals(root) && p.startsWith(root); p = p.getParent()) levels.add(0, p);
      for (Path level : levels) {
        String enable = enable(level.getParent());
        if (!enable.isEmpty()) Support.write(level.getParent().resolve("cgroup.subtree_control"), enable);
        Files.createDirectories(level);
      }
      if (c.cpuShares() != null) Support.write(dir.resolve("cpu.weight"), ResourceConfig.sharesToWeight(c.cpuShares()));
      if (c.cpuQuota() != null) {
        long period = c.cpuPeriod() == null ? ResourceConfig.QUOTA_PERIOD : c.cpuPeriod();
        Support.write(dir.resolve("cpu.max"), (c.cpuQuota() > 0 ? Long.toString(c.cpuQuota()) : "max") + " " + period);
      }
      if (c.memoryLimit() != null) Support.write(dir.resolve("memory.max"), c.memoryLimit() > 0 ? Long.toString(c.memoryLimit()) : "max");
      if (c.pidsLimit() != null) {
        Path controllers = dir.resolve("cgroup.controllers");
        if (Files.exists(controllers) && !List.of(Files.readString(controllers).trim().split("\\s+")).contains("pids")) {
          throw new IOException("a pod pids limit needs the pids cgroup controller, which " + dir + " does not have");
        }
        Support.write(dir.resolve("pids.max"), c.pidsLimit());
      }
    }

    @Override
    public void remove(String cgroup) { Support.removeTree(dir(root, cgroup)); }

    @Override
    public boolean exists(String cgroup) { return Files.isDirectory(dir(root, cgroup)); }

    @Override
    public List<String> children(String cgroup) { return Support.childDirs(dir(root, cgroup)); }
  }

  /** File helpers shared by both layouts. */
  final class Support {
    private static final Logger log = LoggerFactory.getLogger(CgroupFs.class);

    private Support() {}

    static void write(Path file, Object value) throws IOException {
      try {
        Files.writeString(file, value.toString(), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IOException("cannot write " + value + " to " + file + ": " + e.getMessage(), e);
      }
    }

    static List<Path> list(Path dir) {
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(Files::isDirectory).toList();
      } catch (IOException e) {
        return List.of();
      }
    }

    static List<String> childDirs(Path dir) {
      if (!Files.isDirectory(dir)) return List.of();
      return list(dir).stream().map(p -> p.getFileName().toString()).toList();
    }

    /** Children first; cgroupfs directories go with rmdir (their control files with them). */
    static void removeTree(Path dir) {
      if (!Files.isDirectory(dir)) return;
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path d : s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          try {
            Files.delete(d);
          } catch (IOException e) {
            log.debug("cannot remove cgroup {}: {}", d, e.getMessage());
          }
        }
      } catch (IOException e) {
        log.debug("cannot walk cgroup {}: {}", dir, e.getMessage());
      }
    }
  }
}
