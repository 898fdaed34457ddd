package io.kava.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;

/**
 * fabric8's KubernetesMockServer in CRUD mode (what fabric8 users embed in their tests), in this JVM. With TLS it
 * serves its own self-signed certificate and asks for no client certificate; watches are WebSocket upgrades.
 */
final class MockTarget implements Target {
  private final KubernetesMockServer server;
  private final Endpoint endpoint;
  private final boolean tls;

  /** The mock logs every request at INFO through java.util.logging; that would measure the console, not the server. */
  static final java.util.logging.Logger MOCK_LOG = quiet();

  static java.util.logging.Logger quiet() {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    l.setLevel(java.util.logging.Level.WARNING);
    return l;
  }

  MockTarget(boolean tls) {
    this.tls = tls;
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), tls);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    endpoint = new Endpoint("127.0.0.1", server.getPort(), tls, null,
        tls ? server.getSelfSignedCertificate().trustOptions() : null, false, true);
  }

  @Override public String name() { return "mock"; }

  @Override public Endpoint endpoint() { return endpoint; }

  @Override public boolean needsNamespaces() { return false; }

  @Override public String description() {
    return "fabric8 KubernetesMockServer 8.0.0, CRUD mode, " + (tls ? "HTTPS (self-signed, no client auth)" : "plain HTTP")
        + ", " + endpoint.describe();
  }

  @Override public void close() { server.destroy(); }
}
