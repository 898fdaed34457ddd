package io.kava.node.containerd;

import io.kava.node.cgroups.CgroupFs;
import io.kava.node.cri.CriClient;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.Container;
import io.kava.node.cri.v1.ContainerFilter;
import io.kava.node.cri.v1.PodSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
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
 *   <li>the node's containerd and its shims (found by their config under the data dir and their socket);</li>
 *   <li>what the dead containerd can no longer release: the pods' network namespaces (under the state dir, or in
 *       /run/netns as named in its metadata and bundles; their veth pairs go with them), the shims' sockets and
 *       containerd's, when a long data dir put them under /run/kava;</li>
 *   <li>every mount under the data dir, deepest first (volumes, rootfs, shm, the shared bind mount of the dir itself);</li>
 *   <li>the node's cgroups in every hierarchy, its CNI bridge and its masquerade rule, the CNI plugins' nat rules and
 *       chains for its pods (their comments name the node's network), host-local's IP reservations and libcni's
 *       cached results of its network.</li>
 * </ol>
 * Other nodes and other containerds on the machine are left alone: everything is found by this data dir. The data dir's
 * files (store, certificates, logs) stay, as k3s-killall leaves them.
 */
public final class NodeCleanup {
  /** How long a killed process may take to go before the cleanup reports it as left behind. */
  static final Duration PROCESS_EXIT_WAIT = Duration.ofSeconds(15);
  static final Duration CRI_TIMEOUT = Duration.ofSeconds(20);
  static final Path PROC = HostProcesses.PROC;
  /** libcni's cache of each attachment's result (containerd 1.6 keeps the default). */
  static final Path CNI_RESULTS = Path.of("/var/lib/cni/results");

  /** What remained after the cleanup (empty: nothing of the node is left). */
  public record Result(List<String> remaining) {
    public boolean clean() { return remaining.isEmpty(); }
  }

  private final Path dataDir;
  private final ContainerdLayout layout;
  private final Consumer<String> out;
  /** The pods' host veths, read from the CNI cache before the cleanup removes it. */
  private List<String> podVeths = List.of();

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
    // What containerd would have released at RemovePodSandbox, had it been alive: the pods' network namespaces (with
    // their veth pairs), the shims' sockets, the CNI plugins' iptables rules, IP reservations and result cache.
    podVeths = podVeths();
    removeNetworkNamespaces();
    removeShimSockets();
    removeSocketDir();
    unmountAll();
    removeCgroups();
    HostResources host = new HostResources(layout);
    host.removeBridge();
    podCidr().ifPresent(host::removeMasquerade);
    removePodNatRules();
    removeCniState();
    return new Result(remaining());
  }

  /** Unmounts and deletes the pods' network namespaces; the last reference gone, the kernel deletes their veths. */
  private void removeNetworkNamespaces() throws InterruptedException {
    int n = 0;
    for (Path ns : podNetns()) {
      String p = ns.toString();
      for (int i = 0; i < 3 && NodeLeftovers.isMounted(mounts(), p); i++) {
        if (run("umount", p) != 0) run("umount", "-l", p);
      }
      try {
        if (!NodeLeftovers.isMounted(mounts(), p)) {
          Files.deleteIfExists(ns);
          n++;
          continue;
        }
      } catch (IOException e) {
        // reported below
      }
      out.accept("could not remove network namespace " + p + " (a process outside the node may have entered it)");
    }
    if (n > 0) out.accept("removed " + n + " network namespace(s) of the node's pods");
    if (podVeths.isEmpty()) return;
    // The kernel tears a namespace down asynchronously; a host veth that outlives it has a peer nobody uses.
    waitUntil(() -> podVeths.stream().noneMatch(NodeCleanup::linkExists));
    for (String veth : podVeths) {
      if (linkExists(veth) && run("ip", "link", "delete", veth) == 0) {
        out.accept("deleted veth " + veth + ": its network namespace outlived the pod (a process outside the node holds it)");
      }
    }
    long gone = podVeths.stream().filter(v -> !linkExists(v)).count();
    out.accept(gone + " of " + podVeths.size() + " pod veth(s) gone from the host");
  }

  /**
   * The network namespaces of the node's pods: those under its state dir ({@code netns_mounts_under_state_dir}) and
   * the host-wide ones its containerd recorded (nodes started before that setting) in its metadata or a bundle.
   */
  List<Path> podNetns() {
    Set<Path> found = new LinkedHashSet<>();
    try (Stream<Path> s = Files.list(layout.netnsDir())) {
      s.forEach(found::add);
    } catch (IOException e) {
      // no pod ever ran, or none since the setting
    }
    Set<String> recorded = new LinkedHashSet<>();
    try {
      recorded.addAll(NodeLeftovers.hostNetnsPaths(new String(Files.readAllBytes(layout.metadataDb()), StandardCharsets.ISO_8859_1)));
    } catch (IOException e) {
      // no metadata: containerd never started
    }
    for (Path config : bundleFiles("config.json")) {
      try {
        recorded.addAll(NodeLeftovers.hostNetnsPaths(Files.readString(config, StandardCharsets.ISO_8859_1)));
      } catch (IOException e) {
        // removed meanwhile
      }
    }
    for (String r : recorded) {
      try {
        found.add(Path.of(r).toRealPath()); // /var/run/netns is /run/netns, as /proc/self/mounts names it
      } catch (IOException e) {
        // removed with its sandbox
      }
    }
    return List.copyOf(found);
  }

  /** A file of every shim bundle ({@code NAMESPACE/ID/NAME}). */
  private List<Path> bundleFiles(String name) {
    try (Stream<Path> s = Files.walk(layout.taskBundles(), 3)) {
      return s.filter(p -> p.getNameCount() == layout.taskBundles().getNameCount() + 3 && p.getFileName().toString().equals(name)).toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  /** The host veths of the node's pods, from the CNI result cache (read before it is removed). */
  private List<String> podVeths() {
    List<String> veths = new ArrayList<>();
    for (Path f : cniResults()) {
      try {
        veths.addAll(NodeLeftovers.hostVeths(Files.readAllBytes(f), layout.bridgeName()));
      } catch (IOException e) {
        // removed meanwhile
      }
    }
    return veths;
  }

  private List<Path> cniResults() {
    try (Stream<Path> s = Files.list(CNI_RESULTS)) {
      return s.filter(f -> NodeLeftovers.isCniResultOf(f.getFileName().toString(), layout.networkName())).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A killed containerd leaves its sockets; they are outside the data dir when its path is too long for them. */
  private void removeSocketDir() {
    Path dir = layout.socketDir();
    if (dir.startsWith(dataDir) || !Files.isDirectory(dir)) return;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.toList()) Files.deleteIfExists(f);
      Files.deleteIfExists(dir);
      out.accept("removed socket directory " + dir);
    } catch (IOException e) {
      out.accept("could not remove socket directory " + dir + ": " + e.getMessage());
    }
  }

  /** Killed shims leave their sockets in /run/containerd/s; each bundle's {@code address} file names its own. */
  private void removeShimSockets() {
    int n = 0;
    for (Path socket : shimSockets()) {
      try {
        if (Files.deleteIfExists(socket)) n++;
      } catch (IOException e) {
        out.accept("could not remove shim socket " + socket + ": " + e.getMessage());
      }
    }
    if (n > 0) out.accept("removed " + n + " shim socket(s)");
  }

  private Set<Path> shimSockets() {
    Set<Path> sockets = new LinkedHashSet<>();
    for (Path address : bundleFiles("address")) {
      try {
        NodeLeftovers.shimSocket(Files.readString(address)).filter(Files::exists).ifPresent(sockets::add);
      } catch (IOException e) {
        // removed meanwhile
      }
    }
    return sockets;
  }

  /** The rules the bridge (ipMasq) and portmap plugins added for the node's pods, and their per-pod chains. */
  private void removePodNatRules() {
    NodeLeftovers.NatRules nat = natRules();
    if (nat.isEmpty()) return;
    if (runWithInput(nat.restoreScript(), "iptables-restore", "-w", "--noflush") == 0) {
      out.accept("removed " + nat.rules().size() + " iptables rule(s) and " + nat.chains().size() + " chain(s) of the node's pods");
    } else {
      out.accept("could not remove the node's pods' iptables rules (iptables-restore failed)");
    }
  }

  private NodeLeftovers.NatRules natRules() {
    try {
      Process p = new ProcessBuilder("iptables-save", "-t", "nat").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String save = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return NodeLeftovers.natRulesOf(save, layout.networkName());
    } catch (IOException e) {
      return new NodeLeftovers.NatRules(List.of(), Set.of()); // no iptables: no rules
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new NodeLeftovers.NatRules(List.of(), Set.of());
    }
  }

  /** host-local's IP reservations (under the data dir) and libcni's result cache: no pod of the node is left. */
  private void removeCniState() {
    List<Path> ips = ipReservations();
    List<Path> files = new ArrayList<>(ips);
    files.addAll(cniResults());
    int n = 0;
    for (Path f : files) {
      try {
        if (Files.deleteIfExists(f)) n++;
      } catch (IOException e) {
        out.accept("could not remove " + f + ": " + e.getMessage());
      }
    }
    if (n > 0) out.accept("released " + ips.size() + " IP reservation(s), removed " + (files.size() - ips.size()) + " cached CNI result(s)");
  }

  private List<Path> ipReservations() {
    try (Stream<Path> s = Files.walk(layout.cniIpamDir(), 2)) {
      return s.filter(f -> f.getNameCount() == layout.cniIpamDir().getNameCount() + 2
          && NodeLeftovers.isIpReservation(f.getFileName().toString())).toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  private static boolean linkExists(String name) { return Files.exists(Path.of("/sys/class/net", name)); }

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
    java.util.function.Supplier<List<Long>> containerd =
        () -> HostProcesses.withCommandLine(args -> NodeLeftovers.isContainerdOf(args, layout.config()));
    List<Long> daemons = containerd.get();
    for (long pid : daemons) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    if (!daemons.isEmpty()) {
      // Gone once its command line is: an exited containerd whose parent (the killed server) is gone stays a zombie
      // until init reaps it, which some inits do late or never; ProcessHandle.isAlive would wait the full time for it.
      waitUntil(() -> containerd.get().isEmpty());
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
    return HostProcesses.withCommandLine(args -> NodeLeftovers.isShimOf(args, layout.socket()));
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
    for (long pid : cgroupProcesses()) left.add("process " + pid + " in cgroup " + layout.cgroupRoot() + " (kill -9 " + pid
        + "; a process in state D waits on I/O: cat /proc/" + pid + "/stack)");
    for (long pid : HostProcesses.withCommandLine(args -> args.stream().anyMatch(a -> a.startsWith(layout.dir().toString())))) {
      left.add("process " + pid + " of the node's containerd: " + HostProcesses.commandLine(pid) + " (kill -9 " + pid + ")");
    }
    for (String m : mountsUnderDataDir()) left.add("mount " + m + " (umount -l " + m + ")");
    for (Path ns : podNetns()) left.add("network namespace " + ns + " (umount " + ns + " && rm " + ns
        + "; if it is busy, a process outside the node entered it: `ls -l /proc/*/ns/net` names it)");
    for (String veth : podVeths) if (linkExists(veth)) left.add("pod veth " + veth + " (ip link delete " + veth + ")");
    for (Path socket : shimSockets()) left.add("shim socket " + socket + " (rm " + socket + ")");
    if (!layout.socketDir().startsWith(dataDir) && Files.isDirectory(layout.socketDir())) {
      left.add("socket directory " + layout.socketDir() + " (rm -r " + layout.socketDir() + ")");
    }
    if (anyHierarchyHas(layout.cgroupRoot())) left.add("cgroup " + layout.cgroupRoot() + " (rmdir it in each /sys/fs/cgroup hierarchy)");
    if (linkExists(layout.bridgeName())) left.add("bridge " + layout.bridgeName() + " (ip link delete " + layout.bridgeName() + ")");
    NodeLeftovers.NatRules nat = natRules();
    for (String r : nat.rules()) left.add("iptables rule in the nat table (iptables -w -t nat -D " + r + ")");
    for (Path f : ipReservations()) left.add("IP reservation " + f + " (rm " + f + ")");
    for (Path f : cniResults()) left.add("CNI result " + f + " (rm " + f + ")");
    return left;
  }

  /** The pids in the node's cgroup tree (any hierarchy). */
  List<Long> cgroupProcesses() {
    String root = layout.cgroupRoot();
    List<Long> pids = new ArrayList<>();
    for (long pid : HostProcesses.allPids()) {
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

  private List<String> mountsUnderDataDir() { return new ArrayList<>(NodeLeftovers.pointsUnder(mounts(), dataDir)); }

  private static List<NodeLeftovers.Mount> mounts() {
    try {
      return NodeLeftovers.parseMounts(Files.readAllLines(PROC.resolve("self/mounts")));
    } catch (IOException e) {
      return List.of(); // not Linux: nothing is mounted
    }
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
    HostProcesses.waitUntil(done, PROCESS_EXIT_WAIT);
  }

  /** Runs {@code cmd} with {@code input} (or none: null) on its stdin; its exit code, -1 when it could not run or hung. */
  private static int runWithInput(String input, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try (var in = p.getOutputStream()) {
        if (input != null) in.write(input.getBytes(StandardCharsets.UTF_8));
      }
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

  private static int run(String... cmd) {
    return runWithInput(null, cmd);
  }
}
