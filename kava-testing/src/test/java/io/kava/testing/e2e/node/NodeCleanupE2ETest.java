package io.kava.testing.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.node.containerd.ContainerdConfig;
import io.kava.node.containerd.ContainerdLayout;
import io.kava.node.containerd.Prerequisites;
import io.kava.node.image.BusyboxImages;
import io.kava.testing.Kubectl;
import io.kava.testing.Poll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code kava node cleanup}: a {@code kava server} in a child JVM runs a pod (a tmpfs volume, a background process),
 * is killed with -9, and then its shims are killed too (the trap in docs/known-traps.md: the pods' processes become
 * orphans no runtime knows). The command, run as a user would, must leave no process in the node's cgroups, no
 * containerd or shim of the node, no mount under its data dir and no cgroup of the node. Checked from /proc and
 * /sys/fs/cgroup directly, not through the code under test. And what a server does with the containerd a killed one
 * left, or with its own when a signal comes while it starts.
 */
@Tag("e2e")
class NodeCleanupE2ETest {
  static final Duration DEADLINE = Duration.ofSeconds(120);
  Path dataDir;
  /** Whether {@link #startServerWithPod} makes a data dir too long for containerd's sockets. */
  boolean longDataDir;
  Process server;

  @AfterEach
  void cleanUp() throws Exception {
    if (server != null && server.isAlive()) server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    if (dataDir == null) return;
    Files.deleteIfExists(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    kava("node", "cleanup", "--data-dir", dataDir.toString()); // whatever a failed test left
    try (Stream<Path> s = Files.walk(dataDir)) {
      if (mountsUnder(dataDir).isEmpty()) s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * On a data dir whose path is too long for containerd's sockets (they go under /run/kava then; containerd refused to
   * start with them under the data dir, over and over).
   */
  @Test
  void cleanupRemovesWhatAKilledNodeLeft() throws Exception {
    longDataDir = true;
    ContainerdLayout layout = startServerWithPod("left", """
        apiVersion: v1
        kind: Pod
        metadata: {name: left}
        spec:
          containers:
          - name: main
            image: %s
            imagePullPolicy: Never
            command: ["/bin/busybox", "sh", "-c", "/bin/busybox sleep 3600 & exec /bin/busybox sleep 3600"]
            volumeMounts: [{name: scratch, mountPath: /scratch}]
          volumes: [{name: scratch, emptyDir: {medium: Memory}}]
        """.formatted(BusyboxImages.PAUSE_IMAGE));
    Poll.until(DEADLINE, () -> cgroupProcesses(layout.cgroupRoot()).size() >= 3, () -> "processes " + cgroupProcesses(layout.cgroupRoot()));
    assertThat(mountsUnder(dataDir)).as("the pod's tmpfs and rootfs are mounted under the data dir").isNotEmpty();
    assertThat(layout.socket().startsWith("/run/kava")).as("containerd's socket, outside the long data dir: " + layout.socket()).isTrue();
    assertThat(layout.socket()).exists();

    server.toHandle().destroyForcibly(); // kill -9: no shutdown hook
    server.waitFor(30, TimeUnit.SECONDS);
    List<Long> shims = processes(a -> a.getFirst().contains("containerd-shim") && a.contains(layout.socket().toString()));
    assertThat(shims).as("the node's shims").isNotEmpty();
    for (long pid : shims) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    Thread.sleep(500);
    assertThat(cgroupProcesses(layout.cgroupRoot())).as("the pod's processes outlive their shims").isNotEmpty();

    Result r = kava("node", "cleanup", "--data-dir", dataDir.toString());
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("nothing of the node under " + dataDir + " remains");

    assertThat(cgroupProcesses(layout.cgroupRoot())).as("processes in the node's cgroups").isEmpty();
    assertThat(processes(a -> a.stream().anyMatch(x -> x.contains(layout.dir().toString())))).as("containerd or shims of the node").isEmpty();
    assertThat(mountsUnder(dataDir)).as("mounts under the data dir").isEmpty();
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      List<Path> left = new ArrayList<>(hierarchies.map(h -> h.resolve(layout.cgroupRoot().substring(1))).filter(Files::isDirectory).toList());
      if (Files.isDirectory(Path.of("/sys/fs/cgroup", layout.cgroupRoot().substring(1)))) left.add(Path.of("/sys/fs/cgroup", layout.cgroupRoot()));
      assertThat(left).as("the node's cgroups").isEmpty();
    }
    assertThat(Path.of("/sys/class/net", layout.bridgeName())).as("the node's bridge").doesNotExist();
    assertThat(layout.socketDir()).as("the directory of containerd's sockets").doesNotExist();

    Result again = kava("node", "cleanup", "--data-dir", dataDir.toString());
    assertThat(again.exit()).as("a second run finds nothing: " + again.out()).isZero();
  }

  /**
   * containerd killed with its server (kill -9 of both): nobody answers RemovePodSandbox any more, so the cleanup itself
   * must remove the pod's network namespace (and with it its veth pair), its hostPort rules, IP reservation and cached
   * CNI result, its mounts and its shim.
   */
  @Test
  void cleanupRemovesThePodsNetworkWhenContainerdIsDeadToo() throws Exception {
    ContainerdLayout layout = startServerWithPod("net", """
        apiVersion: v1
        kind: Pod
        metadata: {name: net}
        spec:
          containers:
          - name: main
            image: %s
            imagePullPolicy: Never
            command: ["/bin/busybox", "sleep", "3600"]
            ports: [{containerPort: 8080, hostPort: %d}]
        """.formatted(BusyboxImages.PAUSE_IMAGE, freePort()));
    String network = layout.networkName();
    Kubectl k = Kubectl.of("1.33", dataDir.resolve("kubeconfig.yaml"));
    String podIp = k.run("get", "pod", "net", "-o", "jsonpath={.status.podIP}").out().strip();
    Path reservation = layout.cniIpamDir().resolve(network).resolve(podIp);
    assertThat(reservation).as("host-local's reservation of " + podIp).exists();
    List<Path> netns;
    try (Stream<Path> s = Files.list(layout.netnsDir())) {
      netns = s.toList();
    }
    assertThat(netns).as("the pod's network namespace, under the data dir").hasSize(1);
    assertThat(mountsUnder(dataDir)).contains(netns.getFirst().toString());
    List<Path> results = cniResults(network);
    assertThat(results).as("libcni's cached result of the pod").hasSize(1);
    Matcher veth = Pattern.compile("\"name\":\"(veth[0-9a-f]+)\"").matcher(read(results.getFirst()));
    assertThat(veth.find()).as(read(results.getFirst())).isTrue();
    Path hostVeth = Path.of("/sys/class/net", veth.group(1));
    assertThat(hostVeth).exists();
    assertThat(natRules(network)).as("portmap's rule for the hostPort").isNotEmpty();
    List<Long> shims = processes(a -> a.getFirst().contains("containerd-shim") && a.contains(layout.socket().toString()));
    assertThat(shims).as("the pod's shim").isNotEmpty();
    List<Long> containerd = processes(a -> a.getFirst().endsWith("/containerd") && a.contains(layout.config().toString()));
    assertThat(containerd).as("the node's containerd").hasSize(1);

    server.toHandle().destroyForcibly(); // kill -9 of kava and of its containerd: no one releases the pod's network
    ProcessHandle.of(containerd.getFirst()).ifPresent(ProcessHandle::destroyForcibly);
    server.waitFor(30, TimeUnit.SECONDS);
    Poll.until(DEADLINE, () -> !running(containerd.getFirst()), () -> "containerd lives");

    Result r = kava("node", "cleanup", "--data-dir", dataDir.toString());
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("containerd of " + dataDir + " is not running", "removed 1 network namespace(s)",
        "nothing of the node under " + dataDir + " remains");

    assertThat(netns.getFirst()).as("the pod's network namespace").doesNotExist();
    assertThat(mountsUnder(dataDir)).as("mounts under the data dir (the netns, rootfs, shm)").isEmpty();
    assertThat(hostVeth).as("the pod's veth, gone with its namespace").doesNotExist();
    assertThat(shims.stream().filter(NodeCleanupE2ETest::running).toList()).as("the pod's shim").isEmpty();
    assertThat(cgroupProcesses(layout.cgroupRoot())).as("processes in the node's cgroups").isEmpty();
    assertThat(natRules(network)).as("the node's nat rules").isEmpty();
    assertThat(reservation).as("the pod's IP reservation").doesNotExist();
    assertThat(cniResults(network)).as("the pod's cached CNI result").isEmpty();
    assertThat(Path.of("/sys/class/net", layout.bridgeName())).as("the node's bridge").doesNotExist();
  }

  static List<Path> cniResults(String network) throws IOException {
    Path dir = Path.of("/var/lib/cni/results");
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().startsWith(network + "-")).toList();
    }
  }

  static List<String> natRules(String network) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("iptables-save", "-t", "nat").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String save = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return save.lines().filter(l -> l.contains("name: \\\"" + network + "\\\"")).toList();
  }

  /**
   * kill -9 leaves the server's containerd running (its own session, so that a Ctrl-C reaches kava first), holding
   * the lock of its metadata database: the next start on the data dir must stop it rather than wait for the lock,
   * and the pod, kept by its shim, runs on.
   */
  @Test
  void aRestartStopsTheContainerdAKilledServerLeftAndThePodRunsOn() throws Exception {
    ContainerdLayout layout = startServerWithPod("kept", """
        apiVersion: v1
        kind: Pod
        metadata: {name: kept}
        spec:
          containers:
          - name: main
            image: %s
            imagePullPolicy: Never
            command: ["/bin/busybox", "sleep", "3600"]
        """.formatted(BusyboxImages.PAUSE_IMAGE));
    Kubectl k = Kubectl.of("1.33", dataDir.resolve("kubeconfig.yaml"));
    String containerId = k.run("get", "pod", "kept", "-o", "jsonpath={.status.containerStatuses[0].containerID}").out().strip();
    List<Long> first = containerdOf(layout);
    assertThat(first).as("the node's containerd").hasSize(1);

    server.toHandle().destroyForcibly();
    server.waitFor(30, TimeUnit.SECONDS);
    Thread.sleep(300);
    assertThat(running(first.getFirst())).as("containerd outlives the server killed with -9").isTrue();

    Path log = launchServer();
    Poll.until(DEADLINE, () -> read(log).lines().filter(l -> l.contains("kava is ready at")).count() == 2 || !server.isAlive(), () -> read(log));
    assertThat(server.isAlive()).as(read(log)).isTrue();
    String stopping = "stopping containerd (pid " + first.getFirst() + "), left running on " + layout.dir();
    Poll.until(DEADLINE, () -> read(log).contains(stopping) || !server.isAlive(), () -> read(log));
    assertThat(read(log)).contains(stopping);
    Poll.until(DEADLINE, () -> !running(first.getFirst()), () -> "the old containerd " + first.getFirst() + " still runs");
    Poll.until(DEADLINE, () -> containerdOf(layout).size() == 1, () -> "containerd of the data dir: " + containerdOf(layout) + "\n" + read(log));
    assertThat(containerdOf(layout)).as("one containerd on the data dir, a new one").hasSize(1).doesNotContain(first.getFirst());
    Poll.until(DEADLINE, () -> k.run("get", "node", "kava-cleanup-node", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
        .out().equals("True"), () -> k.run("get", "nodes", "-o", "yaml") + read(log));
    assertThat(k.run("get", "pod", "kept", "-o", "jsonpath={.status.phase} {.status.containerStatuses[0].containerID}").out().strip())
        .as("the pod runs on in the container its shim kept").isEqualTo("Running " + containerId);
  }

  /** A signal while the server waits for its new containerd (the shutdown hook used to be set only once it was ready). */
  @Test
  void aSignalWhileContainerdStartsStopsIt() throws Exception {
    List<String> missing = new ArrayList<>(Prerequisites.problems(Prerequisites.isRoot(), ContainerdConfig.DEFAULT_CNI_BIN_DIR));
    assumeTrue(missing.isEmpty(), "skipping: " + String.join("; ", missing));
    dataDir = Files.createTempDirectory("kava-cleanup-");
    ContainerdLayout layout = ContainerdLayout.under(dataDir);
    Path log = launchServer();
    Poll.until(DEADLINE, () -> read(log).contains("containerd started") || !server.isAlive(), () -> read(log));
    server.destroy(); // SIGTERM
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).as(read(log)).isTrue();
    assertThat(read(log)).contains("shutting down");
    assertThat(containerdOf(layout)).as("containerd of the stopped server; its log: " + read(log)).isEmpty();
  }

  /** A data dir too long for containerd's sockets puts them under /run/kava; a stopped server removes them (containerd leaves one). */
  @Test
  void aStoppedServerRemovesTheSocketsItPutUnderRunKava() throws Exception {
    List<String> missing = new ArrayList<>(Prerequisites.problems(Prerequisites.isRoot(), ContainerdConfig.DEFAULT_CNI_BIN_DIR));
    assumeTrue(missing.isEmpty(), "skipping: " + String.join("; ", missing));
    dataDir = Files.createTempDirectory("kava-cleanup-" + "long".repeat(16) + "-");
    ContainerdLayout layout = ContainerdLayout.under(dataDir);
    Path log = launchServer();
    Poll.until(DEADLINE, () -> read(log).contains("registered") || !server.isAlive(), () -> read(log));
    assertThat(Path.of(layout.socket() + ".ttrpc")).as("containerd's second socket").exists();
    server.destroy(); // SIGTERM
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).as(read(log)).isTrue();
    assertThat(containerdOf(layout)).as("containerd of the stopped server; its log: " + read(log)).isEmpty();
    assertThat(layout.socketDir()).as("the directory of containerd's sockets").doesNotExist();
  }

  @Test
  void helpDescribesTheCommand() throws Exception {
    Result r = kava("node", "cleanup", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--data-dir").contains("k3s-killall.sh");
  }

  /** Starts {@code kava server} on a new data dir with a containerd node, and runs {@code pod} there until Running. */
  ContainerdLayout startServerWithPod(String name, String pod) throws Exception {
    List<String> missing = new ArrayList<>(Prerequisites.problems(Prerequisites.isRoot(), ContainerdConfig.DEFAULT_CNI_BIN_DIR));
    assumeTrue(missing.isEmpty(), "skipping: " + String.join("; ", missing));
    Kubectl probe = Kubectl.of("1.33", Path.of("/nonexistent"));
    assumeTrue(probe.available(), "kubectl 1.33 is not installed at " + probe.binary() + "; skipping");

    // A long one makes containerd's socket path longer than the 104 characters it accepts.
    dataDir = Files.createTempDirectory(longDataDir ? "kava-cleanup-" + "long".repeat(16) + "-" : "kava-cleanup-");
    ContainerdLayout layout = ContainerdLayout.under(dataDir);
    Path log = launchServer();
    Poll.until(DEADLINE, () -> read(log).contains("kava is ready") || !server.isAlive(), () -> read(log));
    assertThat(server.isAlive()).as(read(log)).isTrue();

    Kubectl k = Kubectl.of("1.33", dataDir.resolve("kubeconfig.yaml"));
    Poll.until(DEADLINE, () -> k.run("get", "node", "kava-cleanup-node", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
        .out().equals("True"), () -> k.run("get", "nodes", "-o", "yaml") + read(log));
    Poll.until(DEADLINE, () -> k.run("get", "serviceaccount", "default").ok(), () -> "no default service account");
    // The sandbox image kava imported at start is busybox: no registry needed.
    assertThat(k.runWithInput(pod, "apply", "-f", "-").exitCode()).isZero();
    Poll.until(DEADLINE, () -> k.run("get", "pod", name, "-o", "jsonpath={.status.phase}").out().equals("Running"),
        () -> k.run("get", "pod", name, "-o", "yaml").out());
    return layout;
  }

  /** Starts {@code kava server} with a containerd node on {@link #dataDir} (its output appended to the log it returns). */
  Path launchServer() throws IOException {
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    int subnet = Math.floorMod(dataDir.toString().hashCode(), 250) + 1;
    server = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "io.kava.cli.Main", "server",
        "--data-dir", dataDir.toString(), "--port", Integer.toString(freePort()), "--store", "sqlite", "--runtime", "containerd",
        "--node-name", "kava-cleanup-node", "--pod-cidr", "10.246." + subnet + ".0/24", "--node-port", "0")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return log;
  }

  static List<Long> containerdOf(ContainerdLayout layout) {
    return processes(a -> a.getFirst().endsWith("containerd") && a.contains(layout.config().toString())).stream()
        .filter(NodeCleanupE2ETest::running).toList();
  }

  record Result(int exit, String out) {}

  static Result kava(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), "io.kava.cli.Main"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  static String java() { return ProcessHandle.current().info().command().orElse("java"); }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return "";
    }
  }

  static List<Long> pids() {
    try (Stream<Path> s = Files.list(Path.of("/proc"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).map(Long::parseLong).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  static List<Long> cgroupProcesses(String root) {
    List<Long> out = new ArrayList<>();
    for (long pid : pids()) {
      String cg = read(Path.of("/proc", Long.toString(pid), "cgroup"));
      if (cg.contains(":" + root + "/") || cg.contains(":" + root + "\n")) out.add(pid);
    }
    return out;
  }

  /**
   * Whether {@code pid} still runs: a killed process whose parent is gone stays a zombie until init reaps it, which
   * the init of a container or VM may do late or never; a zombie runs nothing and holds nothing.
   */
  static boolean running(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    int close = stat.lastIndexOf(')');
    return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) != 'Z';
  }

  static List<Long> processes(java.util.function.Predicate<List<String>> test) {
    List<Long> out = new ArrayList<>();
    for (long pid : pids()) {
      String raw = read(Path.of("/proc", Long.toString(pid), "cmdline"));
      if (raw.isEmpty() || pid == ProcessHandle.current().pid()) continue;
      if (test.test(List.of(raw.split("\0")))) out.add(pid);
    }
    return out;
  }

  static List<String> mountsUnder(Path dir) {
    List<String> out = new ArrayList<>();
    for (String line : read(Path.of("/proc/self/mounts")).split("\n")) {
      String[] f = line.split(" ");
      if (f.length > 1 && (f[1] + "/").startsWith(dir.toAbsolutePath() + "/")) out.add(f[1]);
    }
    return out;
  }
}
