package io.kava.client.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  private static final String STREAM = "{\"type\":\"ADDED\",\"object\":{\"n\":\"grüße\"}}\n\n{\"type\":\"MODIFIED\",\"object\":{\"n\":\"日本\"}}\n{\"tail\":1}\n";

  /** Every way of cutting the stream into two chunks, mid-line and mid-character included, gives the same lines. */
  @Test
  void linesAreTheSameWhereverTheChunksAreCut() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    List<String> expected = List.of("{\"type\":\"ADDED\",\"object\":{\"n\":\"grüße\"}}", "{\"type\":\"MODIFIED\",\"object\":{\"n\":\"日本\"}}", "{\"tail\":1}");
    for (int cut = 0; cut <= bytes.length; cut++) {
      for (boolean direct : new boolean[] {false, true}) {
        LineSplitter s = new LineSplitter();
        List<String> lines = new ArrayList<>();
        s.feed(buffer(bytes, 0, cut, direct), lines::add);
        s.feed(buffer(bytes, cut, bytes.length, direct), lines::add);
        assertThat(lines).as("cut at %d, direct %s", cut, direct).isEqualTo(expected);
        assertThat(s.pending()).isZero();
      }
    }
  }

  @Test
  void oneByteAtATimeAndAnUnfinishedLineHeldBack() {
    byte[] bytes = "abc\ndéf".getBytes(StandardCharsets.UTF_8);
    LineSplitter s = new LineSplitter();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < bytes.length; i++) s.feed(buffer(bytes, i, i + 1, false), lines::add);
    assertThat(lines).containsExactly("abc");
    assertThat(s.pending()).isEqualTo("déf".getBytes(StandardCharsets.UTF_8).length);
    s.feed(ByteBuffer.wrap("\n".getBytes(StandardCharsets.UTF_8)), lines::add);
    assertThat(lines).containsExactly("abc", "déf");
  }

  @Test
  void aSlicedHeapBufferIsReadFromItsOwnWindowOnly() {
    byte[] bytes = "xx{\"a\":1}\nyy".getBytes(StandardCharsets.UTF_8);
    ByteBuffer slice = ByteBuffer.wrap(bytes, 2, 8).slice();
    List<String> lines = new ArrayList<>();
    ByteBuffer before = slice.duplicate();
    new LineSplitter().feed(slice, lines::add);
    assertThat(lines).containsExactly("{\"a\":1}");
    assertThat(slice).as("the caller's buffer is not consumed").isEqualTo(before);
  }

  /**
   * The word-at-a-time search against a byte-by-byte split, on random bytes rich in what can fool it: 0x0B just
   * above a newline (a borrow flags it), bytes with the high bit set, newlines at every place in a word.
   */
  @Test
  void wordAtATimeSearchFindsEveryNewlineAndNothingElse() {
    java.util.Random random = new java.util.Random(42);
    byte[] alphabet = {'\n', 0x0B, 0x09, (byte) 0x8A, (byte) 0xFF, 'a', 0x01, 0x00};
    for (int round = 0; round < 2000; round++) {
      byte[] bytes = new byte[random.nextInt(40)];
      for (int i = 0; i < bytes.length; i++) bytes[i] = alphabet[random.nextInt(alphabet.length)];
      List<String> expected = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] != '\n') continue;
        if (i > start) expected.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
      int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      boolean direct = random.nextBoolean();
      LineSplitter s = new LineSplitter();
      List<String> lines = new ArrayList<>();
      s.feed(buffer(bytes, 0, cut, direct), lines::add);
      s.feed(buffer(bytes, cut, bytes.length, direct), lines::add);
      assertThat(lines).as("round %d", round).isEqualTo(expected);
      assertThat(s.pending()).isEqualTo(bytes.length - start);
    }
  }

  private static ByteBuffer buffer(byte[] b, int from, int to, boolean direct) {
    ByteBuffer out = direct ? ByteBuffer.allocateDirect(to - from) : ByteBuffer.allocate(to - from);
    out.put(b, from, to - from).flip();
    return out;
  }
}
