package io.kava.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kava} command. */
@Command(name = "kava", mixinStandardHelpOptions = true, versionProvider = KavaVersion.class,
    description = "A Kubernetes-compatible cluster in one program.",
    subcommands = {ServerCommand.class, ImagesCommand.class, NodeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // The server's TLS and certificate code warms up on the second core while picocli parses (see StartupWarmup).
    if (args.length > 0 && args[0].equals("server")) StartupWarmup.startInBackground();
    // Descriptions are written as lines of up to ~120 characters: help as wide as that, not picocli's 80, so they do not wrap.
    int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(130).execute(args);
    if (code != 0) System.exit(code);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
