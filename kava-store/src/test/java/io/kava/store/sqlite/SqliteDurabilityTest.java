package io.kava.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.store.KeyValue;
import io.kava.store.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An acknowledged write survives kill -9: a child JVM writes and reports acknowledgements, we SIGKILL it mid-stream
 * and reopen the file. (Power loss, which only {@code Sync.FULL} survives, cannot be simulated here.)
 */
class SqliteDurabilityTest {
  private static final int ACKS_BEFORE_KILL = 300;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(SqliteStore.Sync.class)
  void acknowledgedWritesSurviveKill9(SqliteStore.Sync sync) throws Exception {
    Path db = dir.resolve("kava.db");
    Path stderr = dir.resolve("child.err");
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        DurabilityChild.class.getName(), db.toString(), sync.name(), "8")
        .redirectError(stderr.toFile())
        .start();
    Map<String, Long> acked = new LinkedHashMap<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acked.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) record(acked, line);
      assertThat(acked).as("acknowledgements before the child died; its stderr: %s", Files.exists(stderr)
          ? Files.readString(stderr) : "").hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
      // SIGKILL: no shutdown hooks, no close. Through the handle, because Process.destroyForcibly() would also close
      // our end of the pipe, and the acknowledgements still in it count too.
      assertThat(child.toHandle().destroyForcibly()).isTrue();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // Acknowledgements printed before the kill that we had not read yet count too.
      while ((line = out.readLine()) != null) record(acked, line);
    } finally {
      child.destroyForcibly();
    }

    try (Store store = new SqliteStore(db)) {
      for (Map.Entry<String, Long> e : acked.entrySet()) {
        KeyValue kv = store.get(e.getKey()).orElse(null);
        assertThat(kv).as("acknowledged key %s", e.getKey()).isNotNull();
        assertThat(kv.modRevision()).isEqualTo(e.getValue());
        assertThat(kv.value()).isEqualTo(DurabilityChild.valueOf(e.getKey()));
      }
      long maxAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(store.currentRevision()).isGreaterThanOrEqualTo(maxAcked);
      // The reopened store goes on from where the file ends.
      assertThat(store.create("/durable/after", new byte[] {1}).orElseThrow().modRevision())
          .isEqualTo(store.currentRevision());
    }
  }

  private static void record(Map<String, Long> acked, String line) {
    if (!line.startsWith("ACK ")) return;
    String[] parts = line.split(" ");
    if (parts.length == 3) acked.put(parts[1], Long.parseLong(parts[2])); // a torn last line is not an ack
  }
}
