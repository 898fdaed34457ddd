package io.kava.cli;

import io.kava.node.containerd.NodeCleanup;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kava node}: the local node's host state. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Manage what the local node (the one `kava server` runs) leaves on this host.",
    subcommands = {NodeCommand.Cleanup.class, CommandLine.HelpCommand.class})
public final class NodeCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code kava node cleanup}: k3s-killall.sh for one kava data dir. */
  @Command(name = "cleanup", mixinStandardHelpOptions = true,
      description = {"Stop and remove everything a kava node left running after its server was killed (kill -9, a crash), as",
          "k3s-killall.sh does for k3s: its pods' containers and sandboxes (through its containerd while that answers),",
          "any process left in its pod cgroups (also the orphans of killed shims), its containerd and shims, every mount",
          "under the data dir, its pod cgroups, CNI bridge and masquerade rule; with containerd dead too, also its pods'",
          "network namespaces (and veths), hostPort rules, IP reservations and shim sockets. Other kava nodes and containerds on the",
          "machine are not touched; the data dir's files (store, certificates, logs) stay. Needs root.",
          "Exits 0 when nothing of the node remains, 1 (listing it) otherwise, 2 when its server still runs."})
  static final class Cleanup implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "The data dir of the node to clean up (default: /var/lib/kava as root, else ~/.kava).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Path dir = (dataDir != null ? dataDir : ServerCommand.defaultDataDir()).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        err.println("error: " + dir + ": no such directory");
        return 1;
      }
      Long server = runningServer(dir);
      if (server != null) {
        err.println("error: kava server (pid " + server + ") still runs on " + dir + ": stop it first (its SIGTERM stops its node cleanly)");
        return 2;
      }
      NodeCleanup.Result r = new NodeCleanup(dir, line -> {
        out.println(line);
        out.flush();
      }).run();
      if (r.clean()) {
        out.println("nothing of the node under " + dir + " remains");
        return 0;
      }
      err.println("left behind:");
      for (String s : r.remaining()) err.println("  " + s);
      return 1;
    }

    /** A live {@code kava server --data-dir DIR} (this JVM's own process is never one). */
    static Long runningServer(Path dir) {
      try (var s = Files.list(Path.of("/proc"))) {
        for (Path p : s.filter(f -> f.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
          long pid = Long.parseLong(p.getFileName().toString());
          if (pid == ProcessHandle.current().pid()) continue;
          List<String> args;
          try {
            args = List.of(new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).split("\0"));
          } catch (java.io.IOException e) {
            continue;
          }
          int i = args.indexOf("--data-dir");
          if (args.contains("server") && i >= 0 && i + 1 < args.size()
              && Path.of(args.get(i + 1)).toAbsolutePath().normalize().equals(dir)) {
            return pid;
          }
        }
      } catch (java.io.IOException e) {
        return null;
      }
      return null;
    }
  }
}
