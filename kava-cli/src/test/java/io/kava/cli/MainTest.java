package io.kava.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void aRunOfOneSubcommandBuildsOnlyThatOne() {
    assertThat(Main.commandLine("server").getSubcommands()).containsOnlyKeys("server");
    assertThat(Main.commandLine("node").getSubcommands()).containsOnlyKeys("node");
  }

  @Test
  void helpAndUnknownWordsSeeEverySubcommand() {
    for (String first : new String[] {null, "help", "--help", "serve"}) {
      assertThat(Main.commandLine(first).getSubcommands()).containsOnlyKeys("server", "images", "node", "help");
    }
  }

  @Test
  void aMistypedSubcommandIsAnsweredWithTheRightOne() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine("serve").setErr(new PrintWriter(err));
    assertThat(cl.execute("serve")).isEqualTo(2);
    assertThat(err.toString()).contains("Did you mean: kava server?");
  }

  @Test
  void settingsReachTheSubcommandAddedForTheRun() {
    CommandLine server = Main.commandLine("server").getSubcommands().get("server");
    assertThat(server.getUsageHelpWidth()).isEqualTo(130);
    assertThat(server.isCaseInsensitiveEnumValuesAllowed()).isTrue();
  }
}
