package io.kava.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The ceiling: a bare Vert.x HTTP server (as many event loops and listeners as kava) answering every request with the
 * same 300-byte JSON. Whatever the load generator reaches against it is the most it can measure on this machine.
 */
final class BareTarget implements Target {
  static final Buffer BODY = body();

  private final Vertx vertx;
  private final List<HttpServer> servers = new ArrayList<>();
  private final Endpoint endpoint;
  private final boolean tls;
  private final SelfSignedCertificate cert;

  BareTarget(boolean tls, int eventLoops) {
    this.tls = tls;
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true).setReusePort(true);
    cert = tls ? SelfSignedCertificate.create("127.0.0.1") : null;
    if (tls) options.setSsl(true).setUseAlpn(true).setKeyCertOptions(cert.keyCertOptions());
    else options.setHttp2ClearTextEnabled(true);
    int port = 0;
    for (int i = 0; i < eventLoops; i++) {
      HttpServer s = vertx.createHttpServer(new HttpServerOptions(options).setPort(port));
      s.requestHandler(req -> {
        if (req.method().name().equals("GET")) {
          req.response().putHeader("Content-Type", "application/json").end(BODY);
        } else {
          req.body().onComplete(b -> req.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(BODY));
        }
      });
      s.listen().await();
      if (i == 0) port = s.actualPort();
      servers.add(s);
    }
    endpoint = new Endpoint("127.0.0.1", port, tls, null, tls ? cert.trustOptions() : null, false, false);
  }

  private static Buffer body() {
    StringBuilder sb = new StringBuilder("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"bare\",\"namespace\":\"bench\","
        + "\"resourceVersion\":\"1\"},\"data\":{\"k\":\"");
    while (sb.length() < 300 - 3) sb.append('x');
    sb.append("\"}}");
    return Buffer.buffer(sb.toString());
  }

  @Override public String name() { return tls ? "bare-tls" : "bare-plain"; }

  @Override public Endpoint endpoint() { return endpoint; }

  @Override public boolean needsNamespaces() { return false; }

  @Override public String description() {
    return "bare Vert.x HTTP server, 300-byte JSON, " + (tls ? "HTTPS (no client auth)" : "plain HTTP") + ", " + endpoint.describe();
  }

  @Override public void close() {
    vertx.close().await();
    if (cert != null) cert.delete();
  }
}
