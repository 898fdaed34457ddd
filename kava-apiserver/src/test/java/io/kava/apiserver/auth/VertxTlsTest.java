package io.kava.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The material from {@link Pki} as the Vert.x 5 HTTPS server takes it, with upstream's client-certificate rules. */
class VertxTlsTest {
  @TempDir
  Path dir;

  @Test
  void vertxServesWithPkiMaterialAndAuthenticatesClients() throws Exception {
    servesAndAuthenticates(null);
  }

  /** kava's own server engine: the same rules, HTTP/2 by ALPN, and client contexts still as Vert.x builds them. */
  @Test
  void serverTlsEngineServesTheSameAndNegotiatesHttp2() throws Exception {
    servesAndAuthenticates(new ServerTlsEngine());
  }

  private void servesAndAuthenticates(ServerTlsEngine engine) throws Exception {
    Pki pki = Pki.ensure(Pki.Options.defaults(dir).withBindAddress("127.0.0.1"));
    ClientCertAuthenticator authn = pki.clientCertAuthenticator();
    Vertx vertx = Vertx.vertx();
    try {
      HttpServerOptions opts = new HttpServerOptions().setSsl(true).setKeyCertOptions(pki.vertxKeyCertOptions())
          .setTrustOptions(pki.vertxRequestClientCertTrustOptions()).setClientAuth(ClientAuth.REQUEST).setUseAlpn(true);
      if (engine != null) opts.setSslEngineOptions(engine);
      HttpServer server = vertx.createHttpServer(opts).requestHandler(req -> {
        String who;
        try {
          who = authn.authenticate(req.connection().peerCertificates().toArray(java.security.cert.Certificate[]::new))
              .map(u -> u.name() + " " + u.groups()).orElse("no user");
        } catch (SSLPeerUnverifiedException e) {
          who = "anonymous";
        } catch (AuthenticationException e) {
          req.response().setStatusCode(401).end("Unauthorized");
          return;
        }
        req.response().end(req.version() == io.vertx.core.http.HttpVersion.HTTP_2 ? "h2 " + who : who);
      }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      URI uri = URI.create("https://localhost:" + server.actualPort() + "/version");

      assertThat(get(pki.adminSslContext(), uri).body()).isEqualTo("kava-admin [system:masters, system:authenticated]");
      assertThat(get(Pki.sslContext(null, List.of(pki.ca().certificate())), uri).body()).isEqualTo("anonymous");
      CertificateAuthority other = CertificateAuthority.create("other");
      CertificateAndKey foreign = other.issueClient("mallory", List.of("system:masters"), Duration.ofDays(1));
      // the server names its CA as acceptable issuer: clients (JDK, Go) then keep a foreign certificate to themselves
      assertThat(get(Pki.sslContext(foreign, List.of(pki.ca().certificate())), uri).body()).isEqualTo("anonymous");
      // a client that sends it anyway completes the handshake and is refused by the authenticator, as upstream
      HttpResponse<String> r = get(alwaysSending(foreign, pki.ca().certificate()), uri);
      assertThat(r.statusCode()).isEqualTo(401);
      // HTTP/2 by ALPN, as kubectl negotiates it
      try (HttpClient c = HttpClient.newBuilder().sslContext(pki.adminSslContext()).version(HttpClient.Version.HTTP_2).build()) {
        HttpResponse<String> h2 = c.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(h2.body()).isEqualTo("h2 kava-admin [system:masters, system:authenticated]");
      }
      if (engine != null) {
        // a client context from the same engine options is Vert.x's own (the node proxy's path)
        io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setSsl(true)
            .setTrustAll(true).setVerifyHost(false).setSslEngineOptions(engine)
            .setKeyCertOptions(KeyMaterial.vertx(pki.ca().issueClient("alice", List.of("dev"), Duration.ofDays(1)))));
        String body = client.request(io.vertx.core.http.HttpMethod.GET, server.actualPort(), "127.0.0.1", "/version")
            .compose(req -> req.send().compose(io.vertx.core.http.HttpClientResponse::body))
            .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).toString();
        assertThat(body).isEqualTo("alice [dev, system:authenticated]");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  /** A client context whose key manager offers its certificate whatever issuers the server asks for. */
  private static javax.net.ssl.SSLContext alwaysSending(CertificateAndKey own, java.security.cert.X509Certificate trusted) throws Exception {
    javax.net.ssl.X509ExtendedKeyManager km = new javax.net.ssl.X509ExtendedKeyManager() {
      @Override public String[] getClientAliases(String t, java.security.Principal[] i) { return new String[] {"k"}; }
      @Override public String chooseClientAlias(String[] t, java.security.Principal[] i, java.net.Socket s) { return "k"; }
      @Override public String chooseEngineClientAlias(String[] t, java.security.Principal[] i, javax.net.ssl.SSLEngine e) { return "k"; }
      @Override public String[] getServerAliases(String t, java.security.Principal[] i) { return null; }
      @Override public String chooseServerAlias(String t, java.security.Principal[] i, java.net.Socket s) { return null; }
      @Override public java.security.cert.X509Certificate[] getCertificateChain(String a) { return new java.security.cert.X509Certificate[] {own.certificate()}; }
      @Override public java.security.PrivateKey getPrivateKey(String a) { return own.privateKey(); }
    };
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", trusted);
    tmf.init(ts);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(new javax.net.ssl.KeyManager[] {km}, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static HttpResponse<String> get(javax.net.ssl.SSLContext ctx, URI uri) throws Exception {
    try (HttpClient c = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build()) {
      return c.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
