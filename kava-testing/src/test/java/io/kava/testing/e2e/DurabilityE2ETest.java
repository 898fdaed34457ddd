package io.kava.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.auth.Pki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An acknowledged write is never lost: a {@code kava server} process (SQLite store) is killed with SIGKILL while
 * clients create objects; after a restart on the same data directory every create that got a 201 is there.
 */
@Tag("e2e")
class DurabilityE2ETest {

  @Test
  void everyAcknowledgedCreateSurvivesKillMinus9() throws Exception {
    Path dir = Files.createTempDirectory("kava-durability-");
    int port = ServerProcess.freePort();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    try (ServerProcess first = ServerProcess.start(dir, port)) {
      HttpClient http = client(dir, port);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger seq = new AtomicInteger();
      ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
      for (int w = 0; w < 8; w++) {
        writers.submit(() -> {
          while (!stop.get()) {
            String name = "cm-" + seq.incrementAndGet();
            try {
              HttpResponse<String> r = http.send(post(port, name), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 201) acked.add(name);
            } catch (InterruptedException e) {
              return null;
            } catch (IOException e) {
              // Not acknowledged (a timeout while the server starts up on a loaded machine, or the server died under
              // us): the create does not count; keep writing until told to stop.
              if (stop.get()) return null;
            }
          }
          return null;
        });
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (acked.size() < 400 && System.nanoTime() < deadline) Thread.sleep(20);
      first.kill9();
      stop.set(true);
      writers.shutdown();
      writers.awaitTermination(30, TimeUnit.SECONDS);
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(400);
    try (ServerProcess second = ServerProcess.start(dir, port)) {
      HttpClient http = client(dir, port);
      List<String> missing = new ArrayList<>();
      for (String name : acked) {
        HttpRequest get = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/namespaces/default/configmaps/" + name)).build();
        if (statusOf(http, get) != 200) missing.add(name);
      }
      assertThat(missing).as("acknowledged creates missing after kill -9 and restart").isEmpty();
    }
  }

  /**
   * The status of a GET, retried while the connection times out: the first TLS handshakes of a freshly restarted
   * server can take longer than the client's connect timeout on a loaded CI machine.
   */
  private static int statusOf(HttpClient http, HttpRequest get) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try {
        return http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (java.net.http.HttpTimeoutException e) {
        if (System.nanoTime() > deadline) throw e;
      }
    }
  }

  private static HttpClient client(Path dir, int port) throws IOException {
    Pki pki = Pki.ensure(Pki.Options.defaults(dir).withBindAddress("127.0.0.1").withPort(port).withAdvertiseHost("127.0.0.1"));
    return HttpClient.newBuilder().sslContext(pki.adminSslContext()).connectTimeout(Duration.ofSeconds(15)).build();
  }

  private static HttpRequest post(int port, String name) {
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}";
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/namespaces/default/configmaps"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
