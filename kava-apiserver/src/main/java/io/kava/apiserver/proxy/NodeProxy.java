package io.kava.apiserver.proxy;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.http.Exchange;
import io.vertx.core.Future;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  private final HttpClient http;
  private final WebSocketClient webSockets;

  public NodeProxy(Vertx vertx, KeyCertOptions clientCertificate) {
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
    HttpClientRequest req;
    try {
      req = http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host()).setPort(target.port()).setURI(uri)).await();
      // Paused on the event loop the moment it arrives: the body must wait for the pipe below.
      resp = req.send().onSuccess(HttpClientResponse::pause).await();
    } catch (Exception e) {
      throw unreachable(target, e);
    }
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
   */
  public void relay(java.util.function.Supplier<Future<ServerWebSocket>> acceptClient, NodeTarget target, String uri, String protocol) {
    WebSocket node;
    try {
      // Paused at once (on the event loop) so that nothing the node sends is lost before the relay is wired.
      node = webSockets.connect(new WebSocketConnectOptions().setHost(target.host()).setPort(target.port()).setURI(uri)
          .setSsl(true).setSubProtocols(List.of(protocol))).onSuccess(WebSocket::pause).await();
    } catch (Exception e) {
      if (e instanceof UpgradeRejectedException r) throw nodeError(r.getStatus(), r.getBody());
      throw unreachable(target, e);
    }
    try {
      acceptClient.get().onSuccess(client -> {
        if (!protocol.equals(client.subProtocol())) log.debug("client negotiated {} but the node speaks {}", client.subProtocol(), protocol);
        relayMessages(client, node);
        relayMessages(node, client);
        client.closeHandler(v -> close(node));
        node.closeHandler(v -> close(client));
        node.resume();
      }).await();
    } catch (Exception e) {
      node.close();
      log.debug("client WebSocket upgrade failed", e);
    }
  }

  private static void relayMessages(WebSocketBase from, WebSocketBase to) {
    from.binaryMessageHandler(b -> send(from, to, to.writeBinaryMessage(b)));
    from.textMessageHandler(t -> send(from, to, to.writeTextMessage(t)));
    from.exceptionHandler(e -> close(to));
  }

  private static void send(WebSocketBase from, WebSocketBase to, Future<Void> written) {
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> from.resume());
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
