package io.kava.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.cli.ServerCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ClusterBenchTest {
  @Test
  void theServerRunsNoLocalNodeBesideTheSimulatedOnes() {
    // A local containerd node (the default as root) takes some of the measured pods and never runs them offline.
    CommandLine.ParseResult parsed = new CommandLine(new ServerCommand()).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(ClusterBench.SERVER_ARGS.toArray(String[]::new));
    assertThat((Object) parsed.matchedOptionValue("--runtime", null)).isEqualTo(ServerCommand.RuntimeKind.NONE);
  }
}
