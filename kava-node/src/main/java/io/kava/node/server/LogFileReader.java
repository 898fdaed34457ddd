package io.kava.node.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a CRI log file into what {@code kubectl logs} prints: content only (or with kubelet's fixed-width timestamps),
 * partial lines joined, filtered by tail, since and byte limit, and with {@code follow} kept open while the container
 * runs. Blocking: run it on a virtual thread. One reader serves one request.
 */
public final class LogFileReader {
  /** Where the formatted output goes. Blocking writes give back-pressure. */
  public interface Sink {
    /** Writes the bytes; false when the client has gone and reading should stop. */
    boolean write(byte[] bytes);

    /** True once the client has gone (checked while a follow waits for new lines). */
    boolean closed();
  }

  /** What {@code follow} needs to know about the container that writes the file. */
  public interface Follow {
    /** Whether the container still runs (and so may write more). */
    boolean running();

    /** The log file of a newer instance of the same container once it restarted, else null. */
    Path next();
  }

  /** How often a follow looks for new lines. */
  static volatile Duration pollInterval = Duration.ofMillis(200);

  private static final int READ_CHUNK = 64 * 1024;

  private final LogOptions options;
  private final Sink sink;
  private final Map<String, Partial> partials = new HashMap<>();
  private final ByteArrayOutputStream rawLine = new ByteArrayOutputStream();
  private long remaining;
  private boolean done;

  /** The start of a line the runtime split, per stream. */
  private static final class Partial {
    final ByteArrayOutputStream content = new ByteArrayOutputStream();
    Instant time;
  }

  public LogFileReader(LogOptions options, Sink sink) {
    this.options = options;
    this.sink = sink;
    this.remaining = options.limitBytes() < 0 ? Long.MAX_VALUE : options.limitBytes();
  }

  /** Copies the file (and, when following, what is appended to it and to the files of later instances) to the sink. */
  public void read(Path file, Follow follow) throws IOException, InterruptedException {
    boolean first = true;
    Path current = file;
    while (current != null && !done) {
      try (FileChannel ch = FileChannel.open(current, StandardOpenOption.READ)) {
        if (first && options.tailLines() >= 0) ch.position(tailStart(ch, options.tailLines()));
        first = false;
        Path next = copy(ch, current, options.follow() ? follow : null);
        if (next != null && !next.equals(current)) rawLine.reset(); // a new file starts with a new line
        current = next;
      }
    }
    if (!done && rawLine.size() > 0) {
      // The file ends without a newline and no more will come: that last line is whole.
      byte[] last = rawLine.toByteArray();
      rawLine.reset();
      line(last, 0, last.length);
    }
    if (!done) flushPartials();
  }

  /** Reads to the end, then follows; returns the file to continue with (a restarted container's), or null. */
  private Path copy(FileChannel ch, Path path, Follow follow) throws IOException, InterruptedException {
    ByteBuffer buf = ByteBuffer.allocate(READ_CHUNK);
    while (!done) {
      buf.clear();
      int n = ch.read(buf);
      if (n > 0) {
        consume(buf.array(), n);
        continue;
      }
      if (follow == null) return null;
      if (sink.closed()) {
        done = true;
        return null;
      }
      if (!follow.running()) {
        // It stopped: whatever it wrote before that is in the file now.
        for (buf.clear(); !done && (n = ch.read(buf)) > 0; buf.clear()) consume(buf.array(), n);
        return follow.next();
      }
      if (rotated(ch, path)) return path; // reopened from its start
      Thread.sleep(pollInterval);
    }
    return null;
  }

  /** True when the file at {@code path} is no longer the one we read (replaced or truncated). */
  private static boolean rotated(FileChannel ch, Path path) throws IOException {
    try {
      return Files.size(path) < ch.position();
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private void consume(byte[] data, int n) {
    int start = 0;
    for (int i = 0; i < n && !done; i++) {
      if (data[i] != '\n') continue;
      if (rawLine.size() > 0) {
        rawLine.write(data, start, i - start);
        byte[] line = rawLine.toByteArray();
        rawLine.reset();
        line(line, 0, line.length);
      } else {
        line(data, start, i);
      }
      start = i + 1;
    }
    if (!done && start < n) rawLine.write(data, start, n - start);
  }

  private void line(byte[] b, int from, int to) {
    CriLogLine l = CriLogLine.parse(b, from, to);
    if (l == null) return; // not a log line (as kubelet does, skip it)
    Partial p = partials.get(l.stream());
    if (l.partial()) {
      if (p == null) partials.put(l.stream(), p = new Partial());
      if (p.time == null) p.time = l.time();
      p.content.writeBytes(l.content());
      return;
    }
    Instant time = l.time();
    byte[] content = l.content();
    if (p != null && p.time != null) {
      time = p.time;
      p.content.writeBytes(content);
      content = p.content.toByteArray();
      p.content.reset();
      p.time = null;
    }
    emit(time, content, true);
  }

  private void flushPartials() {
    for (Partial p : partials.values()) {
      if (p.time != null && !done) emit(p.time, p.content.toByteArray(), false);
    }
  }

  private void emit(Instant time, byte[] content, boolean newline) {
    if (options.since() != null && time.isBefore(options.since())) return;
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 42);
    if (options.timestamps()) out.writeBytes((CriLogLine.formatTime(time) + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(content);
    if (newline) out.write('\n');
    byte[] bytes = out.toByteArray();
    if (bytes.length >= remaining) {
      byte[] cut = java.util.Arrays.copyOf(bytes, (int) remaining);
      remaining = 0;
      done = true;
      if (cut.length > 0) sink.write(cut);
      return;
    }
    remaining -= bytes.length;
    if (!sink.write(bytes)) done = true;
  }

  /** The offset where the last {@code lines} lines of the file begin (counting raw lines, as kubelet does). */
  static long tailStart(FileChannel ch, long lines) throws IOException {
    long size = ch.size();
    if (lines == 0) return size;
    long end = size;
    if (end > 0 && byteAt(ch, end - 1) == '\n') end--; // the newline that ends the last line
    long seen = 0;
    ByteBuffer buf = ByteBuffer.allocate(8192);
    long pos = end;
    while (pos > 0) {
      int len = (int) Math.min(buf.capacity(), pos);
      pos -= len;
      buf.clear().limit(len);
      ch.read(buf, pos);
      for (int i = len - 1; i >= 0; i--) {
        if (buf.get(i) == '\n' && ++seen == lines) return pos + i + 1;
      }
    }
    return 0;
  }

  private static byte byteAt(FileChannel ch, long pos) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    ch.read(one, pos);
    return one.get(0);
  }
}
