package io.kava.bench;

import io.kava.apiserver.auth.Pki;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ceiling: a bare Vert.x HTTP server (as many event loops and listeners as kava) answering every request with the
 * same 300-byte JSON. With TLS it uses certificates from kava's own PKI code and asks for the client certificate, as
 * kava does, so the TLS work per request matches. Whatever the load generator reaches against it is the most it can
 * measure on this machine.
 */
final class BareTarget implements Target {
  static final Buffer BODY = body();

  private final Vertx vertx;
  private final List<HttpServer> servers = new ArrayList<>();
  private final Endpoint endpoint;
  private final boolean tls;

  BareTarget(boolean tls, int eventLoops, Path pkiDir) {
    this.tls = tls;
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true).setReusePort(true);
    Endpoint ep;
    if (tls) {
      Pki pki;
      try {
        pki = Pki.ensure(Pki.Options.defaults(pkiDir).withBindAddress("127.0.0.1").withPort(1));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      options.setSsl(true).setUseAlpn(true)
          .setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(pki.serverCertPem())).addKeyValue(Buffer.buffer(pki.serverKeyPem())))
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caCertPem())))
          .setClientAuth(ClientAuth.REQUEST);
      ep = new Endpoint("127.0.0.1", 0, true,
          new PemKeyCertOptions().addCertValue(Buffer.buffer(pki.adminCertPem())).addKeyValue(Buffer.buffer(pki.adminKeyPem())),
          new PemTrustOptions().addCertValue(Buffer.buffer(pki.caCertPem())), true, false);
    } else {
      options.setHttp2ClearTextEnabled(true);
      ep = new Endpoint("127.0.0.1", 0, false, null, null, false, false);
    }
    int port;
    try {
      port = StartupBench.freePort(); // one port for every listener: Vert.x shares it between them
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
      servers.add(s);
    }
    endpoint = new Endpoint(ep.host(), port, ep.tls(), ep.keyCert(), ep.trust(), ep.verifyHost(), false);
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
    return "bare Vert.x HTTP server, 300-byte JSON, " + (tls ? "HTTPS with kava's certificates, client cert requested" : "plain HTTP")
        + ", " + endpoint.describe();
  }

  @Override public void close() { vertx.close().await(); }
}
