package io.kava.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchOutputTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() { vertx.close().await(); }

  /** Frames queued while the event loop is busy go out as one chunk, in order, and the end comes after them. */
  @Test
  void framesQueuedTogetherGoOutAsOneChunkInOrder() throws Exception {
    CountDownLatch loopBusy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<List<Boolean>> writesDone = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      WatchOutput.HttpChunks out = new WatchOutput.HttpChunks(req.response().setChunked(true), req.connection(), req.version());
      // Hold the connection's event loop so that the frames below queue up behind it.
      io.netty.channel.EventLoop loop = ((io.vertx.core.net.impl.ConnectionBase) req.connection()).channel().eventLoop();
      loop.execute(() -> {
        loopBusy.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Thread.ofPlatform().start(() -> {
        try {
          loopBusy.await(10, TimeUnit.SECONDS);
          List<io.vertx.core.Future<Void>> f = List.of(
              out.write("{\"n\":1}\n".getBytes(StandardCharsets.UTF_8)),
              out.write("{\"n\":".getBytes(StandardCharsets.UTF_8), "2".getBytes(StandardCharsets.UTF_8), "}\n".getBytes(StandardCharsets.UTF_8)),
              out.write("{\"n\":3}\n".getBytes(StandardCharsets.UTF_8)));
          out.end();
          release.countDown();
          io.vertx.core.Future.all(f).onComplete(ar -> writesDone.complete(f.stream().map(io.vertx.core.Future::succeeded).toList()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }).listen(0, "127.0.0.1").await();

    HttpClient client = vertx.createHttpClient();
    List<String> chunks = new CopyOnWriteArrayList<>();
    // The handlers are set on the event loop as the response arrives: set after an await, the body may be over already.
    client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/watch")
        .compose(r -> r.send())
        .compose(resp -> {
          resp.handler(b -> chunks.add(b.toString(StandardCharsets.UTF_8)));
          return resp.end();
        })
        .await(10, TimeUnit.SECONDS);

    assertThat(chunks).containsExactly("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
    assertThat(writesDone.get(10, TimeUnit.SECONDS)).containsExactly(true, true, true);
  }

  /** After the end no frame is taken: the caller learns that the response is over. */
  @Test
  void aFrameAfterTheEndIsRefused() throws Exception {
    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      WatchOutput.HttpChunks out = new WatchOutput.HttpChunks(req.response().setChunked(true), req.connection(), req.version());
      out.end();
      try {
        out.write("{}\n".getBytes(StandardCharsets.UTF_8));
        refused.complete(null);
      } catch (IllegalStateException e) {
        refused.complete(e);
      }
    }).listen(0, "127.0.0.1").await();
    HttpClient client = vertx.createHttpClient();
    String body = client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/watch")
        .compose(r -> r.send()).compose(r -> r.body()).await().toString(StandardCharsets.UTF_8);
    assertThat(body).isEmpty();
    assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
  }
}
