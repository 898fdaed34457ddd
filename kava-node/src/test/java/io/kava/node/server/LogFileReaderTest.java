package io.kava.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileReaderTest {
  @TempDir Path dir;
  Duration savedPoll;

  @BeforeEach
  void fastPolls() {
    savedPoll = LogFileReader.pollInterval;
    LogFileReader.pollInterval = Duration.ofMillis(1);
  }

  @AfterEach
  void restore() { LogFileReader.pollInterval = savedPoll; }

  static final String LOG = """
      2026-11-26T12:00:01.000000001Z stdout F one
      2026-11-26T12:00:02Z stderr F two
      2026-11-26T12:00:03Z stdout P thr
      2026-11-26T12:00:03.5Z stderr F interleaved
      2026-11-26T12:00:04Z stdout P e
      2026-11-26T12:00:05Z stdout F e
      not a log line
      2026-11-26T12:00:06Z stdout F four
      """;

  record Collected(ByteArrayOutputStream out) implements LogFileReader.Sink {
    Collected() { this(new ByteArrayOutputStream()); }

    @Override public boolean write(byte[] bytes) {
      out.writeBytes(bytes);
      return true;
    }

    @Override public boolean closed() { return false; }

    String text() { return out.toString(StandardCharsets.UTF_8); }
  }

  String read(String log, LogOptions opts) throws Exception {
    Path f = dir.resolve("0.log");
    Files.writeString(f, log);
    Collected c = new Collected();
    new LogFileReader(opts, c).read(f, null);
    return c.text();
  }

  @Test
  void printsContentJoiningPartialLinesPerStream() throws Exception {
    assertThat(read(LOG, LogOptions.ALL)).isEqualTo("one\ntwo\ninterleaved\nthree\nfour\n");
  }

  @Test
  void timestampsAreKubeletsFixedWidthOnesOfTheFirstPart() throws Exception {
    String out = read(LOG, new LogOptions(false, false, -1, null, true, -1));
    assertThat(out).startsWith("2026-11-26T12:00:01.000000001Z one\n2026-11-26T12:00:02.000000000Z two\n")
        .contains("2026-11-26T12:00:03.000000000Z three\n");
  }

  @Test
  void tailCountsRawLines() throws Exception {
    assertThat(read(LOG, new LogOptions(false, false, 1, null, false, -1))).isEqualTo("four\n");
    assertThat(read(LOG, new LogOptions(false, false, 2, null, false, -1))).isEqualTo("four\n"); // a line that is not CRI is skipped
    assertThat(read(LOG, new LogOptions(false, false, 0, null, false, -1))).isEmpty();
    assertThat(read(LOG, new LogOptions(false, false, 100, null, false, -1))).isEqualTo("one\ntwo\ninterleaved\nthree\nfour\n");
    assertThat(read(LOG.stripTrailing(), new LogOptions(false, false, 1, null, false, -1))).isEqualTo("four\n");
  }

  @Test
  void sinceDropsOlderEntries() throws Exception {
    assertThat(read(LOG, new LogOptions(false, false, -1, Instant.parse("2026-11-26T12:00:03Z"), false, -1))).isEqualTo("interleaved\nthree\nfour\n");
  }

  @Test
  void limitBytesCutsTheOutput() throws Exception {
    assertThat(read(LOG, new LogOptions(false, false, -1, null, false, 6))).isEqualTo("one\ntw");
  }

  @Test
  void aTrailingPartialLineIsPrintedAtTheEnd() throws Exception {
    assertThat(read("2026-11-26T12:00:01Z stdout F a\n2026-11-26T12:00:02Z stdout P no newline yet\n", LogOptions.ALL)).isEqualTo("a\nno newline yet");
  }

  @Test
  void followReadsWhatIsAppendedUntilTheContainerStopsThenTheNextInstance() throws Exception {
    Path first = dir.resolve("0.log");
    Path second = dir.resolve("1.log");
    Files.writeString(first, "2026-11-26T12:00:01Z stdout F first\n");
    Files.writeString(second, "2026-11-26T12:00:09Z stdout F restarted\n");
    // Each look at the container appends to the file being followed (a line split across two writes); the third says it stopped.
    Deque<String> appends = new ArrayDeque<>(java.util.List.of("2026-11-26T12:00:02Z stdout F sec", "ond\n2026-11-26T12:00:03Z stdout F third\n"));
    Collected c = new Collected();
    int[] nexts = {0};
    LogFileReader.Follow follow = new LogFileReader.Follow() {
      @Override public boolean running() {
        String more = appends.poll();
        if (more == null) return false;
        append(first, more);
        return true;
      }

      @Override public Path next() { return nexts[0]++ == 0 ? second : null; }
    };
    new LogFileReader(new LogOptions(true, false, -1, null, false, -1), c).read(first, follow);
    assertThat(c.text()).isEqualTo("first\nsecond\nthird\nrestarted\n");
  }

  @Test
  void followStopsWhenTheClientHasGone() throws Exception {
    Path f = dir.resolve("0.log");
    Files.writeString(f, "2026-11-26T12:00:01Z stdout F only\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean[] gone = {false};
    LogFileReader.Sink sink = new LogFileReader.Sink() {
      @Override public boolean write(byte[] bytes) {
        out.writeBytes(bytes);
        gone[0] = true; // the client leaves after the first line
        return true;
      }

      @Override public boolean closed() { return gone[0]; }
    };
    LogFileReader.Follow forever = new LogFileReader.Follow() {
      @Override public boolean running() { return true; }

      @Override public Path next() { return null; }
    };
    new LogFileReader(new LogOptions(true, false, -1, null, false, -1), sink).read(f, forever);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("only\n");
  }

  static void append(Path f, String s) {
    try {
      Files.writeString(f, s, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
