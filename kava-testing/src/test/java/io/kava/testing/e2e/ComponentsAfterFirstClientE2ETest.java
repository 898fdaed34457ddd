package io.kava.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.kava.cli.KavaServer;
import io.kava.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ADR 0013: once the API server is ready, the controllers, the scheduler and the nodes wait for its first client's
 * answer (at most the bound given) before they start. In-process clients on the loopback listener do not count; a
 * client on the serving port does.
 */
@Tag("e2e")
class ComponentsAfterFirstClientE2ETest {
  static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void theComponentsStartOnceAClientOfTheServingPortWasAnswered() throws Exception {
    Path dir = Files.createTempDirectory("kava-first-client-");
    // A bound far beyond the test's deadline: only the client can let the start-up go on in time.
    KavaServer server = new KavaServer(KavaServer.Options.defaults(dir).withPort(0).withStore(KavaServer.StoreKind.MEMORY))
        .componentsAfterFirstClient(Duration.ofMinutes(10));
    CompletableFuture<Void> apiReady = new CompletableFuture<>();
    server.onApiReady(() -> apiReady.complete(null));
    CompletableFuture<KavaServer> started = CompletableFuture.supplyAsync(server::start);
    try {
      apiReady.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

      // An in-process client's request is answered, and the components still wait.
      HttpResponse<String> loopback = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.api().loopbackUrl() + "/readyz"))
          .header("Authorization", "Bearer " + server.inProcessConfig().getAutoOAuthToken()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(loopback.statusCode()).as(loopback.body()).isEqualTo(200);
      Thread.sleep(1000);
      assertThat(started).as("the start-up goes on before any client of the serving port was answered").isNotDone();

      Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
      config.setClientKeyAlgo("EC");
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new Vertx5HttpClientFactory()).build()) {
        assertThat(client.serviceAccounts().inNamespace("default").withName("default").get())
            .as("the service account controller has not run yet").isNull();
        assertThat(started.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isSameAs(server);
        Poll.until(DEADLINE, () -> client.serviceAccounts().inNamespace("default").withName("default").get() != null,
            () -> "the service account controller did not create default/default");
      }
    } finally {
      started.cancel(true);
      server.close();
    }
  }
}
