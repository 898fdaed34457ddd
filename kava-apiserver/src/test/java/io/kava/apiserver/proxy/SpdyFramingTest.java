package io.kava.apiserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * SPDY/3.1 frames as kubectl (Go's framer) writes them, built here byte by byte from the frame layout, decoded by
 * {@link SpdyFraming}; and the frames the API server writes, read back by hand.
 */
class SpdyFramingTest {
  /**
   * The SPDY/3 header-compression dictionary, as Go's framer primes its zlib stream with it. The test takes it from
   * Netty's codec utilities (package-private), where the decoder under test takes it too: what this test checks is
   * that a block compressed <em>with</em> a dictionary (FDICT set) and one without both decode, on one zlib stream.
   */
  static byte[] spdyDictionary() throws Exception {
    var f = Class.forName("io.netty.handler.codec.spdy.SpdyCodecUtil").getDeclaredField("SPDY_DICT");
    f.setAccessible(true);
    return (byte[]) f.get(null);
  }

  /** A client's connection: one deflater for every header block, as SPDY requires. */
  static final class ClientFrames {
    final Deflater deflater = new Deflater();

    ClientFrames(byte[] dictionary) {
      if (dictionary != null) deflater.setDictionary(dictionary);
    }

    byte[] synStream(int id, boolean fin, Map<String, String> headers) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(raw);
      d.writeInt(headers.size());
      for (var e : headers.entrySet()) {
        byte[] n = e.getKey().getBytes(StandardCharsets.UTF_8);
        byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
        d.writeInt(n.length);
        d.write(n);
        d.writeInt(v.length);
        d.write(v);
      }
      deflater.setInput(raw.toByteArray());
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      int n;
      do {
        n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        block.write(buf, 0, n);
      } while (n == buf.length);
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      DataOutputStream f = new DataOutputStream(frame);
      f.writeInt(0x80030001); // control, version 3, SYN_STREAM
      f.writeInt(((fin ? 1 : 0) << 24) | (10 + block.size()));
      f.writeInt(id);
      f.writeInt(0); // associated stream
      f.writeShort(0); // priority, slot
      f.write(block.toByteArray());
      return frame.toByteArray();
    }
  }

  static byte[] data(int id, boolean fin, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    DataOutputStream f = new DataOutputStream(frame);
    f.writeInt(id & 0x7fffffff);
    f.writeInt(((fin ? 1 : 0) << 24) | payload.length);
    f.write(payload);
    return frame.toByteArray();
  }

  static byte[] control(int type, byte[] body) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    DataOutputStream f = new DataOutputStream(frame);
    f.writeInt(0x80030000 | type);
    f.writeInt(body.length);
    f.write(body);
    return frame.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) b.writeBytes(p);
    return b.toByteArray();
  }

  static Map<String, String> headers(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void decodesAPortForwardStreamPairAsKubectlSendsIt() throws Exception {
    ClientFrames client = new ClientFrames(spdyDictionary());
    byte[] bytes = concat(
        client.synStream(1, false, headers("streamtype", "error", "port", "8080", "requestid", "0")),
        data(1, true, new byte[0]),
        client.synStream(3, false, headers("streamtype", "data", "port", "8080", "requestid", "0")),
        data(3, false, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
        control(6, new byte[] {0, 0, 0, 5}), // PING 5
        control(3, new byte[] {0, 0, 0, 3, 0, 0, 0, 5})); // RST_STREAM 3 CANCEL
    try (SpdyFraming framing = new SpdyFraming()) {
      List<SpdyFrame> frames = framing.decode(Buffer.buffer(bytes));
      try {
        assertThat(frames).hasSize(6);
        SpdySynStreamFrame error = (SpdySynStreamFrame) frames.get(0);
        assertThat(error.streamId()).isEqualTo(1);
        assertThat(error.headers().getAsString("streamtype")).isEqualTo("error");
        assertThat(error.headers().getAsString("port")).isEqualTo("8080");
        assertThat(((SpdyDataFrame) frames.get(1)).isLast()).isTrue();
        SpdySynStreamFrame data = (SpdySynStreamFrame) frames.get(2);
        assertThat(data.streamId()).isEqualTo(3);
        assertThat(data.headers().getAsString("streamtype")).isEqualTo("data"); // the second block, same zlib stream
        assertThat(data.headers().getAsString("requestid")).isEqualTo("0");
        SpdyDataFrame body = (SpdyDataFrame) frames.get(3);
        assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.0\r\n\r\n");
        assertThat(body.isLast()).isFalse();
        assertThat(((SpdyPingFrame) frames.get(4)).id()).isEqualTo(5);
        assertThat(((SpdyRstStreamFrame) frames.get(5)).streamId()).isEqualTo(3);
      } finally {
        frames.forEach(ReferenceCountUtil::release);
      }
    }
  }

  @Test
  void framesSplitAnywhereDecodeTheSame() throws Exception {
    // A WebSocket tunnel cuts the byte stream where its messages end, not where frames do.
    ClientFrames client = new ClientFrames(spdyDictionary());
    byte[] payload = "x".repeat(5000).getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = concat(client.synStream(1, false, headers("streamtype", "stdout")), data(1, false, payload), data(1, true, new byte[0]));
    try (SpdyFraming framing = new SpdyFraming()) {
      List<SpdyFrame> frames = new ArrayList<>();
      for (int at = 0; at < bytes.length; at += 7) {
        frames.addAll(framing.decode(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 7)))));
      }
      try {
        assertThat(frames.get(0)).isInstanceOf(SpdySynStreamFrame.class);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean fin = false;
        for (SpdyFrame f : frames.subList(1, frames.size())) {
          SpdyDataFrame d = (SpdyDataFrame) f;
          byte[] b = new byte[d.content().readableBytes()];
          d.content().readBytes(b);
          got.writeBytes(b);
          fin |= d.isLast();
        }
        assertThat(got.toByteArray()).isEqualTo(payload);
        assertThat(fin).isTrue();
      } finally {
        frames.forEach(ReferenceCountUtil::release);
      }
    }
  }

  @Test
  void headerBlocksWithoutTheDictionaryDecodeToo() throws Exception {
    ClientFrames client = new ClientFrames(null);
    try (SpdyFraming framing = new SpdyFraming()) {
      List<SpdyFrame> frames = framing.decode(Buffer.buffer(client.synStream(7, true, headers("streamtype", "stdin"))));
      SpdySynStreamFrame syn = (SpdySynStreamFrame) frames.get(0);
      assertThat(syn.streamId()).isEqualTo(7);
      assertThat(syn.isLast()).isTrue();
      assertThat(syn.headers().getAsString("streamtype")).isEqualTo("stdin");
    }
  }

  @Test
  void writesFramesInSpdy31Layout() throws Exception {
    try (SpdyFraming framing = new SpdyFraming()) {
      byte[] data = framing.encode(new DefaultSpdyDataFrame(3, Unpooled.wrappedBuffer("hello".getBytes(StandardCharsets.US_ASCII))).setLast(true)).getBytes();
      assertThat(data).containsExactly(0, 0, 0, 3, 1, 0, 0, 5, 'h', 'e', 'l', 'l', 'o');
      byte[] goAway = framing.encode(new DefaultSpdyGoAwayFrame(0)).getBytes();
      assertThat(goAway).containsExactly(0x80, 3, 0, 7, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0);
      // SYN_REPLY: stream id, then a header block that a client inflates with the dictionary (Go's framer needs one)
      DefaultSpdySynReplyFrame r = new DefaultSpdySynReplyFrame(5);
      r.headers().set("streamtype", "data");
      byte[] reply = framing.encode(r).getBytes();
      assertThat(reply[0] & 0xff).isEqualTo(0x80);
      assertThat(reply[3]).isEqualTo((byte) 2);
      assertThat(java.nio.ByteBuffer.wrap(reply, 8, 4).getInt()).isEqualTo(5);
      int length = java.nio.ByteBuffer.wrap(reply, 4, 4).getInt() & 0xffffff;
      assertThat(reply.length).isEqualTo(8 + length);
      Inflater inflater = new Inflater();
      inflater.setInput(reply, 12, reply.length - 12);
      byte[] raw = new byte[256];
      int n = inflater.inflate(raw);
      if (n == 0 && inflater.needsDictionary()) {
        inflater.setDictionary(spdyDictionary());
        n = inflater.inflate(raw);
      }
      java.nio.ByteBuffer block = java.nio.ByteBuffer.wrap(raw, 0, n);
      assertThat(block.getInt()).isEqualTo(1);
      byte[] name = new byte[block.getInt()];
      block.get(name);
      byte[] value = new byte[block.getInt()];
      block.get(value);
      assertThat(new String(name, StandardCharsets.UTF_8)).isEqualTo("streamtype");
      assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("data");
      // Why replies carry a header: with none, Netty writes no header block at all, which Go's framer cannot read.
      byte[] bare = framing.encode(new DefaultSpdySynReplyFrame(7)).getBytes();
      assertThat(bare).hasSize(12);
    }
  }
}
