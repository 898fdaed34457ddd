package io.kava.cli;

import io.kava.api.json.Json;
import io.kava.apiserver.auth.CertificateAndKey;
import io.kava.apiserver.auth.CertificateAuthority;
import io.kava.apiserver.auth.Pki;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the JDK's TLS and certificate code once on a background thread while {@code kava server} parses its command
 * line and builds its components: the first client's handshake and the loading of the certificates otherwise pay
 * for initialising the JCA providers, the key exchange, the signature and the record ciphers in a cold JVM (measured:
 * ~0.35 s from listening to the first /readyz answer, ~0.2 s for the certificates), mostly on one core while the
 * other idles. Here the work is an in-memory handshake between two {@link SSLEngine}s with throwaway EC certificates,
 * as the API server's (TLS 1.3, ALPN, a client certificate requested); nothing is kept and nothing listens.
 * (The servers' Netty contexts are built without Netty's once-per-JVM PKCS#12 check: see ServerTlsEngine.)
 */
final class StartupWarmup {
  private static final Logger log = LoggerFactory.getLogger(StartupWarmup.class);
  /** {@code -Dkava.startupWarmup=false} turns it off (to measure what it saves). */
  static final String PROPERTY = "kava.startupWarmup";

  private StartupWarmup() {}

  /** Starts the warm-up on a daemon thread unless turned off; never fails the caller. */
  static void startInBackground() {
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) return;
    Thread.ofPlatform().daemon().name("kava-startup-warmup").start(() -> {
      long t0 = System.nanoTime();
      try {
        json();
        handshake();
        log.debug("TLS warm-up done in {} ms", (System.nanoTime() - t0) / 1_000_000);
      } catch (Exception | LinkageError e) {
        log.debug("TLS warm-up failed (start-up is only slower): {}", e.toString());
      }
    });
  }

  /**
   * Builds the JSON mapper every part of the server uses (Jackson's set-up, ~50 ms of CPU in a cold JVM) and reads
   * and writes one document, while the main thread still parses the command line: first, as the store and the API
   * server need it soon after.
   */
  static void json() {
    Json.MAPPER.writeValueAsBytes(Json.MAPPER.readTree("{\"kind\":\"Warmup\",\"metadata\":{\"name\":\"a\"}}"));
  }

  /** One full handshake with client authentication and one application record each way; throws if it stalls. */
  static void handshake() throws SSLException {
    CertificateAuthority ca = CertificateAuthority.create("kava-warmup");
    CertificateAndKey server = ca.issueServing("kava-warmup", List.of("localhost"), List.of("127.0.0.1"), Duration.ofHours(1));
    inMemoryHandshake(ca, server);
  }

  private static void inMemoryHandshake(CertificateAuthority ca, CertificateAndKey server) throws SSLException {
    CertificateAndKey client = ca.issueClient("kava-warmup", List.of(), Duration.ofHours(1));
    SSLEngine s = Pki.sslContext(server, List.of(ca.certificate())).createSSLEngine();
    s.setUseClientMode(false);
    SSLParameters sp = s.getSSLParameters();
    sp.setWantClientAuth(true);
    sp.setApplicationProtocols(new String[] {"h2", "http/1.1"});
    s.setSSLParameters(sp);
    SSLEngine c = Pki.sslContext(client, List.of(ca.certificate())).createSSLEngine("localhost", 443);
    c.setUseClientMode(true);
    SSLParameters cp = c.getSSLParameters();
    cp.setApplicationProtocols(new String[] {"h2", "http/1.1"});
    c.setSSLParameters(cp);

    int packet = Math.max(s.getSession().getPacketBufferSize(), c.getSession().getPacketBufferSize());
    int app = Math.max(s.getSession().getApplicationBufferSize(), c.getSession().getApplicationBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(packet);
    ByteBuffer toClient = ByteBuffer.allocate(packet);
    ByteBuffer serverIn = ByteBuffer.allocate(app);
    ByteBuffer clientIn = ByteBuffer.allocate(app);
    ByteBuffer clientOut = ByteBuffer.wrap("GET /readyz HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    ByteBuffer serverOut = ByteBuffer.wrap("HTTP/1.1 200 OK\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    for (int round = 0; round < 100; round++) {
      step(c.wrap(clientOut, toServer), c);
      step(s.wrap(serverOut, toClient), s);
      toServer.flip();
      toClient.flip();
      step(s.unwrap(toServer, serverIn), s);
      step(c.unwrap(toClient, clientIn), c);
      toServer.compact();
      toClient.compact();
      if (!clientOut.hasRemaining() && !serverOut.hasRemaining() && serverIn.position() > 0 && clientIn.position() > 0) return;
    }
    throw new SSLException("in-memory handshake did not finish");
  }

  private static void step(SSLEngineResult r, SSLEngine e) {
    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
      for (Runnable task; (task = e.getDelegatedTask()) != null; ) task.run();
    }
  }
}
