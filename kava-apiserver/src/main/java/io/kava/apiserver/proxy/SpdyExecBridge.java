package io.kava.apiserver.proxy;

import io.kava.api.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exec or attach session of kubectl 1.29 and older: SPDY streams of the {@code v4.channel.k8s.io} remote-command
 * protocol (the client opens one stream per standard stream, naming it in a {@code streamType} header) bridged to the
 * node's {@code v5.channel.k8s.io} WebSocket (one binary message per chunk, its first byte the channel). Stdin's FIN
 * becomes v5's close message; the node's error channel (the metav1.Status carrying a failed command's exit code)
 * becomes data on the error stream; when the node closes, every stream the client reads gets its FIN and the
 * connection ends with a GOAWAY, as the kubelet ends a session.
 *
 * <p>The node's WebSocket stays paused until the client has opened every stream the request asked for (upstream's
 * server waits for them the same way), so no output comes before there is a stream to carry it. A node connection that
 * ends meanwhile (its output and close frame queued, or gone without a close frame) does not end the session before
 * then: the client waits for a reply to each stream it opens, and a connection closed under it reads as "Timeout
 * occurred" thirty seconds later instead of the command's output or what went wrong.
 */
final class SpdyExecBridge implements SpdyConnection.Session {
  private static final Logger log = LoggerFactory.getLogger(SpdyExecBridge.class);
  /** How long the client may take to open its streams (upstream's stream creation timeout). */
  static final long STREAM_CREATION_TIMEOUT_MILLIS = 30_000;
  static final String PROTOCOL = "v4.channel.k8s.io";
  static final byte STDIN = 0;
  static final byte STDOUT = 1;
  static final byte STDERR = 2;
  static final byte ERROR = 3;
  static final byte RESIZE = 4;
  static final byte CLOSE = (byte) 255;
  private static final Set<String> TYPES = Set.of("error", "stdin", "stdout", "stderr", "resize");

  /** The streams the request asks for; the client opens one SPDY stream for each (error always, stderr not with a tty). */
  record Streams(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    int count() { return 1 + (stdin ? 1 : 0) + (stdout ? 1 : 0) + (stderr && !tty ? 1 : 0) + (tty ? 1 : 0); }
  }

  private final Vertx vertx;
  private final SpdyConnection client;
  private final NodeWebSocket nodeSide;
  private final WebSocket node;
  private final Streams expected;
  // Guarded by client.lock(), as is every field below.
  /** Stream type (lower case) to the client's stream id, and back. */
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Integer, String> types = new HashMap<>();
  private boolean ready;
  private boolean ended;
  /** Whether the node sent anything on the error channel (the command's status). */
  private boolean statusSent;
  /** Whether the node's connection went away without a close frame. */
  private boolean nodeGone;
  private Throwable nodeGoneCause;
  private final long creationTimer;

  private SpdyExecBridge(Vertx vertx, SpdyConnection client, NodeWebSocket nodeSide, Streams expected) {
    this.vertx = vertx;
    this.client = client;
    this.nodeSide = nodeSide;
    this.node = nodeSide.ws();
    this.expected = expected;
    creationTimer = vertx.setTimer(STREAM_CREATION_TIMEOUT_MILLIS, t -> {
      boolean late;
      client.lock().lock();
      try {
        late = !ready && !ended;
        if (late) log.info("exec session: the client opened {} of {} streams in {} ms; closing", ids.size(), expected.count(),
            STREAM_CREATION_TIMEOUT_MILLIS);
      } finally {
        client.lock().unlock();
      }
      if (late) client.close();
    });
    nodeSide.attach(new NodeWebSocket.Listener() {
      @Override public void binary(Buffer message) { fromNode(message); }

      @Override public void text(String message) { }

      @Override public void ended() { nodeEnded(); }

      @Override public void lost(Throwable cause) { nodeGoneAbruptly(cause); }
    });
  }

  /**
   * Relays until either side ends. {@code client} carries the upgraded connection, paused; {@code node} is the node's v5
   * WebSocket, paused and wired.
   */
  static void start(Vertx vertx, SpdyConnection.Transport client, NodeWebSocket node, Streams expected) {
    SpdyConnection.start(client, c -> new SpdyExecBridge(vertx, c, node, expected));
  }

  // ------------------------------------------------------------------------------------------- client -> node

  @Override
  public void frame(SpdyFrame frame) {
    switch (frame) {
      case SpdySynStreamFrame syn -> opened(syn);
      case SpdyDataFrame data -> data(data);
      case SpdyRstStreamFrame rst -> {
        if ("stdin".equals(types.get(rst.streamId()))) closeStdin();
        else client.close();
      }
      default -> { } // SETTINGS, WINDOW_UPDATE, HEADERS
    }
  }

  private void opened(SpdySynStreamFrame syn) {
    String type = syn.headers().getAsString("streamtype");
    type = type == null ? "" : type.toLowerCase(Locale.ROOT);
    client.reply(syn.streamId(), type);
    if (ids.containsKey(type) || !TYPES.contains(type)) {
      log.debug("ignoring a client stream of type \"{}\"", type);
      return;
    }
    ids.put(type, syn.streamId());
    types.put(syn.streamId(), type);
    if (syn.isLast() && type.equals("stdin")) closeStdin();
    if (!ready && ids.size() == expected.count()) {
      ready = true;
      vertx.cancelTimer(creationTimer);
      nodeSide.resume();
    }
  }

  private void data(SpdyDataFrame data) {
    String type = types.get(data.streamId());
    ByteBuf content = data.content();
    byte channel = "stdin".equals(type) ? STDIN : "resize".equals(type) ? RESIZE : -1;
    if (channel >= 0 && content.isReadable()) {
      byte[] m = new byte[content.readableBytes() + 1];
      m[0] = channel;
      content.readBytes(m, 1, m.length - 1);
      toNode(Buffer.buffer(m));
    }
    if (data.isLast() && "stdin".equals(type)) closeStdin();
  }

  private void closeStdin() { toNode(Buffer.buffer(new byte[] {CLOSE, STDIN})); }

  private void toNode(Buffer message) {
    if (ended || node.isClosed()) return;
    node.writeBinaryMessage(message);
    if (node.writeQueueFull()) Drain.pauseUntilDrained(node, client::pause, client::resume);
  }

  // ------------------------------------------------------------------------------------------- node -> client

  private void fromNode(Buffer message) {
    client.lock().lock();
    try {
      if (message.length() < 2 || ended) return;
      String type = switch (message.getByte(0)) {
        case STDOUT -> "stdout";
        case STDERR -> "stderr";
        case ERROR -> "error";
        default -> null;
      };
      Integer id = type == null ? null : ids.get(type);
      if (id == null) return;
      if (type.equals("error")) statusSent = true;
      client.send(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(message.getBytes(1, message.length()))));
      if (client.writeQueueFull()) {
        nodeSide.pause();
        client.whenWritable(nodeSide::resume);
      }
    } finally {
      client.lock().unlock();
    }
  }

  /** The node's connection ended without a close frame, after everything it sent was passed on. */
  private void nodeGoneAbruptly(Throwable cause) {
    client.lock().lock();
    try {
      if (ended) return;
      log.info("exec session: the node's connection ended without a close frame{}", cause == null ? "" : ": " + cause);
      nodeGone = true;
      nodeGoneCause = cause;
      nodeEnded();
    } finally {
      client.lock().unlock();
    }
  }

  /**
   * The command is over (or the node went away): FIN on every stream the client reads, then GOAWAY. A node gone without
   * the command's status leaves a Status on the error stream saying so, rather than a success nobody reported.
   */
  private void nodeEnded() {
    client.lock().lock();
    try {
      if (ended) return;
      ended = true;
      Integer errorId = ids.get("error");
      if (nodeGone && !statusSent && errorId != null) {
        String message = "the node's stream ended before the command's status arrived"
            + (nodeGoneCause == null ? "" : " (" + nodeGoneCause.getMessage() + ")");
        client.send(new DefaultSpdyDataFrame(errorId, Unpooled.wrappedBuffer(failure(message))));
      }
      for (String type : new String[] {"stdout", "stderr", "error"}) {
        Integer id = ids.get(type);
        if (id != null) client.send(new DefaultSpdyDataFrame(id).setLast(true));
      }
      client.goAway();
    } finally {
      client.lock().unlock();
    }
  }

  /** A metav1.Status of an internal error, as the error stream carries it. */
  static byte[] failure(String message) {
    var status = Json.MAPPER.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", "InternalError").put("code", 500);
    return Json.MAPPER.writeValueAsBytes(status);
  }

  @Override
  public void closed() {
    if (!ready && !ended) log.info("exec session: the connection ended after the client opened {} of {} streams", ids.size(), expected.count());
    ended = true;
    vertx.cancelTimer(creationTimer);
    if (!node.isClosed()) node.close();
  }
}
