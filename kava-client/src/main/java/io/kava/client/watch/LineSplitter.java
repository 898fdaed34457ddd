package io.kava.client.watch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a streamed watch response into its lines (one JSON event each) a chunk at a time: the bytes up to each
 * newline are decoded to a String at once. A newline byte never occurs inside a multi-byte UTF-8 character, so
 * splitting bytes before decoding is exact. Empty lines are dropped. Not thread-safe: one per response.
 */
final class LineSplitter {
  private byte[] pending = new byte[0];
  private int pendingLength;

  /** Hands every line that {@code chunk} completes to {@code lines}; keeps the unfinished rest for the next chunk. */
  void feed(ByteBuffer chunk, Consumer<String> lines) {
    ByteBuffer b = chunk.duplicate();
    while (b.hasRemaining()) {
      int start = b.position();
      int newline = indexOfNewline(b, start, b.limit());
      if (newline < 0) {
        keep(b, start, b.limit());
        return;
      }
      if (pendingLength == 0) {
        if (newline > start) lines.accept(decode(b, start, newline));
      } else {
        keep(b, start, newline);
        lines.accept(new String(pending, 0, pendingLength, StandardCharsets.UTF_8));
        pendingLength = 0;
      }
      b.position(newline + 1);
    }
  }

  /** Bytes of an unfinished line held back. */
  int pending() { return pendingLength; }

  private static int indexOfNewline(ByteBuffer b, int from, int to) {
    if (b.hasArray()) {
      byte[] a = b.array();
      int offset = b.arrayOffset();
      for (int i = from; i < to; i++) if (a[offset + i] == '\n') return i;
      return -1;
    }
    for (int i = from; i < to; i++) if (b.get(i) == '\n') return i;
    return -1;
  }

  private static String decode(ByteBuffer b, int from, int to) {
    if (b.hasArray()) return new String(b.array(), b.arrayOffset() + from, to - from, StandardCharsets.UTF_8);
    byte[] copy = new byte[to - from];
    b.get(from, copy);
    return new String(copy, StandardCharsets.UTF_8);
  }

  private void keep(ByteBuffer b, int from, int to) {
    int n = to - from;
    if (pendingLength + n > pending.length) pending = Arrays.copyOf(pending, Math.max(pendingLength + n, 2 * pending.length));
    b.get(from, pending, pendingLength, n);
    pendingLength += n;
  }
}
