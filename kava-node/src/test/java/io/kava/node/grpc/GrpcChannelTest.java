package io.kava.node.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.node.cri.v1.VersionRequest;
import io.kava.node.cri.v1.VersionResponse;
import io.netty.channel.epoll.Epoll;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unary gRPC calls against a Vert.x HTTP/2 server on a unix socket that answers as a gRPC server would. */
class GrpcChannelTest {
  private static Vertx vertx;
  @TempDir Path dir;
  private final List<HttpServerRequest> seen = new CopyOnWriteArrayList<>();
  private final List<Buffer> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private HttpServer server;
  private GrpcChannel channel;

  @BeforeAll
  static void vertx() { vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)); }

  @AfterAll
  static void closeVertx() throws Exception { vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); }

  private void serve(BiConsumer<HttpServerRequest, Buffer> answer) throws Exception {
    assumeTrue(Epoll.isAvailable() && vertx.isNativeTransportEnabled(), "unix sockets need Netty's native transport, which does not load here");
    Path socket = dir.resolve("cri.sock");
    server = vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet()).requestHandler(req -> {
      seen.add(req);
      req.body().onSuccess(b -> {
        bodies.add(b);
        answer.accept(req, b);
      });
    });
    server.listen(SocketAddress.domainSocketAddress(socket.toString())).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    channel = GrpcChannel.unixSocket(socket.toString());
  }

  @AfterEach
  void close() throws Exception {
    if (channel != null) channel.close();
    if (server != null) server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Buffer framed(byte[] message) { return Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message); }

  private VersionResponse version(String v, Duration deadline) {
    return channel.call("runtime.v1.RuntimeService", "Version", VersionRequest.newBuilder().setVersion(v).build(), VersionResponse.parser(), deadline);
  }

  /** Answers a Version call with the asked version as the runtime's version: each call gets its own answer. */
  private static void echo(HttpServerRequest req, Buffer body) {
    String asked;
    try {
      asked = VersionRequest.parseFrom(body.getBytes(5, body.length())).getVersion();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      req.response().setStatusCode(400).end();
      return;
    }
    req.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "0")
        .end(framed(VersionResponse.newBuilder().setRuntimeName("containerd").setRuntimeVersion(asked).build().toByteArray()));
  }

  @Test
  void aUnaryCallSendsOneFramedMessageOverHttp2AndReadsTheAnswerAndItsTrailers() throws Exception {
    serve(GrpcChannelTest::echo);
    VersionResponse v = version("v1", Duration.ofSeconds(10));
    assertThat(v.getRuntimeName()).isEqualTo("containerd");
    assertThat(v.getRuntimeVersion()).isEqualTo("v1");
    HttpServerRequest req = seen.get(0);
    assertThat(req.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(req.method().name()).isEqualTo("POST");
    assertThat(req.path()).isEqualTo("/runtime.v1.RuntimeService/Version");
    assertThat(req.getHeader("content-type")).isEqualTo("application/grpc");
    assertThat(req.getHeader("te")).isEqualTo("trailers");
    assertThat(req.getHeader("grpc-timeout")).isEqualTo("10000m");
    Buffer body = bodies.get(0);
    assertThat(body.getByte(0)).isZero();
    assertThat(body.getInt(1)).isEqualTo(body.length() - 5);
  }

  @Test
  void anEmptyAnswerMessageIsAValidAnswer() throws Exception {
    serve((req, body) -> req.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "0").end(framed(new byte[0])));
    assertThat(version("v1", Duration.ofSeconds(10))).isEqualTo(VersionResponse.getDefaultInstance());
  }

  @Test
  void concurrentCallsShareOneConnectionAndEachGetsItsOwnAnswer() throws Exception {
    serve(GrpcChannelTest::echo);
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> callers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int caller = t;
        callers.add(ex.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 100; i++) {
            String asked = caller + "-" + i;
            if (version(asked, Duration.ofSeconds(30)).getRuntimeVersion().equals(asked)) ok++;
          }
          return ok;
        }));
      }
      for (Future<Integer> f : callers) assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(100);
    }
    assertThat(connections.get()).isEqualTo(1);
  }

  @Test
  void aFailureCarriesTheCodeAndThePercentDecodedMessageOfTheTrailers() throws Exception {
    serve((req, body) -> req.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "5")
        .putTrailer("grpc-message", "container %22web%22 not found: 100%25 gone+away").end());
    assertThatThrownBy(() -> version("v1", Duration.ofSeconds(10))).isInstanceOfSatisfying(GrpcException.class, e -> {
      assertThat(e.code()).isEqualTo(GrpcCode.NOT_FOUND);
      assertThat(e.connectFailed()).isFalse();
      assertThat(e.getMessage()).isEqualTo("Version: NOT_FOUND: container \"web\" not found: 100% gone+away");
      assertThat(e.description()).isEqualTo("container \"web\" not found: 100% gone+away");
    });
  }

  @Test
  void aTrailersOnlyAnswerCarriesTheStatusInItsHeaders() throws Exception {
    serve((req, body) -> req.response().putHeader("content-type", "application/grpc").putHeader("grpc-status", "12")
        .putHeader("grpc-message", "unknown service runtime.v1.RuntimeService").end());
    assertThatThrownBy(() -> version("v1", Duration.ofSeconds(10))).isInstanceOfSatisfying(GrpcException.class, e ->
        assertThat(e.getMessage()).isEqualTo("Version: UNIMPLEMENTED: unknown service runtime.v1.RuntimeService"));
  }

  @Test
  void anHttpErrorWithoutGrpcStatusMapsAsGrpcSays() throws Exception {
    serve((req, body) -> req.response().setStatusCode(503).end("overloaded"));
    assertThatThrownBy(() -> version("v1", Duration.ofSeconds(10))).isInstanceOfSatisfying(GrpcException.class, e ->
        assertThat(e.code()).isEqualTo(GrpcCode.UNAVAILABLE));
  }

  @Test
  void anAnswerCutShortIsInternal() throws Exception {
    serve((req, body) -> req.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "0")
        .end(Buffer.buffer().appendByte((byte) 0).appendInt(100).appendBytes(new byte[] {1, 2, 3})));
    assertThatThrownBy(() -> version("v1", Duration.ofSeconds(10))).isInstanceOfSatisfying(GrpcException.class, e -> {
      assertThat(e.code()).isEqualTo(GrpcCode.INTERNAL);
      assertThat(e.getMessage()).contains("3 bytes after its prefix, not 100");
    });
  }

  @Test
  void aCallPastItsDeadlineIsDeadlineExceededAndItsStreamIsReset() throws Exception {
    CompletableFuture<Void> reset = new CompletableFuture<>();
    serve((req, body) -> req.response().exceptionHandler(t -> reset.complete(null)).closeHandler(v -> reset.complete(null)));
    assertThatThrownBy(() -> version("v1", Duration.ofMillis(300))).isInstanceOfSatisfying(GrpcException.class, e -> {
      assertThat(e.code()).isEqualTo(GrpcCode.DEADLINE_EXCEEDED);
      assertThat(e.getMessage()).startsWith("Version: DEADLINE_EXCEEDED");
    });
    reset.get(10, TimeUnit.SECONDS);
    assertThat(seen.get(0).getHeader("grpc-timeout")).isEqualTo("300m");
  }

  @Test
  void aRuntimeThatRestartedIsReachedOnANewConnection() throws Exception {
    serve(GrpcChannelTest::echo);
    assertThat(version("a", Duration.ofSeconds(10)).getRuntimeVersion()).isEqualTo("a");
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> version("b", Duration.ofSeconds(10))).isInstanceOfSatisfying(GrpcException.class, e ->
        assertThat(e.code()).isEqualTo(GrpcCode.UNAVAILABLE));
    Files.deleteIfExists(dir.resolve("cri.sock"));
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> echo(req, b)));
    server.listen(SocketAddress.domainSocketAddress(dir.resolve("cri.sock").toString())).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertThat(version("c", Duration.ofSeconds(10)).getRuntimeVersion()).isEqualTo("c");
  }

  @Test
  void noRuntimeOnTheSocketIsUnavailable() {
    assumeTrue(Epoll.isAvailable(), "unix sockets need Netty's native transport, which does not load here");
    Path socket = dir.resolve("absent.sock");
    channel = GrpcChannel.unixSocket(socket.toString());
    assertThatThrownBy(() -> version("v1", Duration.ofSeconds(10))).isInstanceOfSatisfying(GrpcException.class, e -> {
      assertThat(e.code()).isEqualTo(GrpcCode.UNAVAILABLE);
      assertThat(e.getMessage()).contains("cannot connect to " + socket);
      assertThat(e.connectFailed()).isTrue();
    });
  }

  @Test
  void wireDetails() {
    assertThat(GrpcChannel.timeoutHeader(Duration.ofMinutes(2))).isEqualTo("120000m");
    assertThat(GrpcChannel.timeoutHeader(Duration.ofDays(3))).isEqualTo("259200S");
    assertThat(GrpcChannel.timeoutHeader(Duration.ZERO)).isEqualTo("1m");
    assertThat(GrpcCode.of("14")).isEqualTo(GrpcCode.UNAVAILABLE);
    assertThat(GrpcCode.of("99")).isEqualTo(GrpcCode.UNKNOWN);
    assertThat(GrpcCode.of("x")).isEqualTo(GrpcCode.UNKNOWN);
    assertThat(GrpcChannel.percentDecode("gr%C3%BC%C3%9Fe %2")).isEqualTo("grüße %2");
    assertThat(GrpcChannel.percentDecode("no escapes")).isEqualTo("no escapes");
  }
}
