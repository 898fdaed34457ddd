package io.kava.node.volume;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
  @TempDir Path dir;
  final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:34:56Z"), ZoneOffset.UTC);

  static FileProjection f(String s, int mode) { return new FileProjection(s.getBytes(UTF_8), mode); }

  @Test
  void writesTimestampedDirDataLinkAndPerKeyLinks() throws Exception {
    AtomicWriter w = new AtomicWriter(dir, clock);
    assertThat(w.write(Map.of("a", f("one", 0644), "sub/b", f("two", 0400)))).isTrue();

    Path data = dir.resolve("..data");
    assertThat(Files.isSymbolicLink(data)).isTrue();
    String ts = Files.readSymbolicLink(data).toString();
    assertThat(ts).matches("\\.\\.2026_11_26_12_34_56\\.\\d+");
    assertThat(AtomicWriter.mode(dir.resolve(ts))).isEqualTo(0755);
    assertThat(Files.readSymbolicLink(dir.resolve("a"))).hasToString("..data/a");
    assertThat(Files.readSymbolicLink(dir.resolve("sub"))).hasToString("..data/sub");
    assertThat(Files.readString(dir.resolve("a"))).isEqualTo("one");
    assertThat(Files.readString(dir.resolve("sub/b"))).isEqualTo("two");
    assertThat(AtomicWriter.mode(dir.resolve(ts).resolve("a"))).isEqualTo(0644);
    assertThat(AtomicWriter.mode(dir.resolve(ts).resolve("sub/b"))).isEqualTo(0400);
    assertThat(Files.exists(dir.resolve("..data_tmp"))).isFalse();
  }

  @Test
  void unchangedPayloadIsNotRewritten() throws Exception {
    AtomicWriter w = new AtomicWriter(dir, clock);
    w.write(Map.of("a", f("one", 0644)));
    Path before = Files.readSymbolicLink(dir.resolve("..data"));
    assertThat(w.write(Map.of("a", f("one", 0644)))).isFalse();
    assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isEqualTo(before);
    // modes are not compared (upstream compares content): ownership may have widened them
    assertThat(w.write(Map.of("a", f("one", 0600)))).isFalse();
    assertThat(w.write(Map.of("a", f("two", 0644)))).isTrue();
    assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isNotEqualTo(before);
  }

  @Test
  void updateSwapsDataRemovesStaleKeysAndOldDir() throws Exception {
    AtomicWriter w = new AtomicWriter(dir, clock);
    w.write(Map.of("a", f("one", 0644), "b", f("bee", 0644)));
    Path old = dir.resolve(Files.readSymbolicLink(dir.resolve("..data")));
    assertThat(w.write(Map.of("a", f("uno", 0644), "c", f("see", 0644)))).isTrue();
    assertThat(Files.readString(dir.resolve("a"))).isEqualTo("uno");
    assertThat(Files.readString(dir.resolve("c"))).isEqualTo("see");
    assertThat(Files.exists(dir.resolve("b"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(old)).isFalse();
    assertThat(w.read()).containsOnlyKeys("a", "c");
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..2026")).count()).isEqualTo(1);
    }
  }

  @Test
  void emptyPayloadLeavesOnlyDataLink() throws Exception {
    AtomicWriter w = new AtomicWriter(dir, clock);
    w.write(Map.of("a", f("one", 0644)));
    w.write(Map.of());
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("..")).toList()).isEmpty();
    }
  }

  @Test
  void refusesPathsOutsideTheTarget() {
    AtomicWriter w = new AtomicWriter(dir, clock);
    assertThatThrownBy(() -> w.write(Map.of("/etc/passwd", f("x", 0644)))).hasMessageContaining("must be relative path");
    assertThatThrownBy(() -> w.write(Map.of("a/../../x", f("x", 0644)))).hasMessageContaining("must not contain '..'");
    assertThatThrownBy(() -> w.write(Map.of("..data", f("x", 0644)))).hasMessageContaining("must not start with '..'");
  }
}
