package io.kava.testing;

import io.kava.node.cri.CriClient;
import io.kava.node.cri.v1.ContainerConfig;
import io.kava.node.cri.v1.ContainerMetadata;
import io.kava.node.cri.v1.ImageSpec;
import io.kava.node.cri.v1.LinuxPodSandboxConfig;
import io.kava.node.cri.v1.LinuxSandboxSecurityContext;
import io.kava.node.cri.v1.NamespaceMode;
import io.kava.node.cri.v1.NamespaceOption;
import io.kava.node.cri.v1.PodSandbox;
import io.kava.node.cri.v1.PodSandboxConfig;
import io.kava.node.cri.v1.PodSandboxMetadata;
import io.kava.node.image.BusyboxImages;
import io.kava.node.image.OciImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A containerd of the test's own (its own root, state, socket and a random streaming port on 127.0.0.1) with the
 * busybox-based sandbox and test images imported, for tests that need real containers before or without the node
 * agent. Pods run in the host's network namespace, so no CNI is needed. {@link #unavailable()} says why it cannot run
 * here (not root, containerd, runc or busybox missing), for a test to skip with.
 */
public final class TestContainerd implements AutoCloseable {
  public static final String BUSYBOX_IMAGE = "kava.local/busybox:1";

  private final Path dir;
  private final Process process;
  private final CriClient cri;

  private TestContainerd(Path dir, Process process, CriClient cri) {
    this.dir = dir;
    this.process = process;
    this.cri = cri;
  }

  /** Why containerd cannot be started here, or null when it can. */
  public static String unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) return "containerd needs root (running as " + System.getProperty("user.name") + ")";
    for (String bin : List.of("/usr/bin/containerd", "/usr/bin/ctr")) {
      if (!Files.isExecutable(Path.of(bin))) return bin + " is missing (Debian package containerd)";
    }
    if (!Files.isExecutable(Path.of("/usr/sbin/runc")) && !Files.isExecutable(Path.of("/usr/bin/runc"))) return "runc is missing (Debian package runc)";
    if (BusyboxImages.findBusybox() == null) return "busybox is missing (Debian package busybox-static)";
    return null;
  }

  public static TestContainerd start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "kc"); // short: the socket path must fit in 108 bytes
    Path sock = dir.resolve("containerd.sock");
    String config = """
        version = 2
        root = "%1$s/root"
        state = "%1$s/state"
        [grpc]
          address = "%2$s"
        [ttrpc]
          address = "%1$s/ttrpc.sock"
        [plugins."io.containerd.internal.v1.opt"]
          path = "%1$s/opt"
        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "%3$s"
          restrict_oom_score_adj = true
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"
          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
            default_runtime_name = "runc"
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                SystemdCgroup = false
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "/usr/lib/cni"
            conf_dir = "%1$s/cni"
        """.formatted(dir, sock, BusyboxImages.PAUSE_IMAGE);
    Files.writeString(dir.resolve("config.toml"), config);
    Process p = new ProcessBuilder("/usr/bin/containerd", "--config", dir.resolve("config.toml").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
    CriClient cri = null;
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        if (!p.isAlive()) throw new IOException("containerd exited: " + Files.readString(dir.resolve("containerd.log")));
        if (Files.exists(sock)) {
          if (cri == null) cri = CriClient.connect("unix://" + sock, Duration.ofSeconds(30), Duration.ofMinutes(2));
          try {
            cri.version();
            break;
          } catch (RuntimeException notYet) {
            // the CRI plugin is still starting
          }
        }
        if (System.nanoTime() > end) throw new IOException("containerd did not answer in 30 s: " + Files.readString(dir.resolve("containerd.log")));
        Thread.sleep(100);
      }
      TestContainerd c = new TestContainerd(dir, p, cri);
      Path busybox = BusyboxImages.findBusybox();
      c.importImage(BusyboxImages.pause(busybox));
      c.importImage(BusyboxImages.busybox(busybox, BUSYBOX_IMAGE));
      return c;
    } catch (IOException | RuntimeException | InterruptedException e) {
      if (cri != null) cri.close();
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  public CriClient cri() { return cri; }

  public Path dir() { return dir; }

  private void importImage(OciImage image) throws IOException, InterruptedException {
    Path tar = dir.resolve(image.tag() + "-" + Math.abs(image.name().hashCode()) + ".tar");
    try (OutputStream out = Files.newOutputStream(tar)) {
      image.writeArchive(out);
    }
    String base = image.name().substring(0, image.name().lastIndexOf(':'));
    Process p = new ProcessBuilder("/usr/bin/ctr", "--address", dir.resolve("containerd.sock").toString(), "-n", "k8s.io",
        "images", "import", "--base-name", base, tar.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("ctr import " + image.name() + " failed: " + out);
  }

  /** A container to run in {@link #runPod}. */
  public record ContainerSpec(String name, List<String> command, boolean stdin, boolean tty) {
    public static ContainerSpec of(String name, String... command) { return new ContainerSpec(name, List.of(command), false, false); }
  }

  /** A pod as the node agent would start it: a host-network sandbox and its containers (attempt 0), logs under dir. */
  public String runPod(String namespace, String name, String uid, List<ContainerSpec> containers) {
    PodSandboxConfig sandbox = sandboxConfig(namespace, name, uid);
    String sandboxId = cri.runPodSandbox(sandbox, null);
    for (ContainerSpec c : containers) startContainer(sandboxId, sandbox, c, 0);
    return sandboxId;
  }

  /** Starts (another attempt of) a container in a running sandbox; returns the container id. */
  public String startContainer(String sandboxId, PodSandboxConfig sandbox, ContainerSpec c, int attempt) {
    ContainerConfig cc = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(c.name()).setAttempt(attempt))
        .setImage(ImageSpec.newBuilder().setImage(BUSYBOX_IMAGE))
        .addAllCommand(c.command())
        .setLogPath(c.name() + "/" + attempt + ".log")
        .setStdin(c.stdin())
        .setTty(c.tty())
        .putAllLabels(Map.of("io.kubernetes.container.name", c.name()))
        .build();
    String id = cri.createContainer(sandboxId, cc, sandbox);
    cri.startContainer(id);
    return id;
  }

  public PodSandboxConfig sandboxConfig(String namespace, String name, String uid) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace(namespace).setUid(uid))
        .setLogDirectory(dir.resolve("pods").resolve(namespace + "_" + name + "_" + uid).toString())
        .putAllLabels(Map.of("io.kubernetes.pod.namespace", namespace, "io.kubernetes.pod.name", name, "io.kubernetes.pod.uid", uid))
        .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
            .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE))))
        .build();
  }

  /** Stops and removes every sandbox, stops containerd and deletes its directories. */
  @Override
  public void close() {
    try {
      for (PodSandbox s : cri.listPodSandbox(Map.of())) {
        try {
          for (var c : cri.listContainers(io.kava.node.cri.v1.ContainerFilter.newBuilder().setPodSandboxId(s.getId()).build())) {
            cri.stopContainer(c.getId(), 0);
          }
          cri.stopPodSandbox(s.getId());
          cri.removePodSandbox(s.getId());
        } catch (RuntimeException e) {
          // best effort
        }
      }
    } catch (RuntimeException e) {
      // containerd may be gone already
    }
    cri.close();
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      // Unmount what containerd left mounted before deleting its tree.
      new ProcessBuilder("sh", "-c", "grep -o ' " + dir + "[^ ]*' /proc/self/mounts | sort -r | xargs -r -n1 umount -l")
          .redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException | IOException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // leave it
    }
  }
}
