package io.kava.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.List;

/** Vert.x clients for an endpoint: HTTP/1.1 keep-alive pools, HTTP/2 (ALPN over TLS, prior knowledge in clear). */
final class Clients {
  enum Protocol {
    H1("HTTP/1.1"), H2("HTTP/2");

    final String label;

    Protocol(String label) { this.label = label; }
  }

  private Clients() {}

  /**
   * @param connections HTTP/1.1: the pool size (one request in flight per connection, no pipelining);
   *                    HTTP/2: how many connections the streams are spread over
   * @param streams     HTTP/2: the most concurrent streams per connection
   * @param eventLoops  how many of the client Vert.x's event loops the pool's connections use
   */
  static HttpClientAgent http(Vertx vertx, Endpoint ep, Protocol protocol, int connections, int streams, int eventLoops) {
    HttpClientOptions o = new HttpClientOptions()
        .setDefaultHost(ep.host())
        .setDefaultPort(ep.port())
        .setKeepAlive(true)
        .setKeepAliveTimeout(600)
        .setTcpNoDelay(true)
        .setConnectTimeout(30_000)
        .setMaxInitialLineLength(64 * 1024);
    tls(o, ep);
    if (protocol == Protocol.H2) {
      o.setProtocolVersion(HttpVersion.HTTP_2).setHttp2MultiplexingLimit(Math.max(1, streams)).setHttp2KeepAliveTimeout(600);
      if (ep.tls()) o.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
      else o.setHttp2ClearTextUpgrade(false);
    } else {
      o.setProtocolVersion(HttpVersion.HTTP_1_1).setUseAlpn(false).setPipelining(false);
    }
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(Math.max(1, connections)).setHttp2MaxSize(Math.max(1, connections))
        .setEventLoopSize(Math.max(1, eventLoops)).setMaxWaitQueueSize(-1);
    return vertx.createHttpClient(o, pool);
  }

  static WebSocketClient webSocket(Vertx vertx, Endpoint ep, int maxConnections) {
    WebSocketClientOptions o = new WebSocketClientOptions()
        .setDefaultHost(ep.host())
        .setDefaultPort(ep.port())
        .setMaxConnections(maxConnections)
        .setConnectTimeout(30_000)
        .setTcpNoDelay(true)
        .setMaxMessageSize(64 * 1024 * 1024)
        .setMaxFrameSize(16 * 1024 * 1024);
    if (ep.tls()) {
      o.setSsl(true).setVerifyHost(ep.verifyHost());
      if (ep.trust() != null) o.setTrustOptions(ep.trust());
      else o.setTrustAll(true);
      if (ep.keyCert() != null) o.setKeyCertOptions(ep.keyCert());
    }
    return vertx.createWebSocketClient(o);
  }

  private static void tls(HttpClientOptions o, Endpoint ep) {
    if (!ep.tls()) return;
    o.setSsl(true).setVerifyHost(ep.verifyHost());
    if (ep.trust() != null) o.setTrustOptions(ep.trust());
    else o.setTrustAll(true);
    if (ep.keyCert() != null) o.setKeyCertOptions(ep.keyCert());
  }
}
