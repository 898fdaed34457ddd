package io.kava.apiserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * SPDY/3.1 frames to bytes and back, with Netty's codec: header blocks are one zlib stream per direction and
 * connection, compressed with the SPDY dictionary, so one instance serves exactly one connection. The bytes may come
 * from a raw upgraded connection (kubectl 1.29 and older) or from WebSocket binary messages that tunnel them (kubectl
 * 1.31+ port-forward): the codec sees a byte stream either way, split anywhere.
 *
 * <p>Not thread-safe: use it from the connection's event loop only. Frames that {@link #decode} returns are owned
 * by the caller, who releases the reference-counted ones (data frames) with {@link ReferenceCountUtil#release}.
 */
final class SpdyFraming implements AutoCloseable {
  private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

  /** The complete frames in the bytes received so far; a partial frame waits for its remainder. */
  List<SpdyFrame> decode(Buffer bytes) {
    codec.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
    codec.checkException(); // a malformed frame: the connection cannot go on
    List<SpdyFrame> frames = new ArrayList<>();
    for (Object o; (o = codec.readInbound()) != null; ) {
      if (o instanceof SpdyFrame f) frames.add(f);
      else ReferenceCountUtil.release(o);
    }
    return frames;
  }

  /** The bytes of one frame (which this takes ownership of). */
  Buffer encode(SpdyFrame frame) {
    codec.writeOutbound(frame);
    codec.checkException();
    Buffer out = Buffer.buffer();
    for (Object o; (o = codec.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      try {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        out.appendBytes(bytes);
      } finally {
        b.release();
      }
    }
    return out;
  }

  @Override
  public void close() { codec.finishAndReleaseAll(); }
}
