package io.kava.client.watch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    ByteBuffer b = chunk.duplicate().order(ByteOrder.LITTLE_ENDIAN); // indexOfNewline reads words little-endian
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

  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long LOW_BITS = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * Eight bytes at a time (a word with a zero byte where the newline was, found by the classic borrow trick): a
   * byte-by-byte scan of every watch stream was a tenth of the in-process clients' event-loop time.
   */
  private static int indexOfNewline(ByteBuffer b, int from, int to) { // b is little-endian
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long x = b.getLong(i) ^ NEWLINES;
      long found = (x - LOW_BITS) & ~x & HIGH_BITS;
      if (found != 0) {
        // the lowest flagged byte is exact (a false flag can only sit above a true one); little-endian: first in memory
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) if (b.get(i) == '\n') return i;
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
