package io.kava.node.agent;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** What the host tells about itself, for the Node's capacity and nodeInfo. Read from /proc and /etc on Linux. */
public record HostInfo(int cpus, long memoryBytes, long ephemeralStorageBytes, String kernelVersion, String osImage, String architecture,
                       String machineId, String bootId, String hostname) {

  public static HostInfo read(Path dataDir) {
    return new HostInfo(Runtime.getRuntime().availableProcessors(), memTotal(), diskTotal(dataDir), readKernel(), readOsImage(), goArch(),
        firstLine(Path.of("/etc/machine-id"), UUID.randomUUID().toString().replace("-", "")),
        firstLine(Path.of("/proc/sys/kernel/random/boot_id"), UUID.randomUUID().toString()), readHostname());
  }

  /** MemTotal from /proc/meminfo in bytes. */
  static long memTotal() { return meminfo("MemTotal:"); }

  /** MemAvailable from /proc/meminfo in bytes (-1 when unknown). */
  static long memAvailable() { return meminfo("MemAvailable:"); }

  static long meminfo(String key) {
    try {
      return parseMeminfo(Files.readAllLines(Path.of("/proc/meminfo")), key);
    } catch (IOException e) {
      return -1;
    }
  }

  static long parseMeminfo(List<String> lines, String key) {
    for (String l : lines) {
      if (l.startsWith(key)) {
        String[] parts = l.substring(key.length()).trim().split("\\s+");
        long v = Long.parseLong(parts[0]);
        return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? v * 1024 : v;
      }
    }
    return -1;
  }

  static long diskTotal(Path dir) {
    try {
      Files.createDirectories(dir);
      return Files.getFileStore(dir).getTotalSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Free fraction of the file system holding {@code dir} (1 when unknown). */
  static double diskFree(Path dir) {
    try {
      FileStore fs = Files.getFileStore(dir);
      return fs.getTotalSpace() == 0 ? 1 : (double) fs.getUsableSpace() / fs.getTotalSpace();
    } catch (IOException e) {
      return 1;
    }
  }

  static String readKernel() {
    String k = firstLine(Path.of("/proc/sys/kernel/osrelease"), null);
    return k != null ? k : System.getProperty("os.version", "unknown");
  }

  static String readOsImage() {
    try {
      for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (l.startsWith("PRETTY_NAME=")) return l.substring("PRETTY_NAME=".length()).replace("\"", "");
      }
    } catch (IOException e) {
      // fall through
    }
    return System.getProperty("os.name", "Linux");
  }

  public static String readHostname() {
    String h = firstLine(Path.of("/proc/sys/kernel/hostname"), null);
    if (h == null) h = System.getenv().getOrDefault("HOSTNAME", "localhost");
    return h.toLowerCase(Locale.ROOT);
  }

  static String goArch() {
    return switch (System.getProperty("os.arch", "amd64")) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> System.getProperty("os.arch");
    };
  }

  private static String firstLine(Path p, String dflt) {
    try {
      List<String> lines = Files.readAllLines(p);
      return lines.isEmpty() || lines.get(0).isBlank() ? dflt : lines.get(0).trim();
    } catch (IOException e) {
      return dflt;
    }
  }
}
