package io.kava.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunOptionsTest {
  @Test
  void everyBenchmarkTakesTheSharedOptions() {
    for (Object bench : new Object[] {new ApiBench(), new ApplyBench(), new ClusterBench(), new NodeBench()}) {
      String usage = new CommandLine(bench).getUsageMessage();
      assertThat(usage).as(bench.getClass().getSimpleName())
          .contains("--kava-home", "--quiet-below", "--quiet-wait", "--out").doesNotContain("--command-line");
    }
  }

  @Test
  void parsesIntoTheMixin() {
    ApplyBench bench = new ApplyBench();
    new CommandLine(bench).parseArgs("--quiet-wait", "5s", "--quiet-below", "40", "--out", "r.md", "--kava-home", "/k",
        "--command-line", "bench/run apply");
    assertThat(bench.shared.quietWait).isEqualTo(Duration.ofSeconds(5));
    assertThat(bench.shared.quietBelow).isEqualTo(40.0);
    assertThat(bench.shared.out).isEqualTo(Path.of("r.md"));
    assertThat(bench.shared.kavaTree()).isEqualTo(Path.of("/k"));
    assertThat(bench.shared.appendCommandLine(new StringBuilder(), null).toString()).isEqualTo("```\nbench/run apply\n```\n\n");
  }

  @Test
  void defaultsAsBefore() {
    NodeBench bench = new NodeBench();
    new CommandLine(bench).parseArgs();
    assertThat(bench.shared.quietWait).isEqualTo(Duration.ofSeconds(180));
    assertThat(bench.shared.quietBelow).isEqualTo(15.0);
    assertThat(bench.shared.writesReport()).isFalse();
    assertThat(bench.shared.appendCommandLine(new StringBuilder(), "bench/run node").toString()).isEqualTo("```\nbench/run node\n```\n\n");
  }
}
