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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code kava node cleanup}: a {@code kava server} in a child JVM runs a pod (a tmpfs volume, a background process),
 * is killed with -9, and then its shims are killed too (the trap in docs/known-traps.md: the pods' processes become
 * orphans no runtime knows). The command, run as a user would, must leave no process in the node's cgroups, no
 * containerd or shim of the node, no mount under its data dir and no cgroup of the node. Checked from /proc and
 * /sys/fs/cgroup directly, not through the code under test.
 */
@Tag("e2e")
class NodeCleanupE2ETest {
  static final Duration DEADLINE = Duration.ofSeconds(120);
  Path dataDir;
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

  @Test
  void cleanupRemovesWhatAKilledNodeLeft() throws Exception {
    List<String> missing = new ArrayList<>(Prerequisites.problems(Prerequisites.isRoot(), ContainerdConfig.DEFAULT_CNI_BIN_DIR));
    assumeTrue(missing.isEmpty(), "skipping: " + String.join("; ", missing));
    Kubectl probe = Kubectl.of("1.33", Path.of("/nonexistent"));
    assumeTrue(probe.available(), "kubectl 1.33 is not installed at " + probe.binary() + "; skipping");

    dataDir = Files.createTempDirectory("kava-cleanup-");
    ContainerdLayout layout = ContainerdLayout.under(dataDir);
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    int subnet = Math.floorMod(dataDir.toString().hashCode(), 250) + 1;
    server = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "io.kava.cli.Main", "server",
        "--data-dir", dataDir.toString(), "--port", Integer.toString(freePort()), "--store", "sqlite", "--runtime", "containerd",
        "--node-name", "kava-cleanup-node", "--pod-cidr", "10.246." + subnet + ".0/24", "--node-port", "0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Poll.until(DEADLINE, () -> read(log).contains("kava is ready") || !server.isAlive(), () -> read(log));
    assertThat(server.isAlive()).as(read(log)).isTrue();

    Kubectl k = Kubectl.of("1.33", dataDir.resolve("kubeconfig.yaml"));
    Poll.until(DEADLINE, () -> k.run("get", "node", "kava-cleanup-node", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
        .out().equals("True"), () -> k.run("get", "nodes", "-o", "yaml") + read(log));
    Poll.until(DEADLINE, () -> k.run("get", "serviceaccount", "default").ok(), () -> "no default service account");
    // The sandbox image kava imported at start is busybox: no registry needed.
    String pod = """
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
        """.formatted(BusyboxImages.PAUSE_IMAGE);
    assertThat(k.runWithInput(pod, "apply", "-f", "-").exitCode()).isZero();
    Poll.until(DEADLINE, () -> k.run("get", "pod", "left", "-o", "jsonpath={.status.phase}").out().equals("Running"),
        () -> k.run("get", "pod", "left", "-o", "yaml").out());
    Poll.until(DEADLINE, () -> cgroupProcesses(layout.cgroupRoot()).size() >= 3, () -> "processes " + cgroupProcesses(layout.cgroupRoot()));
    assertThat(mountsUnder(dataDir)).as("the pod's tmpfs and rootfs are mounted under the data dir").isNotEmpty();

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

    Result again = kava("node", "cleanup", "--data-dir", dataDir.toString());
    assertThat(again.exit()).as("a second run finds nothing: " + again.out()).isZero();
  }

  @Test
  void helpDescribesTheCommand() throws Exception {
    Result r = kava("node", "cleanup", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--data-dir").contains("k3s-killall.sh");
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
