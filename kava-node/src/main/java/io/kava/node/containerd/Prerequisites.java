package io.kava.node.containerd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a real node needs before kava starts containerd: root (containerd mounts, creates cgroups and network
 * namespaces), the containerd and runc binaries, ctr (to import the sandbox image) and the CNI plugins. Missing
 * pieces become one message naming the Debian packages, or the flags that avoid them; a node never pretends.
 */
public final class Prerequisites {
  private Prerequisites() {}

  public static final String INSTALL = "apt-get install containerd runc containernetworking-plugins";
  public static final List<String> CNI_PLUGINS = List.of("bridge", "host-local", "portmap", "loopback");
  static final List<Path> BIN_DIRS = List.of(Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"), Path.of("/usr/sbin"), Path.of("/usr/bin"),
      Path.of("/sbin"), Path.of("/bin"));

  /** The problems found (empty when everything is there). */
  public static List<String> problems(boolean root, String cniBinDir) {
    List<String> out = new ArrayList<>();
    if (!root) out.add("the node agent must run as root to start containers (mounts, cgroups, network namespaces)");
    for (String bin : List.of("containerd", "containerd-shim-runc-v2", "runc", "ctr")) {
      if (find(bin) == null) out.add(bin + " is not installed");
    }
    for (String plugin : CNI_PLUGINS) {
      if (!Files.isExecutable(Path.of(cniBinDir, plugin))) out.add("CNI plugin " + plugin + " is missing from " + cniBinDir);
    }
    return out;
  }

  /** Throws with what to do when something is missing. */
  public static void check(boolean root, String cniBinDir) {
    List<String> p = problems(root, cniBinDir);
    if (p.isEmpty()) return;
    throw new RuntimeUnavailableException("cannot run a containerd node: " + String.join("; ", p) + ". Install them with `" + INSTALL
        + "` and run kava as root, point --container-runtime-endpoint at a running containerd, or use --runtime sim (simulated node, runs nothing) "
        + "or --runtime none (control plane only).");
  }

  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0"); // effective uid
      }
    } catch (Exception e) {
      // not Linux
    }
    return "root".equals(System.getProperty("user.name"));
  }

  /** The binary on PATH or in the usual directories, or null. */
  public static Path find(String name) {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) for (String d : path.split(":")) if (!d.isEmpty()) dirs.add(Path.of(d));
    dirs.addAll(BIN_DIRS);
    for (Path d : dirs) {
      Path p = d.resolve(name);
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }
}
