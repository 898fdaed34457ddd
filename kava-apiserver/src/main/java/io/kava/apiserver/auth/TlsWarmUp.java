package io.kava.apiserver.auth;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS handshakes between two in-memory engines with the cluster's own certificates, run on a background thread
 * while the server starts. The first client's handshake (a readiness probe, kubectl) otherwise runs the JDK's TLS
 * and P-256 code for the first time, interpreted, on an event loop, after the port is open: measured as hundreds
 * of milliseconds between "listening" and the first answer. Here it overlaps with opening the store and building
 * the handlers instead. Vert.x uses the JDK's SSLEngine (no native TLS library on the class path), so this is the
 * same code.
 */
public final class TlsWarmUp {
  private static final Logger log = LoggerFactory.getLogger(TlsWarmUp.class);
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private TlsWarmUp() {}

  /** Starts {@code rounds} handshakes on a daemon platform thread (CPU-bound work: not a virtual thread). */
  public static Thread startInBackground(Pki pki, int rounds) {
    return Thread.ofPlatform().name("kava-tls-warm-up").daemon().start(() -> {
      long t0 = System.nanoTime();
      try {
        SSLContext server = pki.serverSslContext();
        SSLContext client = pki.adminSslContext();
        for (int i = 0; i < rounds; i++) handshake(server, client);
        log.debug("TLS warm-up: {} handshakes in {} ms", rounds, (System.nanoTime() - t0) / 1_000_000);
      } catch (SSLException | RuntimeException e) {
        log.debug("TLS warm-up failed (the first handshakes are just slower): {}", e.toString());
      }
    });
  }

  /** One full handshake, as the API server does it: client certificate requested, ALPN h2 or http/1.1. */
  static void handshake(SSLContext serverContext, SSLContext clientContext) throws SSLException {
    SSLEngine server = serverContext.createSSLEngine();
    server.setUseClientMode(false);
    server.setWantClientAuth(true);
    SSLEngine client = clientContext.createSSLEngine("127.0.0.1", 6443);
    client.setUseClientMode(true);
    for (SSLEngine e : new SSLEngine[] {server, client}) {
      SSLParameters p = e.getSSLParameters();
      p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      e.setSSLParameters(p);
    }
    int size = Math.max(server.getSession().getPacketBufferSize(), server.getSession().getApplicationBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(size);
    ByteBuffer toClient = ByteBuffer.allocate(size);
    ByteBuffer serverApp = ByteBuffer.allocate(size);
    ByteBuffer clientApp = ByteBuffer.allocate(size);
    client.beginHandshake();
    server.beginHandshake();
    for (int step = 0; step < 64; step++) {
      if (finished(client) && finished(server)) return;
      client.wrap(EMPTY, toServer);
      runTasks(client);
      server.wrap(EMPTY, toClient);
      runTasks(server);
      toServer.flip();
      server.unwrap(toServer, serverApp);
      toServer.compact();
      runTasks(server);
      toClient.flip();
      client.unwrap(toClient, clientApp);
      toClient.compact();
      runTasks(client);
    }
    throw new SSLException("in-memory handshake did not finish");
  }

  private static boolean finished(SSLEngine e) {
    HandshakeStatus s = e.getHandshakeStatus();
    return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
  }

  private static void runTasks(SSLEngine e) {
    Runnable task;
    while ((task = e.getDelegatedTask()) != null) task.run();
  }
}
