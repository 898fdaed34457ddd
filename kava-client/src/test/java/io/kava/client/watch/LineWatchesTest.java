package io.kava.client.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.client.SharedVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A line-watch informer against a server that cuts its watch stream at awkward places and ends a watch. */
class LineWatchesTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<String> watchVersions = Collections.synchronizedList(new ArrayList<>());
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void close() throws Exception { vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); }

  private static String pod(String name, String rv, String label) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns\",\"resourceVersion\":\"" + rv
        + "\",\"labels\":{\"l\":\"" + label + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
  }

  private static String event(String type, String object) { return "{\"type\":\"" + type + "\",\"object\":" + object + "}\n"; }

  /** Writes {@code text} in pieces of {@code size} bytes, 5 ms apart, then ends the response if asked. */
  private void writeInPieces(HttpServerResponse resp, byte[] text, int from, int size, boolean end) {
    if (from >= text.length) {
      if (end) resp.end();
      return;
    }
    int to = Math.min(text.length, from + size);
    resp.write(Buffer.buffer().appendBytes(text, from, to - from));
    vertx.setTimer(5, t -> writeInPieces(resp, text, to, size, end));
  }

  @Test
  void eventsCutAcrossChunksReachTheInformerAndAnEndedWatchResumesFromTheLastVersion() throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      if (!"true".equals(req.getParam("watch"))) {
        req.response().putHeader("Content-Type", "application/json")
            .end("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"10\"},\"items\":[" + pod("a", "5", "x") + "]}");
        return;
      }
      String rv = req.getParam("resourceVersion");
      watchVersions.add(rv);
      HttpServerResponse resp = req.response().setChunked(true).putHeader("Content-Type", "application/json");
      if ("10".equals(rv)) { // three events in 7-byte pieces (a multi-byte character cut in two), then the watch ends
        String text = event("ADDED", pod("b", "11", "y")) + event("MODIFIED", pod("a", "12", "grüße")) + event("BOOKMARK",
            "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"12\"}}");
        writeInPieces(resp, text.getBytes(StandardCharsets.UTF_8), 0, 7, true);
      } else { // two events in one piece, the watch stays open
        String text = event("DELETED", pod("b", "13", "y")) + event("MODIFIED", pod("a", "14", "日本"));
        writeInPieces(resp, text.getBytes(StandardCharsets.UTF_8), 0, 1 << 20, false);
      }
    });
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    try (KubernetesClient client = new KubernetesClientBuilder().withHttpClientFactory(SharedVertx.httpClientFactory())
        .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port).withWatchReconnectInterval(10).build()).build()) {
      SharedIndexInformer<Pod> informer = LineWatches.informer(Pod.class, client.pods().inAnyNamespace());
      informer.addEventHandler(new ResourceEventHandler<>() {
        @Override public void onAdd(Pod p) { events.add("add " + name(p)); }

        @Override public void onUpdate(Pod a, Pod b) { events.add("update " + name(b)); }

        @Override public void onDelete(Pod p, boolean unknown) { events.add("delete " + p.getMetadata().getName()); }
      });
      informer.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
      waitFor(() -> events.size() >= 5);
      assertThat(events).containsExactly("add a=x@5", "add b=y@11", "update a=grüße@12", "delete b", "update a=日本@14");
      assertThat(watchVersions).containsExactly("10", "12");
      assertThat(informer.getStore().list()).extracting(LineWatchesTest::name).containsExactly("a=日本@14");
      assertThat(informer.lastSyncResourceVersion()).isEqualTo("14");
      informer.stop();
    }
  }

  @Test
  void refusesOperationsItCannotWatchWhole() {
    try (KubernetesClient client = new KubernetesClientBuilder().withHttpClientFactory(SharedVertx.httpClientFactory())
        .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build()).build()) {
      assertThatThrownBy(() -> LineWatches.informer(Pod.class, client.pods().inAnyNamespace().withLabel("app", "web")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> LineWatches.informer(Pod.class, client.pods().inNamespace("ns").withField("spec.nodeName", "n")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> LineWatches.informer(Pod.class, "pods")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static String name(Pod p) {
    return p.getMetadata().getName() + "=" + p.getMetadata().getLabels().get("l") + "@" + p.getMetadata().getResourceVersion();
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(20);
  }
}
