package io.kava.client;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/**
 * The one Vert.x behind every fabric8 client of this process. fabric8's default gives each client a Vert.x of its own:
 * a {@code kava server} made eight of them (informers, leader election, controllers, scheduler, simulated nodes, node
 * agent), each with its event loops, blocked-thread checker and resolver, for a few connections in all. Shared, like
 * the JDK's common pool: it is made on first use, its threads are daemons and it is never closed, so a client closed
 * late in a shutdown never finds its event loop gone. A client made from {@link #httpClientFactory()} leaves the
 * Vert.x open when it closes.
 */
public final class SharedVertx {
  private SharedVertx() {}

  private static final class Holder {
    // As fabric8 configures its own (daemon threads, no file caching), with the event loops for two cores' clients,
    // on Netty's epoll transport where it loads (docs/adr/0012-native-epoll-transport.md).
    static final Vertx VERTX = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors()))
        .setUseDaemonThread(true)
        .setPreferNativeTransport(true)
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
  }

  /** A fabric8 HTTP client factory over the shared Vert.x; {@code KubernetesClientBuilder.withHttpClientFactory}. */
  public static HttpClient.Factory httpClientFactory() { return new Vertx5HttpClientFactory(Holder.VERTX); }
}
