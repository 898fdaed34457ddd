package io.kava.apiserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port-forward session ({@code portforward.k8s.io}): for every local connection the client opens a pair of SPDY
 * streams, an error stream and a data stream, whose {@code port} and {@code requestID} headers say where they go and
 * which belong together. Each complete pair gets its own WebSocket to the node's {@code /portForward} endpoint (one
 * port per WebSocket, as the kubelet's WebSocket port-forward: channel 0 data, channel 1 error, each opened by the
 * port in two little-endian bytes), which the node bridges to the runtime's port-forward streams.
 *
 * <p>The data stream's FIN becomes {@code [255, 0]} on the WebSocket (v5's way to close a channel); what the node
 * writes on the error channel (the runtime's "connection refused") goes to the client's error stream, which kubectl
 * prints; when the node's WebSocket ends, both client streams get their FIN.
 */
final class SpdyPortForwardBridge implements SpdyConnection.Session {
  private static final Logger log = LoggerFactory.getLogger(SpdyPortForwardBridge.class);
  static final String PROTOCOL = "portforward.k8s.io";
  /** The WebSocket subprotocol of kubectl 1.31+: SPDY frames tunnelled in binary messages. */
  static final String TUNNEL_PROTOCOL = "SPDY/3.1+" + PROTOCOL;
  static final byte DATA = 0;
  static final byte ERROR = 1;
  static final byte CLOSE = (byte) 255;
  /** Client data queued per pair while its node WebSocket is being opened; the client is paused beyond it. */
  static final int MAX_PENDING = 256 * 1024;

  /** One forwarded connection: the client's two streams and the node's WebSocket for them. */
  private static final class Pair {
    final String requestId;
    final int port;
    int errorId = -1;
    int dataId = -1;
    WebSocket node;
    boolean dialing;
    boolean ended;
    boolean dataFin;
    /** Whether the port prefix of channel 0 and 1 has been seen. */
    final boolean[] prefixSeen = new boolean[2];
    final List<Buffer> pending = new ArrayList<>();
    int pendingBytes;

    Pair(String requestId, int port) {
      this.requestId = requestId;
      this.port = port;
    }
  }

  private final SpdyConnection client;
  private final IntFunction<Future<WebSocket>> dialNode;
  // Guarded by client.lock(), as is everything below.
  private final Map<String, Pair> pairs = new HashMap<>();
  private final Map<Integer, Pair> byStream = new HashMap<>();
  private boolean closed;

  private SpdyPortForwardBridge(SpdyConnection client, IntFunction<Future<WebSocket>> dialNode) {
    this.client = client;
    this.dialNode = dialNode;
  }

  /**
   * Serves the client's port-forward session. {@code dialNode} opens a WebSocket to the node for a port and yields it
   * paused (it may fail: the failure is written on the pair's error stream).
   */
  static void start(SpdyConnection.Transport client, IntFunction<Future<WebSocket>> dialNode) {
    SpdyConnection.start(client, c -> new SpdyPortForwardBridge(c, dialNode));
  }

  @Override
  public void frame(SpdyFrame frame) {
    switch (frame) {
      case SpdySynStreamFrame syn -> opened(syn);
      case SpdyDataFrame data -> data(data);
      case SpdyRstStreamFrame rst -> {
        Pair p = byStream.get(rst.streamId());
        if (p != null) end(p, false);
      }
      default -> { } // SETTINGS, WINDOW_UPDATE, HEADERS
    }
  }

  private void opened(SpdySynStreamFrame syn) {
    int id = syn.streamId();
    String type = lower(syn.headers().getAsString("streamtype"));
    String portHeader = syn.headers().getAsString("port");
    int port = parsePort(portHeader);
    if (port < 0 || !(type.equals("data") || type.equals("error"))) {
      log.debug("refusing a port-forward stream of type \"{}\" for port \"{}\"", type, portHeader);
      client.send(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
      return;
    }
    // Clients older than the requestID header pair an error stream with the data stream opened right after it.
    String requestId = syn.headers().getAsString("requestid");
    if (requestId == null || requestId.isEmpty()) requestId = "stream-" + (type.equals("error") ? id : id - 2);
    Pair p = pairs.computeIfAbsent(requestId, r -> new Pair(r, port));
    if ((type.equals("data") ? p.dataId : p.errorId) >= 0 || p.port != port) {
      client.send(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
      return;
    }
    if (type.equals("data")) p.dataId = id;
    else p.errorId = id;
    byStream.put(id, p);
    client.reply(id, type);
    if (p.dataId >= 0 && p.errorId >= 0 && !p.dialing) dial(p);
  }

  private void dial(Pair p) {
    p.dialing = true;
    dialNode.apply(p.port).onComplete(ar -> {
      client.lock().lock();
      try {
        if (ar.failed()) {
          String why = ar.cause().getMessage() == null ? ar.cause().toString() : ar.cause().getMessage();
          if (!p.ended) client.send(new DefaultSpdyDataFrame(p.errorId, Unpooled.wrappedBuffer(why.getBytes(StandardCharsets.UTF_8))));
          end(p, true);
          return;
        }
        WebSocket ws = ar.result();
        if (p.ended || closed) {
          ws.close();
          return;
        }
        p.node = ws;
        ws.binaryMessageHandler(m -> fromNode(p, m));
        ws.textMessageHandler(t -> {});
        ws.endHandler(v -> nodeEnded(p));
        ws.closeHandler(v -> {
          if (ws.closeStatusCode() == null) nodeEnded(p);
        });
        ws.exceptionHandler(e -> {
          if (ws.closeStatusCode() == null) nodeEnded(p);
        });
        for (Buffer b : p.pending) toNode(p, b);
        p.pending.clear();
        if (p.pendingBytes > MAX_PENDING) client.resume();
        p.pendingBytes = 0;
        if (p.dataFin) toNode(p, Buffer.buffer(new byte[] {CLOSE, DATA}));
        ws.resume();
      } finally {
        client.lock().unlock();
      }
    });
  }

  private void data(SpdyDataFrame data) {
    Pair p = byStream.get(data.streamId());
    if (p == null || p.ended || data.streamId() != p.dataId) return; // nothing is read from the error stream
    ByteBuf content = data.content();
    if (content.isReadable()) {
      byte[] m = new byte[content.readableBytes() + 1];
      m[0] = DATA;
      content.readBytes(m, 1, m.length - 1);
      if (p.node == null) {
        p.pending.add(Buffer.buffer(m));
        p.pendingBytes += m.length;
        if (p.pendingBytes > MAX_PENDING) client.pause();
      } else {
        toNode(p, Buffer.buffer(m));
      }
    }
    if (data.isLast()) {
      p.dataFin = true;
      if (p.node != null) toNode(p, Buffer.buffer(new byte[] {CLOSE, DATA}));
    }
  }

  private void toNode(Pair p, Buffer message) {
    if (p.node.isClosed()) return;
    p.node.writeBinaryMessage(message);
    if (p.node.writeQueueFull()) Drain.pauseUntilDrained(p.node, client::pause, client::resume);
  }

  private void fromNode(Pair p, Buffer message) {
    client.lock().lock();
    try {
      if (p.ended || message.length() < 1) return;
      int channel = message.getByte(0);
      if (channel != DATA && channel != ERROR) return;
      int from = 1;
      if (!p.prefixSeen[channel]) { // the port, little-endian, opens each channel
        p.prefixSeen[channel] = true;
        from = Math.min(message.length(), 3);
      }
      if (from >= message.length()) return;
      int id = channel == DATA ? p.dataId : p.errorId;
      client.send(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(message.getBytes(from, message.length()))));
      if (client.writeQueueFull()) {
        p.node.pause();
        client.whenWritable(p.node::resume);
      }
    } finally {
      client.lock().unlock();
    }
  }

  private void nodeEnded(Pair p) {
    client.lock().lock();
    try {
      end(p, true);
    } finally {
      client.lock().unlock();
    }
  }

  /** Ends one forwarded connection; {@code finStreams} says the client's streams are to get their FIN. */
  private void end(Pair p, boolean finStreams) {
    if (p.ended) return;
    p.ended = true;
    if (finStreams && !closed) {
      client.send(new DefaultSpdyDataFrame(p.dataId).setLast(true));
      client.send(new DefaultSpdyDataFrame(p.errorId).setLast(true));
    }
    if (p.pendingBytes > MAX_PENDING) client.resume();
    p.pending.clear();
    pairs.remove(p.requestId);
    byStream.remove(p.dataId);
    byStream.remove(p.errorId);
    if (p.node != null && !p.node.isClosed()) p.node.close();
  }

  @Override
  public void closed() {
    closed = true;
    for (Pair p : new ArrayList<>(pairs.values())) end(p, false);
  }

  private static String lower(String s) { return s == null ? "" : s.toLowerCase(Locale.ROOT); }

  static int parsePort(String s) {
    try {
      int p = Integer.parseInt(s == null ? "" : s.trim());
      return p >= 1 && p <= 65535 ? p : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
