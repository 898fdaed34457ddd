package io.kava.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;

/** Runs fabric8's KubernetesMockServer (CRUD mode) alone in a JVM, for the start-up and idle-memory comparison. */
public final class MockServerMain {
  private MockServerMain() {}

  /** Arguments: PORT [TLS (true|false)]. */
  public static void main(String[] args) throws Exception {
    java.util.logging.Logger quiet = MockTarget.quiet();
    int port = Integer.parseInt(args[0]);
    boolean tls = args.length > 1 && Boolean.parseBoolean(args[1]);
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), tls);
    server.init(InetAddress.getByName("127.0.0.1"), port);
    System.out.println("mock server listening on " + (tls ? "https" : "http") + "://127.0.0.1:" + server.getPort());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.destroy();
      stop.countDown();
    }));
    stop.await();
    quiet.fine("stopped");
  }
}
