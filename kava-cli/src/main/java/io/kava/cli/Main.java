package io.kava.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kava} command. */
@Command(name = "kava", mixinStandardHelpOptions = true, versionProvider = KavaVersion.class,
    description = "A Kubernetes-compatible cluster in one program.")
public final class Main implements Runnable {
  // The subcommands, in the order help lists them. picocli reads a command's annotations when it is added, and its
  // jar is interpreted at every start (Java 5 bytecode stays out of the AOT cache): `kava server` adds only itself.
  // (A switch, not a map of method references: a lambda for a picocli class crashes the JDK 25 AOT cache's assembly,
  // "Metadata ... should have been archived", as picocli's classes cannot be archived.)
  private static final List<String> SUBCOMMANDS = List.of("server", "images", "node", "help");

  private static Object subcommand(String name) {
    return switch (name) {
      case "server" -> new ServerCommand();
      case "images" -> new ImagesCommand();
      case "node" -> new NodeCommand();
      case "help" -> new CommandLine.HelpCommand();
      default -> throw new IllegalArgumentException(name);
    };
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Netty (4.2) declares JFR events for its allocator; the first buffer chunk it allocates then initialises JFR's
    // whole metadata repository (~130 ms of an event loop's CPU at start-up, ~0.6 MB of heap kept) although nothing
    // records. Off unless the user asks for them (-Dio.netty.jfr.enabled=true).
    if (System.getProperty("io.netty.jfr.enabled") == null) System.setProperty("io.netty.jfr.enabled", "false");
    // The server's TLS and certificate code warms up on the second core while picocli parses (see StartupWarmup).
    if (args.length > 0 && args[0].equals("server")) {
      StartupWarmup.startInBackground();
      // The server's plain options without picocli's model of them (PlainArguments, ADR 0011); anything else
      // (help, errors) goes through picocli below.
      ServerCommand server = new ServerCommand();
      if (PlainArguments.apply(server, List.of(args).subList(1, args.length))) {
        int code = call(server);
        if (code != 0) System.exit(code);
        return;
      }
    }
    int code = commandLine(args.length > 0 ? args[0] : null).execute(args);
    if (code != 0) System.exit(code);
  }

  /** Runs a command as picocli's execute does: its result is the exit code; an exception is printed, exit code 1. */
  static int call(java.util.concurrent.Callable<Integer> command) {
    try {
      Integer code = command.call();
      return code == null ? 0 : code;
    } catch (Exception e) {
      e.printStackTrace();
      return CommandLine.ExitCode.SOFTWARE;
    }
  }

  /**
   * The command line for a run whose first argument is {@code first}: with only that subcommand when it names one
   * other than help, else with all of them (so that help, errors and suggestions know every one).
   */
  static CommandLine commandLine(String first) {
    CommandLine cl = new CommandLine(new Main());
    if (first != null && !first.equals("help") && SUBCOMMANDS.contains(first)) {
      cl.addSubcommand(first, subcommand(first));
    } else {
      for (String name : SUBCOMMANDS) cl.addSubcommand(name, subcommand(name));
    }
    // Settings reach the subcommands added before them. Descriptions are written as lines of up to ~120 characters:
    // help as wide as that, not picocli's 80, so they do not wrap.
    return cl.setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(130);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
