package io.kava.node.containerd;

import io.kava.node.cgroups.CgroupFs;
import io.kava.node.cri.CriClient;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.Container;
import io.kava.node.cri.v1.ContainerFilter;
import io.kava.node.cri.v1.PodSandbox;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes what a kava node left on the host after its server died without stopping it (kill -9, a crash): what
 * k3s-killall.sh does for k3s, for one node's data dir only. In order:
 * <ol>
 *   <li>every process in the node's cgroup ({@link ContainerdLayout#cgroupRoot}), killed: when the shims were
 *       killed, the containers' processes are orphans that no runtime knows any more (docs/known-traps.md);</li>
 *   <li>its pods' containers and sandboxes, removed through its own containerd's CRI while that still answers (this
 *       also releases their network namespaces and IPs);</li>
 *   <li>the node's containerd and its shims (found by their config and socket, both under the data dir);</li>
 *   <li>every mount under the data dir, deepest first (volumes, rootfs, shm, the shared bind mount of the dir itself);</li>
 *   <li>the node's cgroups in every hierarchy, its CNI bridge and its masquerade rule.</li>
 * </ol>
 * Other nodes and other containerds on the machine are left alone: everything is found by this data dir. The data dir's
 * files (store, certificates, logs) stay, as k3s-killall leaves them.
 */
public final class NodeCleanup {
  /** How long a killed process may take to go before the cleanup reports it as left behind. */
  static final Duration PROCESS_EXIT_WAIT = Duration.ofSeconds(15);
  static final Duration CRI_TIMEOUT = Duration.ofSeconds(20);
  static final Path PROC = Path.of("/proc");

  /** What remained after the cleanup (empty: nothing of the node is left). */
  public record Result(List<String> remaining) {
    public boolean clean() { return remaining.isEmpty(); }
  }

  private final Path dataDir;
  private final ContainerdLayout layout;
  private final Consumer<String> out;

  public NodeCleanup(Path dataDir, Consumer<String> out) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.layout = ContainerdLayout.under(this.dataDir);
    this.out = out;
  }

  public Result run() throws InterruptedException {
    // Kill first: a runtime whose shims are gone can take its full timeout over each stop; with the processes
    // gone, it only has to notice and remove what it tracks (netns, IPs, rootfs mounts).
    killCgroupProcesses();
    removePodsThroughCri();
    stopContainerd();
    killCgroupProcesses();
    unmountAll();
    removeCgroups();
    HostResources host = new HostResources(layout);
    host.removeBridge();
    podCidr().ifPresent(host::removeMasquerade);
    return new Result(remaining());
  }

  /** Stops and removes every sandbox (with its containers) in the node's own containerd, if it answers. */
  private void removePodsThroughCri() {
    if (!answers(layout.socket())) {
      out.accept("containerd of " + dataDir + " is not running: pods are removed by their processes and mounts");
      return;
    }
    try (CriClient cri = CriClient.connect(layout.endpoint(), CRI_TIMEOUT, CRI_TIMEOUT)) {
      for (PodSandbox s : cri.listPodSandbox(Map.of())) {
        String pod = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
        try {
          for (Container c : cri.listContainers(ContainerFilter.newBuilder().setPodSandboxId(s.getId()).build())) {
            cri.stopContainer(c.getId(), 0);
            cri.removeContainer(c.getId());
          }
          cri.stopPodSandbox(s.getId());
          cri.removePodSandbox(s.getId());
          out.accept("removed pod " + pod + " (sandbox " + s.getId().substring(0, Math.min(12, s.getId().length())) + ")");
        } catch (CriException e) {
          out.accept("could not remove pod " + pod + " through containerd: " + e.getMessage() + "; killing its processes");
        }
      }
    } catch (CriException e) {
      out.accept("containerd of " + dataDir + " does not answer (" + e.getMessage() + "): killing its pods' processes");
    }
  }

  /** SIGKILLs every process in the node's cgroup tree, then waits for them to go. */
  private void killCgroupProcesses() throws InterruptedException {
    List<Long> pids = cgroupProcesses();
    if (pids.isEmpty()) return;
    for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    out.accept("killed " + pids.size() + " process(es) left in cgroup " + layout.cgroupRoot());
    waitUntil(() -> cgroupProcesses().isEmpty());
  }

  /** Stops the node's containerd (SIGTERM, then SIGKILL) and kills its shims. */
  private void stopContainerd() throws InterruptedException {
    List<Long> daemons = processesWhoseCommandLine(args -> args.contains("--config") && args.contains(layout.config().toString())
        && args.getFirst().endsWith("containerd"));
    for (long pid : daemons) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    if (!daemons.isEmpty()) {
      waitUntil(() -> daemons.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
      for (long pid : daemons) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      out.accept("stopped containerd (pid " + daemons + ")");
    }
    List<Long> shims = shims();
    for (long pid : shims) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    if (!shims.isEmpty()) {
      out.accept("killed " + shims.size() + " containerd shim(s)");
      waitUntil(() -> shims().isEmpty());
    }
  }

  private List<Long> shims() {
    String socket = layout.socket().toString();
    return processesWhoseCommandLine(args -> args.getFirst().contains("containerd-shim") && args.contains(socket));
  }

  /** Unmounts every mount at or under the data dir, deepest (and latest) first. */
  private void unmountAll() {
    List<String> mounts = mountsUnderDataDir();
    mounts.sort(Comparator.comparingInt(String::length).reversed());
    int n = 0;
    for (String m : mounts) {
      if (run("umount", "-l", m) == 0) n++;
      else out.accept("could not unmount " + m);
    }
    if (n > 0) out.accept("unmounted " + n + " mount(s) under " + dataDir);
  }

  private void removeCgroups() throws InterruptedException {
    CgroupFs fs = CgroupFs.detect(CgroupFs.DEFAULT_ROOT);
    if (!fs.exists(layout.cgroupRoot()) && !anyHierarchyHas(layout.cgroupRoot())) return;
    // A cgroup whose last task just died may still be busy for a moment: retry until gone.
    waitUntil(() -> {
      fs.remove(layout.cgroupRoot());
      return !anyHierarchyHas(layout.cgroupRoot());
    });
    out.accept("removed cgroup " + layout.cgroupRoot());
  }

  /** What of the node is still on the host. */
  public List<String> remaining() {
    List<String> left = new ArrayList<>();
    for (long pid : cgroupProcesses()) left.add("process " + pid + " in cgroup " + layout.cgroupRoot());
    for (long pid : processesWhoseCommandLine(args -> args.stream().anyMatch(a -> a.startsWith(layout.dir().toString())))) {
      left.add("process " + pid + " of the node's containerd: " + commandLine(pid));
    }
    for (String m : mountsUnderDataDir()) left.add("mount " + m);
    if (anyHierarchyHas(layout.cgroupRoot())) left.add("cgroup " + layout.cgroupRoot());
    return left;
  }

  /** The pids in the node's cgroup tree (any hierarchy). */
  List<Long> cgroupProcesses() {
    String root = layout.cgroupRoot();
    List<Long> pids = new ArrayList<>();
    for (long pid : allPids()) {
      try {
        for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("cgroup"))) {
          String path = line.substring(line.indexOf(':', line.indexOf(':') + 1) + 1);
          if (path.equals(root) || path.startsWith(root + "/")) {
            pids.add(pid);
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        // gone meanwhile
      }
    }
    return pids;
  }

  private static List<Long> allPids() {
    try (Stream<Path> s = Files.list(PROC)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).map(Long::parseLong).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<String> args(long pid) {
    try {
      String raw = new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline")), StandardCharsets.UTF_8);
      if (raw.isEmpty()) return List.of();
      return List.of(raw.split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String commandLine(long pid) { return String.join(" ", args(pid)); }

  private static List<Long> processesWhoseCommandLine(java.util.function.Predicate<List<String>> test) {
    long self = ProcessHandle.current().pid();
    List<Long> out = new ArrayList<>();
    for (long pid : allPids()) {
      if (pid == self) continue;
      List<String> a = args(pid);
      if (!a.isEmpty() && test.test(a)) out.add(pid);
    }
    return out;
  }

  private List<String> mountsUnderDataDir() {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(PROC.resolve("self/mounts"))) {
        String[] f = line.split(" ");
        if (f.length < 2) continue;
        String point = f[1].replace("\\040", " ");
        if (point.equals(dataDir.toString()) || point.startsWith(dataDir + "/")) out.add(point);
      }
    } catch (IOException e) {
      // not Linux: nothing is mounted
    }
    return out;
  }

  private static boolean anyHierarchyHas(String cgroup) {
    Path root = CgroupFs.DEFAULT_ROOT;
    if (Files.isDirectory(CgroupFs.dir(root, cgroup))) return true;
    try (Stream<Path> s = Files.list(root)) {
      return s.anyMatch(h -> Files.isDirectory(CgroupFs.dir(h, cgroup)));
    } catch (IOException e) {
      return false;
    }
  }

  /** The pod CIDR the node's CNI config names (its masquerade rule is keyed by it). */
  private Optional<String> podCidr() {
    Pattern subnet = Pattern.compile("\"subnet\"\\s*:\\s*\"([^\"]+)\"");
    try (Stream<Path> s = Files.list(layout.cniConfDir())) {
      for (Path f : s.toList()) {
        Matcher m = subnet.matcher(Files.readString(f));
        if (m.find()) return Optional.of(m.group(1));
      }
    } catch (IOException e) {
      // no CNI config: no rule was added
    }
    return Optional.empty();
  }

  private static boolean answers(Path socket) {
    if (!Files.exists(socket)) return false;
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + PROCESS_EXIT_WAIT.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) TimeUnit.MILLISECONDS.sleep(100);
  }

  private static int run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
