package io.kava.bench;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;

/**
 * Where a target listens and how a client reaches it.
 *
 * @param keyCert        client certificate to present (kava's admin cert), or null
 * @param trust          what the client trusts (the cluster CA, the mock's self-signed cert), or null with TLS off
 * @param verifyHost     whether the server certificate must name {@code host}
 * @param websocketWatch watches are WebSocket upgrades (fabric8's mock) rather than chunked HTTP streams (kava)
 * @param bearerToken    a token the server accepts, for clients that cannot present a certificate (wrk), or null
 */
public record Endpoint(String host, int port, boolean tls, KeyCertOptions keyCert, TrustOptions trust, boolean verifyHost,
                       boolean websocketWatch, String bearerToken) {
  public Endpoint(String host, int port, boolean tls, KeyCertOptions keyCert, TrustOptions trust, boolean verifyHost, boolean websocketWatch) {
    this(host, port, tls, keyCert, trust, verifyHost, websocketWatch, null);
  }

  public String describe() { return (tls ? "https" : "http") + "://" + host + ":" + port; }
}
