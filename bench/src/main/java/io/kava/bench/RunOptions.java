package io.kava.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options every benchmark that starts kava shares (a picocli mixin): where the kava tree is, how long to wait for
 * a quiet machine before each measurement, and where the Markdown report goes.
 */
final class RunOptions {
  @Option(names = "--kava-home", defaultValue = "${sys:kava.home:-.}",
      description = "The kava tree with kava-cli/target built (default: ${DEFAULT-VALUE}).")
  Path kavaHome;

  @Option(names = "--quiet-below", defaultValue = "15",
      description = "Before each measurement, wait until other processes use less than this percentage of the CPUs "
          + "(a shared machine; 100 to never wait) (default: ${DEFAULT-VALUE}).")
  double quietBelow;

  @Option(names = "--quiet-wait", defaultValue = "180s", converter = ApiBench.DurationConverter.class,
      description = "The longest wait for a quiet machine before measuring anyway (default: ${DEFAULT-VALUE}).")
  Duration quietWait;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the figures as Markdown to FILE.")
  Path out;

  @Option(names = "--command-line", hidden = true, description = "How the run was invoked, for the report (set by bench/run).")
  String commandLine;

  /** The kava tree as an absolute, normalized path (child processes run in other directories). */
  Path kavaTree() { return kavaHome.toAbsolutePath().normalize(); }

  /**
   * Waits (at most --quiet-wait) until other processes leave the CPUs quiet enough to measure {@code what}; the given
   * child processes (the server under test) do not count as other processes.
   */
  void awaitQuiet(PrintStream log, String what, long... ours) throws InterruptedException {
    Machine.awaitQuiet(log, what, quietBelow, quietWait, ours);
  }

  /** Whether a Markdown report was asked for. */
  boolean writesReport() { return out != null; }

  /** Appends the invocation as a fenced block, or {@code fallback} in its place when bench/run did not pass it. */
  StringBuilder appendCommandLine(StringBuilder md, String fallback) {
    String line = commandLine != null ? commandLine : fallback;
    if (line != null) md.append("```\n").append(line).append("\n```\n\n");
    return md;
  }

  /** Writes the report to --out and says so on {@code log}. */
  void writeReport(PrintStream log, CharSequence markdown) throws IOException {
    Files.writeString(out, markdown, StandardCharsets.UTF_8);
    log.println("wrote " + out);
  }
}
