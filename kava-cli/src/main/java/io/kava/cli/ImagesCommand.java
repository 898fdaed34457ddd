package io.kava.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kava images}: images in the node's containerd. */
@Command(name = "images", mixinStandardHelpOptions = true,
    description = "Manage the images of this node's containerd (the k8s.io namespace, where pods find them).",
    subcommands = {ImagesCommand.Import.class, CommandLine.HelpCommand.class})
public final class ImagesCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code kava images import FILE.tar}: loads an OCI or docker archive through {@code ctr images import}, so
   * that pods with {@code imagePullPolicy: IfNotPresent} or {@code Never} run it without a registry.
   */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"Load an OCI or docker image archive (docker save, skopeo copy oci-archive:, umoci) into containerd's k8s.io namespace.",
          "Needs a running containerd: the one `kava server` runs under the data dir, or the one --container-runtime-endpoint names."})
  static final class Import implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE.tar", description = "The image archive.")
    Path file;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "kava's data dir, whose containerd to use (default: /var/lib/kava as root, else ~/.kava).")
    Path dataDir;

    @Option(names = "--container-runtime-endpoint", paramLabel = "ENDPOINT",
        description = "Socket of an existing containerd (unix:///run/containerd/containerd.sock); default: kava's own under the data dir.")
    String endpoint;

    @Option(names = "--base-name", paramLabel = "NAME",
        description = "Name for images the archive does not name (e.g. kava.local/app); else containerd names them import-DATE.")
    String baseName;

    @Option(names = "--ctr", paramLabel = "PATH", hidden = true, defaultValue = "ctr", description = "The ctr binary.")
    String ctr;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      PrintWriter out = spec.commandLine().getOut();
      if (!Files.isRegularFile(file)) {
        err.println("error: " + file + ": no such file");
        return 1;
      }
      Path socket = socket(endpoint, dataDir != null ? dataDir : ServerCommand.defaultDataDir());
      String problem = probeSocket(socket);
      if (problem != null) {
        err.println("error: containerd is not running at " + socket + " (" + problem + "): start `kava server`"
            + (endpoint == null ? " with this --data-dir" : "") + ", or name a running containerd with --container-runtime-endpoint");
        return 1;
      }
      List<String> cmd = new ArrayList<>(List.of(ctr, "-a", socket.toString(), "-n", "k8s.io", "images", "import"));
      if (baseName != null) cmd.addAll(List.of("--base-name", baseName));
      cmd.add(file.toAbsolutePath().toString());
      Process p;
      try {
        p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      } catch (IOException e) {
        err.println("error: cannot run " + ctr + " (install containerd, e.g. the Debian package `containerd`): " + e.getMessage());
        return 1;
      }
      try (var in = p.getInputStream()) {
        String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (code != 0) {
          err.print("error: importing " + file + " failed: " + text);
          if (!text.endsWith("\n")) err.println();
          return code;
        }
        out.print(text);
      }
      out.flush();
      return 0;
    }

    /** The containerd socket: the endpoint's path (unix:// optional) or kava's own under the data dir. */
    static Path socket(String endpoint, Path dataDir) {
      if (endpoint != null && !endpoint.isEmpty()) {
        return Path.of(endpoint.startsWith("unix://") ? endpoint.substring("unix://".length()) : endpoint);
      }
      return io.kava.node.containerd.ContainerdLayout.under(dataDir).socket();
    }

    /** Why nothing answers on the socket, or null when something does. */
    static String probeSocket(Path socket) {
      if (!Files.exists(socket)) return "no socket";
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(socket));
        return null;
      } catch (IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("ermission") ? "permission denied; run as root" : m.toLowerCase(java.util.Locale.ROOT);
      }
    }
  }
}
