package io.kava.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that writes as soon as the upgrade is done (kubectl sends stdin and its terminal size at once) against a
 * server that wires the WebSocket later, on a worker, as the node's streaming server does.
 */
class AcceptPausedTest {
  Vertx vertx;

  @BeforeEach
  void start() { vertx = Vertx.vertx(); }

  @AfterEach
  void stop() { vertx.close().await(); }

  /**
   * Starts a server whose worker accepts with {@code accept}, then waits until the client's first message has reached
   * the server's event loop before it sets the handler; returns the first message the handler saw.
   */
  String firstMessageSeen(BiConsumer<ServerWebSocketHandshake, Context> accept, CompletableFuture<ServerWebSocket> accepted) throws Exception {
    CountDownLatch clientSent = new CountDownLatch(1);
    CompletableFuture<String> first = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(r -> r.response().setStatusCode(404).end())
        .webSocketHandshakeHandler(hs -> {
          Context loop = Vertx.currentContext();
          Thread.ofVirtual().start(() -> {
            accept.accept(hs, loop);
            try {
              ServerWebSocket ws = accepted.get(10, TimeUnit.SECONDS);
              clientSent.await();
              ws.binaryMessageHandler(b -> first.complete(b.toString()));
              ws.resume();
            } catch (Exception e) {
              first.completeExceptionally(e);
            }
          });
        })
        .listen().await();
    // The JDK's client (not Vert.x's: like kubectl, it shares nothing with the server).
    CompletableFuture<Void> pong = new CompletableFuture<>();
    java.net.http.WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + server.actualPort() + "/exec/ns/pod/c"), new java.net.http.WebSocket.Listener() {
          @Override public CompletionStage<?> onPong(java.net.http.WebSocket w, ByteBuffer message) {
            pong.complete(null);
            return null;
          }
        }).get(30, TimeUnit.SECONDS);
    ws.sendBinary(ByteBuffer.wrap("early".getBytes(StandardCharsets.UTF_8)), true).get(10, TimeUnit.SECONDS);
    // The server answers a PING on its event loop whatever the WebSocket's state, after the frames before it.
    ws.sendPing(ByteBuffer.wrap(new byte[] {1})).get(10, TimeUnit.SECONDS);
    pong.get(10, TimeUnit.SECONDS);
    clientSent.countDown();
    ws.sendBinary(ByteBuffer.wrap("late".getBytes(StandardCharsets.UTF_8)), true).get(10, TimeUnit.SECONDS);
    return first.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMessageSentRightAfterTheUpgradeWaitsForTheHandler() throws Exception {
    CompletableFuture<ServerWebSocket> accepted = new CompletableFuture<>();
    String first = firstMessageSeen((hs, loop) -> NodeStreamingServer.acceptPaused(hs, loop)
        .onComplete(ar -> { if (ar.succeeded()) accepted.complete(ar.result()); else accepted.completeExceptionally(ar.cause()); }), accepted);
    assertThat(first).isEqualTo("early");
  }
}
