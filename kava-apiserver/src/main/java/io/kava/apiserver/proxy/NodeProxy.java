package io.kava.apiserver.proxy;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.http.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The API server's connection to node streaming servers: HTTPS with the API server's client certificate (signed by the
 * cluster CA, which the node checks). Like kube-apiserver without --kubelet-certificate-authority, it does not verify
 * the node's serving certificate. Log responses are piped through; exec and attach WebSocket sessions are relayed
 * message by message (the node speaks the client's subprotocol).
 */
public final class NodeProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeProxy.class);
  /** The largest WebSocket message relayed. */
  public static final int MAX_MESSAGE = 1024 * 1024;
  /** How long connecting to a node may take. */
  static final int CONNECT_TIMEOUT_MILLIS = 30_000;

  private final Vertx vertx;
  private final HttpClient http;
  private final WebSocketClient webSockets;

  public NodeProxy(Vertx vertx, KeyCertOptions clientCertificate) {
    this.vertx = vertx;
    HttpClientOptions ho = new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setKeyCertOptions(clientCertificate).setProtocolVersion(HttpVersion.HTTP_1_1).setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    this.http = vertx.createHttpClient(ho);
    WebSocketClientOptions wo = new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setKeyCertOptions(clientCertificate).setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
        .setMaxFrameSize(MAX_MESSAGE).setMaxMessageSize(MAX_MESSAGE);
    this.webSockets = vertx.createWebSocketClient(wo);
  }

  /** GETs {@code uri} from the node and streams the answer to the client (until either side ends). Blocking. */
  public void pipe(Exchange ex, NodeTarget target, String uri) {
    HttpClientResponse resp;
    try {
      // Paused the moment it arrives: the body must wait for the pipe below.
      resp = onEventLoop(() -> http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host()).setPort(target.port()).setURI(uri))
          .compose(HttpClientRequest::send), HttpClientResponse::pause).await();
    } catch (Exception e) {
      throw unreachable(target, e);
    }
    HttpClientRequest req = resp.request();
    if (resp.statusCode() != 200) {
      Future<Buffer> pending = resp.body();
      resp.resume();
      Buffer body = pending.await();
      throw nodeError(resp.statusCode(), body);
    }
    String type = resp.getHeader("Content-Type");
    HttpServerResponse out = ex.stream(type == null ? "text/plain" : type);
    // A client that goes away (kubectl logs -f interrupted) ends the node's stream too.
    out.closeHandler(v -> req.reset());
    out.exceptionHandler(e -> req.reset());
    try {
      resp.pipeTo(out).await();
    } catch (Exception e) {
      log.debug("log stream from {} ended: {}", target.node(), e.toString());
      req.reset();
    }
  }

  /**
   * Opens a WebSocket to the node with {@code protocol}, then accepts the client's handshake and relays messages both
   * ways until one side closes. A node that cannot be reached or refuses is thrown before the client is accepted.
   * Blocking (a worker thread).
   *
   * @param acceptClient accepts the client's upgrade and yields its WebSocket <em>paused</em>, paused in the event-loop
   *     task that accepted it (see {@code Exchange.acceptWebSocket}): kubectl sends stdin and its terminal size as soon
   *     as it has the 101, and Vert.x hands a message that finds neither a handler nor a pause to no one
   */
  public void relay(Supplier<Future<ServerWebSocket>> acceptClient, NodeTarget target, String uri, String protocol) {
    NodeWebSocket node;
    try {
      node = connectWired(new WebSocketConnectOptions().setHost(target.host()).setPort(target.port()).setURI(uri)
          .setSsl(true).setSubProtocols(List.of(protocol))).await();
    } catch (Exception e) {
      if (e instanceof UpgradeRejectedException r) throw nodeError(r.getStatus(), r.getBody());
      throw unreachable(target, e);
    }
    ServerWebSocket client;
    try {
      client = acceptClient.get().await();
    } catch (Exception e) {
      node.ws().close();
      log.debug("client WebSocket upgrade failed", e);
      return;
    }
    if (!protocol.equals(client.subProtocol())) log.debug("client negotiated {} but the node speaks {}", client.subProtocol(), protocol);
    // Both are paused: wire them, then let the messages flow.
    Pipe.between(client, node.ws());
    Pipe.fromNode(node, client);
    client.resume();
    node.resume();
  }

  /**
   * An exec or attach of a SPDY client (kubectl 1.29 and older, protocol {@code v4.channel.k8s.io}): opens the node's
   * {@code v5.channel.k8s.io} WebSocket, then accepts the client's upgrade and bridges the two ({@link SpdyExecBridge}).
   * A node that cannot be reached or refuses is thrown before the client is accepted. Blocking (a worker thread).
   *
   * @param acceptClient answers 101 and yields the upgraded connection <em>paused</em> in the event-loop task that
   *     upgraded it (the client sends its SYN_STREAMs as soon as it has the 101)
   */
  public void relaySpdyExec(Supplier<Future<NetSocket>> acceptClient, NodeTarget target, String uri,
      boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    NodeWebSocket node;
    try {
      node = connectWired(new WebSocketConnectOptions().setHost(target.host()).setPort(target.port()).setURI(uri)
          .setSsl(true).setSubProtocols(List.of(NODE_EXEC_PROTOCOL))).await();
    } catch (Exception e) {
      if (e instanceof UpgradeRejectedException r) throw nodeError(r.getStatus(), r.getBody());
      throw unreachable(target, e);
    }
    NetSocket client;
    try {
      client = acceptClient.get().await();
    } catch (Exception e) {
      node.ws().close();
      log.warn("client SPDY upgrade failed", e);
      return;
    }
    SpdyExecBridge.start(vertx, transport(client), node, new SpdyExecBridge.Streams(stdin, stdout, stderr, tty));
  }

  /** The node's exec protocol that SPDY sessions are bridged to: v5 can half-close stdin, as SPDY's FIN does. */
  static final String NODE_EXEC_PROTOCOL = "v5.channel.k8s.io";
  /** The node's port-forward protocol: one port per WebSocket, channel 0 data and 1 error (the kubelet's). */
  static final String NODE_PORT_FORWARD_PROTOCOL = "v4.channel.k8s.io";

  /** A port-forward session of a SPDY client: every forwarded connection gets a WebSocket to {@code uri?port=P}. */
  public void portForwardSpdy(Supplier<Future<NetSocket>> acceptClient, NodeTarget target, String uri) {
    NetSocket client;
    try {
      client = acceptClient.get().await();
    } catch (Exception e) {
      log.warn("client SPDY upgrade failed", e);
      return;
    }
    SpdyPortForwardBridge.start(transport(client), port -> dialPortForward(target, uri, port));
  }

  /** A port-forward session whose SPDY frames come tunnelled in WebSocket binary messages (kubectl 1.31+). */
  public void portForwardTunnel(Supplier<Future<ServerWebSocket>> acceptClient, NodeTarget target, String uri) {
    ServerWebSocket client;
    try {
      client = acceptClient.get().await();
    } catch (Exception e) {
      log.debug("client WebSocket upgrade failed", e);
      return;
    }
    SpdyPortForwardBridge.start(new SpdyConnection.Transport(client, client, client::close), port -> dialPortForward(target, uri, port));
  }

  private Future<WebSocket> dialPortForward(NodeTarget target, String uri, int port) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(target.host()).setPort(target.port())
        .setURI(uri + "?port=" + port).setSsl(true).setSubProtocols(List.of(NODE_PORT_FORWARD_PROTOCOL));
    return connectPaused(o).recover(e -> Future.failedFuture(e instanceof UpgradeRejectedException r
        ? nodeError(r.getStatus(), r.getBody()) : unreachable(target, e instanceof Exception x ? x : new Exception(e))));
  }

  private static SpdyConnection.Transport transport(NetSocket s) { return new SpdyConnection.Transport(s, s, s::close); }

  /**
   * Connects and pauses the WebSocket in the event-loop task that completes the connection, before any message can
   * be read: the connection is started on an event loop, so its completion cannot run before the listener is set.
   */
  private Future<WebSocket> connectPaused(WebSocketConnectOptions options) {
    return onEventLoop(() -> webSockets.connect(options), WebSocket::pause);
  }

  /**
   * Connects, pauses and wires the WebSocket ({@link NodeWebSocket}) in the event-loop task that completes the
   * connection: a node may have sent everything and closed before the caller, on a worker thread, gets to it.
   */
  private Future<NodeWebSocket> connectWired(WebSocketConnectOptions options) {
    return onEventLoop(() -> webSockets.connect(options).map(ws -> {
      ws.pause();
      return NodeWebSocket.wire(ws);
    }), n -> {});
  }

  /**
   * Starts an operation on an event loop and applies {@code first} to its result in the task that completes it. From a
   * worker thread a listener can only be added after the operation started, and if the event loop completes it first,
   * whatever it reads next (a response body, WebSocket messages) goes to a stream with no handler, which drops it.
   */
  private <T> Future<T> onEventLoop(Supplier<Future<T>> start, java.util.function.Consumer<T> first) {
    Promise<T> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      try {
        start.get().onComplete(ar -> {
          if (ar.succeeded()) first.accept(ar.result());
          done.handle(ar);
        });
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future();
  }

  /**
   * One direction of a relay: {@code from}'s messages written to {@code to}, {@code from} paused while {@code to}'s
   * write queue is full, and {@code to} closed once {@code from} has ended — after {@code from}'s last message. Vert.x
   * reports a closed connection at once, even while earlier messages still wait in a paused WebSocket; the close frame
   * itself comes through the queue in order ({@code endHandler}). So a peer that closed with a close frame ends
   * {@code to} from the end handler, and only one gone without a close frame ends it from the close handler.
   */
  static final class Pipe {
    private final Runnable pauseFrom;
    private final Runnable resumeFrom;
    private final WebSocketBase to;

    private Pipe(Runnable pauseFrom, Runnable resumeFrom, WebSocketBase to) {
      this.pauseFrom = pauseFrom;
      this.resumeFrom = resumeFrom;
      this.to = to;
    }

    static void between(WebSocketBase from, WebSocketBase to) {
      Pipe p = new Pipe(from::pause, from::resume, to);
      from.binaryMessageHandler(b -> p.sent(to.writeBinaryMessage(b)));
      from.textMessageHandler(t -> p.sent(to.writeTextMessage(t)));
      from.endHandler(v -> close(to));
      from.closeHandler(v -> {
        if (from.closeStatusCode() == null) close(to); // no close frame: nothing more will come
      });
      from.exceptionHandler(e -> {
        if (from.closeStatusCode() == null) close(to);
      });
    }

    /** The node-to-client direction: the same, through the handlers {@link NodeWebSocket} set at connect time. */
    static void fromNode(NodeWebSocket node, WebSocketBase to) {
      Pipe p = new Pipe(node::pause, node::resume, to);
      node.attach(new NodeWebSocket.Listener() {
        @Override public void binary(Buffer message) { p.sent(to.writeBinaryMessage(message)); }

        @Override public void text(String message) { p.sent(to.writeTextMessage(message)); }

        @Override public void ended() { close(to); }

        @Override public void lost(Throwable cause) { close(to); }
      });
    }

    private void sent(Future<Void> written) {
      if (to.writeQueueFull()) Drain.pauseUntilDrained(to, pauseFrom, resumeFrom);
    }
  }

  private static void close(WebSocketBase ws) {
    if (!ws.isClosed()) ws.close();
  }

  private static StatusException unreachable(NodeTarget t, Exception e) {
    String why = e.getMessage() == null ? e.toString() : e.getMessage();
    return new StatusException(502, "ServiceUnavailable", "error dialing backend: node \"" + t.node() + "\" at " + t.host() + ":" + t.port() + ": " + why);
  }

  /** The node's error (a metav1.Status when it is one) as the client's error. */
  static StatusException nodeError(int code, Buffer body) {
    String text = body == null ? "" : body.toString();
    try {
      JsonNode s = Json.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if ("Status".equals(s.path("kind").asString(""))) {
        return new StatusException(s.path("code").asInt(code), s.path("reason").asString("InternalError"), s.path("message").asString(text));
      }
    } catch (RuntimeException notJson) {
      // plain text
    }
    return new StatusException(code, code == 404 ? "NotFound" : code == 400 ? "BadRequest" : "InternalError", text.strip());
  }

  @Override
  public void close() {
    try {
      webSockets.close().await(5, TimeUnit.SECONDS);
      http.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("closing the node proxy", e);
    }
  }
}
