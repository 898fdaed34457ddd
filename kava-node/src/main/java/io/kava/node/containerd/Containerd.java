package io.kava.node.containerd;

import io.kava.api.json.Json;
import io.kava.node.cri.CriClient;
import io.kava.node.cri.CriException;
import io.kava.node.image.BusyboxImages;
import io.kava.node.image.OciImage;
import io.kava.node.registry.RegistriesConfig;
import io.kava.node.registry.RegistryHosts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kava's own containerd, the way k3s runs one: config, CNI network and sandbox image written under the data dir,
 * containerd started as a child process with its output in {@code containerd.log}, restarted if it dies (with a
 * back-off), and stopped on close. Running containers survive a containerd restart (their shims keep them), so the
 * node agent only has to reconnect.
 */
public final class Containerd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Containerd.class);
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /** Registry mirrors, plain-HTTP registries and credentials, in k3s's registries.yaml format, read at start. */
  public static final String REGISTRIES_FILE = "registries.yaml";
  static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(30);

  /**
   * @param podCidr the node's pod CIDR (host-local hands out its addresses)
   */
  public record Options(Path dataDir, String podCidr, String cniBinDir) {
    public Options {
      if (cniBinDir == null) cniBinDir = ContainerdConfig.DEFAULT_CNI_BIN_DIR;
    }
  }

  private final ContainerdLayout layout;
  private final Path containerdBinary;
  private final Path ctrBinary;
  private volatile Process process;
  private volatile boolean closed;
  private volatile Thread supervisor;
  private final Options options;
  private final Path busybox;

  private Containerd(ContainerdLayout layout, Path containerdBinary, Path ctrBinary, Options options, Path busybox) {
    this.layout = layout;
    this.containerdBinary = containerdBinary;
    this.ctrBinary = ctrBinary;
    this.options = options;
    this.busybox = busybox;
  }

  /**
   * Checks the prerequisites, writes the configuration, starts containerd, waits until its CRI answers and imports
   * the sandbox image. Throws {@link RuntimeUnavailableException} (saying what to install) when it cannot.
   */
  public static Containerd start(Options o) { return create(o).start(); }

  /**
   * Checks the prerequisites (throws {@link RuntimeUnavailableException}, saying what to install, when they are
   * missing) and returns a containerd not started yet: a caller that may be closed meanwhile (a signal during the
   * server's start-up) holds it before {@link #start} runs, and its {@link #close} then stops the start.
   */
  public static Containerd create(Options o) {
    Path busybox = checkPrerequisites(o.cniBinDir());
    return new Containerd(ContainerdLayout.under(o.dataDir()), Prerequisites.find("containerd"), Prerequisites.find("ctr"), o, busybox);
  }

  /**
   * Throws {@link RuntimeUnavailableException}, saying what to install, when kava cannot run its own containerd here
   * ({@code cniBinDir} null: the default); returns the static busybox the sandbox image is built from.
   */
  public static Path checkPrerequisites(String cniBinDir) {
    Prerequisites.check(Prerequisites.isRoot(), cniBinDir == null ? ContainerdConfig.DEFAULT_CNI_BIN_DIR : cniBinDir);
    Path busybox = BusyboxImages.findBusybox();
    if (busybox == null) {
      throw new RuntimeUnavailableException("cannot build the pod sandbox image: no static busybox at " + BusyboxImages.BUSYBOX_CANDIDATES
          + ". Install it with `apt-get install busybox-static`, or use --runtime sim.");
    }
    return busybox;
  }

  /** Writes the configuration, starts containerd, waits until its CRI answers and imports the sandbox image. */
  public Containerd start() {
    try {
      prepare(options, busybox);
      stopLeftover();
      launch();
      supervisor = Thread.ofPlatform().daemon().name("kava-containerd-supervisor").start(this::supervise);
      awaitReady(START_TIMEOUT);
      importImage(layout.pauseArchive(), "kava.local/pause");
      return this;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted while starting containerd");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Stops the containerd an earlier kava left running on this data dir: killed before it could stop it (kill -9, a
   * crash). While it runs its metadata database stays locked, and a new containerd would wait for the lock forever.
   * Its containers survive in their shims, and the new containerd finds them. One whose parent is a live JVM belongs
   * to another kava on the same data dir: that is refused.
   */
  private void stopLeftover() throws InterruptedException {
    List<Long> leftover = HostProcesses.withCommandLine(args -> NodeLeftovers.isContainerdOf(args, layout.config()));
    for (long pid : leftover) {
      java.util.Optional<ProcessHandle> parent = ProcessHandle.of(pid).flatMap(ProcessHandle::parent);
      if (parent.isPresent() && parent.get().pid() != 1 && isJava(HostProcesses.args(parent.get().pid()))) {
        throw new RuntimeUnavailableException("containerd (pid " + pid + ") of the data dir " + layout.dir().getParent() + " runs under process "
            + parent.get().pid() + ", another kava: stop it first, or give this server another --data-dir");
      }
      log.warn("stopping containerd (pid {}), left running on {} by an earlier kava that did not stop it", pid, layout.dir());
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
    if (leftover.isEmpty()) return;
    // Gone once its command line is (a zombie whose parent died waits for init to reap it, which may be late).
    java.util.function.BooleanSupplier gone = () -> leftover.stream().allMatch(pid -> HostProcesses.args(pid).isEmpty());
    if (!HostProcesses.waitUntil(gone, Duration.ofSeconds(10))) {
      for (long pid : leftover) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      if (!HostProcesses.waitUntil(gone, Duration.ofSeconds(5))) {
        throw new RuntimeUnavailableException("containerd left running on " + layout.dir() + " (pid " + leftover + ") does not stop; kill it, or run `kava node cleanup`");
      }
    }
  }

  static boolean isJava(List<String> args) {
    if (args.isEmpty()) return false;
    String cmd = args.getFirst();
    return cmd.equals("java") || cmd.endsWith("/java");
  }

  public ContainerdLayout layout() { return layout; }

  public String endpoint() { return layout.endpoint(); }

  private void prepare(Options o, Path busybox) throws IOException {
    for (Path d : List.of(layout.dir(), layout.socketDir(), layout.root(), layout.state(), layout.cniConfDir(), layout.cniIpamDir(), layout.registryHostsDir())) {
      Files.createDirectories(d);
    }
    OciImage pause = BusyboxImages.pause(busybox);
    try (OutputStream out = Files.newOutputStream(layout.pauseArchive())) {
      pause.writeArchive(out);
    }
    // registries.yaml (k3s's format) in the data dir: mirrors and TLS as certs.d hosts.toml files, credentials as CRI auth tables.
    Path registriesYaml = o.dataDir().toAbsolutePath().resolve(REGISTRIES_FILE);
    RegistriesConfig registries;
    try {
      registries = RegistriesConfig.load(registriesYaml);
    } catch (IllegalArgumentException e) {
      throw new RuntimeUnavailableException("cannot use " + registriesYaml + ": " + e.getMessage());
    }
    RegistryHosts.write(registries, layout.registryHostsDir());
    Files.writeString(layout.config(), ContainerdConfig.render(layout, pause.name(), o.cniBinDir()) + RegistryHosts.criAuthToml(registries));
    // containerd reports NetworkReady=false and refuses pods until a network config exists: write it first.
    writeAtomically(layout.cniConfDir().resolve(CniConfig.fileName(layout)), Json.bytes(CniConfig.conflist(layout, o.podCidr())));
  }

  private static void writeAtomically(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(tmp, content);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Starts the containerd process; none once closed (the close may have come while it started). */
  private synchronized void launch() throws IOException {
    if (closed) throw new RuntimeUnavailableException("containerd was stopped while it started");
    Files.deleteIfExists(layout.socket()); // a stale socket from a killed run would look like a live containerd
    ProcessBuilder pb = new ProcessBuilder(OwnSession.command(List.of(containerdBinary.toString(), "--config", layout.config().toString())));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log().toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    process = pb.start();
    log.info("containerd started (pid {}), socket {}, log {}", process.pid(), layout.socket(), layout.log());
  }

  /** Restarts containerd whenever it exits while kava runs; the delay doubles from 1 s to 30 s, reset after a minute of uptime. */
  private void supervise() {
    long delay = 1000;
    while (!closed) {
      Process p = process;
      long started = System.nanoTime();
      try {
        int code = p.waitFor();
        if (closed) return;
        if (System.nanoTime() - started > TimeUnit.MINUTES.toNanos(1)) delay = 1000;
        log.warn("containerd exited with code {}: {}; restarting in {} ms (see {})", code, lastLogLine(), delay, layout.log());
        Thread.sleep(delay);
        delay = Math.min(delay * 2, MAX_RESTART_DELAY.toMillis());
        if (closed) return;
        launch();
      } catch (InterruptedException | RuntimeUnavailableException e) {
        return; // closed meanwhile
      } catch (IOException e) {
        log.error("cannot restart containerd", e);
      }
    }
  }

  private String lastLogLine() { return lastLine(layout.log()); }

  /** The last line of {@code log} (what containerd said before it exited, usually), shortened; "" when there is none. */
  static String lastLine(Path log) {
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log.toFile(), "r")) {
      long from = Math.max(0, f.length() - 4096);
      byte[] tail = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(tail);
      String[] lines = new String(tail, java.nio.charset.StandardCharsets.UTF_8).strip().split("\n");
      String last = lines[lines.length - 1].strip();
      return last.length() > 300 ? last.substring(0, 300) + "…" : last;
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until the CRI answers on the socket. */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no socket yet";
    while (System.nanoTime() < deadline) {
      if (closed) throw new RuntimeUnavailableException("containerd was stopped while it started");
      Process p = process;
      if (p != null && !p.isAlive() && supervisor == null) {
        throw new RuntimeUnavailableException("containerd exited with code " + p.exitValue() + " at start: " + lastLogLine() + "; see " + layout.log());
      }
      if (Files.exists(layout.socket())) {
        try (CriClient cri = CriClient.connect(endpoint(), Duration.ofSeconds(5), Duration.ofSeconds(5))) {
          cri.version();
          return;
        } catch (CriException e) {
          last = e.getMessage();
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeUnavailableException("interrupted while waiting for containerd");
      }
    }
    throw new RuntimeUnavailableException("containerd did not answer on " + layout.socket() + " within " + timeout.toSeconds() + " s (" + last
        + "); see " + layout.log());
  }

  /**
   * Imports an OCI or docker archive into the CRI's image namespace ({@code k8s.io}). {@code baseName} names images
   * whose archive gives only a tag (ctr would name them {@code import-DATE} otherwise); null leaves names as they are.
   */
  public void importImage(Path archive, String baseName) {
    List<String> cmd = new ArrayList<>(List.of(ctrBinary.toString(), "-a", layout.socket().toString(), "-n", "k8s.io", "images", "import"));
    if (baseName != null) cmd.addAll(List.of("--base-name", baseName));
    cmd.add(archive.toString());
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new RuntimeUnavailableException("importing " + archive + " into containerd failed: " + out.strip());
      }
      log.debug("imported {}: {}", archive, out.strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted while importing " + archive);
    }
  }

  /** Stops containerd (SIGTERM, then SIGKILL after 10 s). Containers keep running in their shims until their pods are stopped. */
  @Override
  public void close() {
    Process p;
    synchronized (this) {
      if (closed) return; // stopped already (or by the close racing this one)
      closed = true;
      p = process;
    }
    Thread s = supervisor;
    if (s != null) s.interrupt();
    if (p == null) {
      removeSocketDir();
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!p.isAlive()) removeSocketDir();
    log.info("containerd stopped");
  }

  /** The sockets' directory under /run/kava, if a long data dir put them there: containerd leaves its ttrpc socket. */
  private void removeSocketDir() {
    if (layout.socketDir().equals(layout.dir())) return;
    try {
      Files.deleteIfExists(layout.socket());
      Files.deleteIfExists(Path.of(layout.socket() + ".ttrpc"));
      Files.deleteIfExists(layout.socketDir());
    } catch (IOException e) {
      log.debug("could not remove {}", layout.socketDir(), e); // kava node cleanup removes it
    }
  }
}
