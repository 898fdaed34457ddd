package io.kava.apiserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.proxy.SpdyFramingTest.ClientFrames;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The port-forward session's pairing of a client's error and data streams onto one node WebSocket per forwarded
 * connection, driven with SPDY bytes as kubectl writes them and a scripted node.
 */
class SpdyPortForwardBridgeTest {
  /** The client's connection as the bridge sees it: bytes in through the handler, bytes out collected. */
  static final class FakeTransport implements ReadStream<Buffer>, WriteStream<Buffer> {
    Handler<Buffer> handler;
    final Buffer written = Buffer.buffer();
    boolean closed;

    @Override public FakeTransport exceptionHandler(Handler<Throwable> h) { return this; }
    @Override public FakeTransport handler(Handler<Buffer> h) { handler = h; return this; }
    @Override public FakeTransport pause() { return this; }
    @Override public FakeTransport resume() { return this; }
    @Override public FakeTransport fetch(long amount) { return this; }
    @Override public FakeTransport endHandler(Handler<Void> h) { return this; }
    @Override public synchronized Future<Void> write(Buffer data) { written.appendBuffer(data); return Future.succeededFuture(); }
    @Override public Future<Void> end() { closed = true; return Future.succeededFuture(); }
    @Override public FakeTransport setWriteQueueMaxSize(int maxSize) { return this; }
    @Override public boolean writeQueueFull() { return false; }
    @Override public FakeTransport drainHandler(Handler<Void> h) { return this; }
  }

  /** A node WebSocket: what the bridge writes to it, and handlers to play its messages and its end. */
  static final class FakeNode {
    final List<byte[]> written = new ArrayList<>();
    final Map<String, Handler<?>> handlers = new HashMap<>();
    /** Closed as Vert.x sees it: by a close handshake ({@link #closeStatus} set) or a lost connection. */
    boolean closed;
    Short closeStatus;
    final WebSocket ws = (WebSocket) Proxy.newProxyInstance(WebSocket.class.getClassLoader(), new Class<?>[] {WebSocket.class}, (proxy, m, args) -> {
      switch (m.getName()) {
        case "writeBinaryMessage" -> {
          written.add(((Buffer) args[0]).getBytes());
          return Future.succeededFuture();
        }
        case "binaryMessageHandler", "endHandler", "closeHandler", "exceptionHandler", "textMessageHandler", "drainHandler" -> {
          if (closed) throw new IllegalStateException("WebSocket is closed"); // as Vert.x refuses
          handlers.put(m.getName(), (Handler<?>) args[0]);
          return proxy;
        }
        case "isClosed" -> { return closed; }
        case "writeQueueFull" -> { return false; }
        case "closeStatusCode" -> { return closeStatus; }
        case "close" -> {
          closed = true;
          return Future.succeededFuture();
        }
        case "hashCode" -> { return System.identityHashCode(proxy); }
        case "equals" -> { return proxy == args[0]; }
        default -> {
          return m.getReturnType().isInstance(proxy) ? proxy : null;
        }
      }
    });

    @SuppressWarnings("unchecked")
    void message(byte... bytes) { ((Handler<Buffer>) handlers.get("binaryMessageHandler")).handle(Buffer.buffer(bytes)); }

    @SuppressWarnings("unchecked")
    void end() { ((Handler<Void>) handlers.get("endHandler")).handle(null); }
  }

  final FakeTransport client = new FakeTransport();
  final ClientFrames frames;
  final SpdyFraming clientSide = new SpdyFraming(); // reads what the bridge writes
  final List<Integer> dialed = new ArrayList<>();
  final List<Promise<WebSocket>> dials = new ArrayList<>();

  SpdyPortForwardBridgeTest() throws Exception {
    frames = new ClientFrames(SpdyFramingTest.spdyDictionary());
    SpdyPortForwardBridge.start(new SpdyConnection.Transport(client, client, () -> client.closed = true), port -> {
      dialed.add(port);
      Promise<WebSocket> p = Promise.promise();
      dials.add(p);
      return p.future();
    });
  }

  void send(byte[]... bytes) { client.handler.handle(Buffer.buffer(SpdyFramingTest.concat(bytes))); }

  int seen;

  /** Every frame written so far (the byte stream is decoded once, in order). */
  List<String> newAnswers() {
    Buffer all = client.written;
    Buffer fresh = all.getBuffer(seen, all.length());
    seen = all.length();
    List<String> out = new ArrayList<>();
    for (SpdyFrame f : clientSide.decode(fresh)) {
      switch (f) {
        case SpdySynReplyFrame r -> out.add("reply " + r.streamId());
        case SpdyRstStreamFrame r -> out.add("rst " + r.streamId());
        case SpdyDataFrame d -> out.add("data " + d.streamId() + " \"" + d.content().toString(StandardCharsets.UTF_8) + "\"" + (d.isLast() ? " fin" : ""));
        default -> out.add(f.toString());
      }
      ReferenceCountUtil.release(f);
    }
    return out;
  }

  byte[] syn(int id, String type, String port, String requestId) throws Exception {
    return frames.synStream(id, false, SpdyFramingTest.headers("streamtype", type, "port", port, "requestid", requestId));
  }

  @Test
  void aStreamPairGetsOneNodeWebSocketBothWays() throws Exception {
    send(syn(1, "error", "8080", "0"), SpdyFramingTest.data(1, true, new byte[0]));
    assertThat(newAnswers()).containsExactly("reply 1");
    assertThat(dialed).isEmpty(); // not before the data stream
    send(syn(3, "data", "8080", "0"), SpdyFramingTest.data(3, false, "GET /".getBytes(StandardCharsets.UTF_8)));
    assertThat(newAnswers()).containsExactly("reply 3");
    assertThat(dialed).containsExactly(8080);

    FakeNode node = new FakeNode();
    dials.get(0).complete(node.ws); // what came while dialing is sent now
    assertThat(node.written).hasSize(1);
    assertThat(new String(node.written.get(0), StandardCharsets.UTF_8)).isEqualTo("\0GET /");

    node.message((byte) 0, (byte) 0x90, (byte) 0x1f); // port prefixes: not data
    node.message((byte) 1, (byte) 0x90, (byte) 0x1f);
    node.message((byte) 0, (byte) 'o', (byte) 'k');
    assertThat(newAnswers()).containsExactly("data 3 \"ok\"");

    send(SpdyFramingTest.data(3, true, new byte[0])); // the local connection's end
    assertThat(node.written.get(node.written.size() - 1)).containsExactly(255, 0);
    node.end();
    assertThat(newAnswers()).containsExactly("data 3 \"\" fin", "data 1 \"\" fin");
    assertThat(client.closed).isFalse(); // the session goes on for the next connection
  }

  @Test
  void aSecondConnectionGetsItsOwnWebSocketAndARefusalGoesToItsErrorStream() throws Exception {
    send(syn(1, "error", "80", "0"), syn(3, "data", "80", "0"), syn(5, "error", "81", "1"), syn(7, "data", "81", "1"));
    assertThat(newAnswers()).containsExactly("reply 1", "reply 3", "reply 5", "reply 7");
    assertThat(dialed).containsExactly(80, 81);
    dials.get(1).fail(new IllegalStateException("dial tcp 127.0.0.1:81: connection refused"));
    assertThat(newAnswers()).containsExactly("data 5 \"dial tcp 127.0.0.1:81: connection refused\"", "data 7 \"\" fin", "data 5 \"\" fin");
    FakeNode node = new FakeNode();
    dials.get(0).complete(node.ws);
    node.message((byte) 1, (byte) 80, (byte) 0);
    node.message(SpdyFramingTest.concat(new byte[] {1}, "error forwarding port 80".getBytes(StandardCharsets.UTF_8)));
    assertThat(newAnswers()).containsExactly("data 1 \"error forwarding port 80\"");
  }

  @Test
  void streamsWithoutAUsablePortAreReset() throws Exception {
    send(syn(1, "error", "http", "0"), syn(3, "data", "70000", "0"), syn(5, "stdout", "80", "0"));
    assertThat(newAnswers()).containsExactly("rst 1", "rst 3", "rst 5");
    assertThat(dialed).isEmpty();
  }
}
