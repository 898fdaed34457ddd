package io.kava.apiserver.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import io.kava.apiserver.auth.LoopbackCredential;
import io.kava.apiserver.auth.UserInfo;

/**
 * One HTTP request and its response, as the REST machinery sees it: path, query, headers, the whole body, the
 * authenticated user, and ways to answer once or to stream. Thread-safe for the response methods: Vert.x
 * forwards writes from other threads to the connection's event loop.
 */
public final class Exchange {
  private final HttpServerRequest request;
  private final byte[] body;
  private final UserInfo user;
  private final List<String> warnings = new ArrayList<>();
  private final AtomicBoolean answered = new AtomicBoolean();
  private final Context upgradeContext;
  /** For an {@code Upgrade: SPDY/3.1} request, the connection's context; else null. */
  private final Context spdyContext;

  public Exchange(HttpServerRequest request, byte[] body, UserInfo user) {
    this(request, body, user, null);
  }

  /** A request asking to upgrade to SPDY/3.1 (kubectl 1.29 and older: exec, attach, port-forward). */
  public static Exchange spdyUpgrade(HttpServerRequest request, UserInfo user, Context connectionContext) {
    return new Exchange(request, new byte[0], user, null, connectionContext);
  }

  /**
   * @param upgradeContext for a WebSocket upgrade request, the connection's context; the request must be paused (its
   *     end not yet read) so that the handler can still accept the upgrade once it has checked the request
   */
  public Exchange(HttpServerRequest request, byte[] body, UserInfo user, Context upgradeContext) {
    this(request, body, user, upgradeContext, null);
  }

  private Exchange(HttpServerRequest request, byte[] body, UserInfo user, Context upgradeContext, Context spdyContext) {
    this.request = request;
    this.body = body;
    this.user = user;
    this.upgradeContext = upgradeContext;
    this.spdyContext = spdyContext;
  }

  /** Whether the client asked to upgrade to SPDY and the handler may still accept. */
  public boolean spdyRequested() { return spdyContext != null && !answered.get(); }

  /**
   * Accepts a SPDY/3.1 upgrade: 101 with the agreed {@code X-Stream-Protocol-Version}, then the raw connection. It
   * comes <em>paused</em> in the event-loop task that upgraded it, for the same reason as {@link #acceptWebSocket}.
   *
   * @throws IllegalStateException when the request is not a SPDY upgrade or was already answered
   */
  public Future<NetSocket> acceptSpdy(String protocol) {
    if (spdyContext == null || !answered.compareAndSet(false, true)) {
      throw new IllegalStateException("not a pending SPDY upgrade: " + request.path());
    }
    // Vert.x hands over the raw connection only for CONNECT and GET upgrades (toNetSocket); kubectl's SPDY upgrades are
    // POSTs. So the HTTP/1.1 connection itself is turned into a socket (which removes the HTTP codec), and the 101 is
    // written on it by hand. The client sends nothing before it has read the 101, so nothing is lost in between.
    return Future.<Future<NetSocket>>future(p -> spdyContext.runOnContext(v -> {
      if (!(request.connection() instanceof io.vertx.core.http.impl.http1.Http1ServerConnection http1)) {
        p.fail(new IllegalStateException("a SPDY upgrade needs an HTTP/1.1 connection"));
        return;
      }
      p.complete(http1.netSocket().map(socket -> {
        socket.pause();
        socket.write(Buffer.buffer("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
            + "X-Stream-Protocol-Version: " + protocol + "\r\n\r\n"));
        return socket;
      }));
    })).compose(f -> f);
  }

  /** Whether the client asked to upgrade to a WebSocket and the handler may still accept. */
  public boolean webSocketRequested() { return upgradeContext != null && !answered.get(); }

  /**
   * Accepts the WebSocket upgrade (101 Switching Protocols). Until then every check may still answer with a plain HTTP
   * error, as upstream does for a watch it refuses. The WebSocket comes <em>paused</em>, paused in the event-loop task
   * that accepted it: set its handlers, then {@code resume()}. A client may send as soon as it has the 101 (kubectl
   * exec: stdin, its terminal size), and Vert.x hands a message that finds neither a handler nor a pause to no one.
   *
   * @throws IllegalStateException when the request is not an upgrade request or was already answered
   */
  public Future<ServerWebSocket> acceptWebSocket() {
    if (upgradeContext == null || !answered.compareAndSet(false, true)) {
      throw new IllegalStateException("not a pending WebSocket upgrade: " + request.path());
    }
    // The upgrade reads the request's end, so it runs on the connection's event loop.
    return Future.<Future<ServerWebSocket>>future(p -> upgradeContext.runOnContext(v -> p.complete(request.toWebSocket().onSuccess(ServerWebSocket::pause))))
        .compose(f -> f);
  }

  public String method() { return request.method().name(); }
  public String path() { return request.path(); }
  public String header(String name) { return request.getHeader(name); }
  public byte[] body() { return body; }
  public UserInfo user() { return user; }

  /** Whether the request comes from the components in this process (the loopback listener's user). */
  public boolean fromInProcessComponent() { return user != null && LoopbackCredential.USER.equals(user.name()); }
  public HttpServerRequest request() { return request; }

  public String param(String name) { return request.getParam(name); }

  public MultiMap params() { return request.params(); }

  public boolean flag(String name) {
    String v = request.getParam(name);
    return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1"));
  }

  /** A {@code Warning: 299} header added to the response (field validation warnings, deprecations). */
  public void warn(String message) { warnings.add(message); }

  public boolean answered() { return answered.get(); }

  public void respond(int code, String contentType, byte[] bytes) { respond(code, contentType, Buffer.buffer(bytes)); }

  public void respond(int code, String contentType, Buffer body) {
    if (!answered.compareAndSet(false, true)) return;
    // A refused upgrade: read the rest of the request so the connection can carry the next one.
    if (upgradeContext != null) upgradeContext.runOnContext(v -> request.resume());
    HttpServerResponse r = request.response();
    r.setStatusCode(code);
    r.putHeader("Content-Type", contentType);
    if (!r.headers().contains("Cache-Control")) r.putHeader("Cache-Control", "no-cache, private");
    addWarnings(r);
    if (request.method().name().equals("HEAD")) {
      r.putHeader("Content-Length", Integer.toString(body.length()));
      r.end();
    } else {
      r.end(body);
    }
  }

  public void respondText(int code, String text) {
    respond(code, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** Starts a streamed response (watch); returns the response for writes. */
  public HttpServerResponse stream(String contentType) {
    if (answered.compareAndSet(false, true) && upgradeContext != null) upgradeContext.runOnContext(v -> request.resume());
    answered.set(true);
    HttpServerResponse r = request.response();
    r.setStatusCode(200);
    r.putHeader("Content-Type", contentType);
    r.putHeader("Cache-Control", "no-cache, private");
    r.putHeader("Transfer-Encoding", "chunked");
    addWarnings(r);
    if (request.version() == io.vertx.core.http.HttpVersion.HTTP_1_1 || request.version() == io.vertx.core.http.HttpVersion.HTTP_1_0) {
      r.setChunked(true);
    } else {
      r.headers().remove("Transfer-Encoding");
    }
    return r;
  }

  private void addWarnings(HttpServerResponse r) {
    for (String w : warnings) r.headers().add("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\"");
  }
}
