package io.kava.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupBenchTest {
  @Test
  void readsTheLaunchersJvmFlags(@TempDir Path dir) throws Exception {
    Path launcher = dir.resolve("kava");
    Files.writeString(launcher, """
        #!/usr/bin/env bash
        aot=()
        exec "$JAVA" ${KAVA_JAVA_OPTS:-} "${aot[@]}" -XX:+UseSerialGC -Xms32m -Xss512k \\
          --enable-native-access=ALL-UNNAMED \\
          -cp "$jar:$here/kava-cli/target/lib/*" io.kava.cli.Main "$@"
        """);
    assertThat(StartupBench.launcherFlags(launcher))
        .containsExactly("-XX:+UseSerialGC", "-Xms32m", "-Xss512k", "--enable-native-access=ALL-UNNAMED");
  }

  @Test
  void fallsBackWithoutALauncher(@TempDir Path dir) {
    assertThat(StartupBench.launcherFlags(dir.resolve("missing"))).isEqualTo(StartupBench.DEFAULT_KAVA_JVM_FLAGS);
  }

  @Test
  void readsTheEnvironmentDefaultsTheLauncherExports(@TempDir Path dir) throws Exception {
    Path launcher = dir.resolve("kava");
    Files.writeString(launcher, """
        #!/usr/bin/env bash
        export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
        export OTHER="${SOMETHING_ELSE:-x}"
        exec "$JAVA" -Xss512k -cp x io.kava.cli.Main "$@"
        """);
    assertThat(StartupBench.launcherEnv(launcher)).containsExactly(java.util.Map.entry("MALLOC_ARENA_MAX", "2"));
    assertThat(StartupBench.launcherEnv(dir.resolve("missing"))).isEmpty();
  }
}
