package io.kava.node.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.kava.node.grpc.GrpcChannel;
import io.kava.node.grpc.GrpcCode;
import io.kava.node.grpc.GrpcException;
import io.kava.node.grpc.health.v1.HealthCheckRequest;
import io.kava.node.grpc.health.v1.HealthCheckResponse;
import io.kava.node.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kubelet's gRPC probe against a plain-text HTTP/2 server on loopback that speaks gRPC's health protocol. */
class GrpcProbeTest {
  private static Vertx vertx;
  private static HttpServer server;
  private static int port;
  private static final List<HttpServerRequest> seen = new CopyOnWriteArrayList<>();
  private static final List<String> services = new CopyOnWriteArrayList<>();
  private final Container container = new ContainerBuilder().withName("app").build();

  /** Far above the 1 s default: a loaded 2-core machine can take seconds to answer a local request. */
  private static final int TIMEOUT = 30;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> {
      seen.add(req);
      req.body().onSuccess(body -> answer(req, body));
    });
    port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  @AfterAll
  static void stop() throws Exception { vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); }

  /** "" and "app" serve, "sick" does not, "unknown" is NOT_FOUND as grpc's health servers answer, "slow" never answers. */
  private static void answer(HttpServerRequest req, Buffer body) {
    if (!req.path().equals("/grpc.health.v1.Health/Check")) {
      req.response().putHeader("content-type", "application/grpc").putHeader("grpc-status", "12")
          .putHeader("grpc-message", "unknown service " + req.path().substring(1, req.path().lastIndexOf('/'))).end();
      return;
    }
    String service;
    try {
      service = HealthCheckRequest.parseFrom(body.getBytes(5, body.length())).getService();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      req.response().setStatusCode(400).end();
      return;
    }
    services.add(service);
    if (service.equals("slow")) return;
    if (service.equals("unknown")) {
      req.response().putHeader("content-type", "application/grpc").putHeader("grpc-status", "5").putHeader("grpc-message", "unknown service").end();
      return;
    }
    ServingStatus status = service.equals("sick") ? ServingStatus.NOT_SERVING : ServingStatus.SERVING;
    byte[] m = HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray();
    req.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "0")
        .end(Buffer.buffer().appendByte((byte) 0).appendInt(m.length).appendBytes(m));
  }

  private ProbeOutcome probe(Integer probePort, String service, int timeoutSeconds) {
    Probe p = new ProbeBuilder().withNewGrpc().withPort(probePort).withService(service).endGrpc().withTimeoutSeconds(timeoutSeconds).build();
    return new Prober(null).probe(p, container, "cid", "127.0.0.1");
  }

  @Test
  void aServingServerIsHealthyAndGetsOneHealthCheckOverHttp2() {
    seen.clear();
    assertThat(probe(port, null, TIMEOUT)).isEqualTo(new ProbeOutcome(ProbeResult.SUCCESS, "service healthy"));
    HttpServerRequest req = seen.get(0);
    assertThat(req.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(req.method().name()).isEqualTo("POST");
    assertThat(req.getHeader("content-type")).isEqualTo("application/grpc");
    assertThat(req.getHeader("user-agent")).isEqualTo("kube-probe/1.33");
    assertThat(req.authority()).hasToString("127.0.0.1:" + port);
    assertThat(probe(port, "app", TIMEOUT).result()).isEqualTo(ProbeResult.SUCCESS);
    assertThat(services).contains("", "app");
  }

  @Test
  void anUnhealthyOrUnknownServiceIsAFailureWithTheKubeletsMessage() {
    assertThat(probe(port, "sick", TIMEOUT)).isEqualTo(new ProbeOutcome(ProbeResult.FAILURE, "service unhealthy (responded with \"NOT_SERVING\")"));
    assertThat(probe(port, "unknown", TIMEOUT))
        .isEqualTo(new ProbeOutcome(ProbeResult.FAILURE, "error: health rpc probe failed: Check: NOT_FOUND: unknown service"));
  }

  @Test
  void aServerWithoutTheHealthServiceSaysSo() {
    // The health service answers on its own path only; a server without it answers UNIMPLEMENTED, as here for a typo'd
    // path: Prober always asks grpc.health.v1.Health, so this checks the message through the channel directly.
    try (GrpcChannel channel = GrpcChannel.tcp("127.0.0.1", port, null)) {
      GrpcException e = catchThrowableOfType(GrpcException.class, () -> channel.call("grpc.health.v2.Health", "Check", HealthCheckRequest.getDefaultInstance(), HealthCheckResponse.parser(), Duration.ofSeconds(TIMEOUT)));
      assertThat(e.code()).isEqualTo(GrpcCode.UNIMPLEMENTED);
      assertThat(e.description()).isEqualTo("unknown service grpc.health.v2.Health");
    }
  }

  @Test
  void nothingListeningIsTriedAgainUntilTheTimeoutAsTheKubeletsBlockingDialDoes() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    long start = System.nanoTime();
    ProbeOutcome o = probe(closed, null, 2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    assertThat(o).isEqualTo(new ProbeOutcome(ProbeResult.FAILURE,
        "timeout: failed to connect service \"127.0.0.1:" + closed + "\" within 2s: context deadline exceeded"));
  }

  @Test
  void aHealthCheckPastTheProbesTimeoutIsATimeout() {
    assertThat(probe(port, "slow", 1)).isEqualTo(new ProbeOutcome(ProbeResult.FAILURE, "timeout: health rpc did not complete within 1s"));
  }

  @Test
  void aPortOutOfRangeIsUnknown() {
    assertThat(probe(70000, null, TIMEOUT)).isEqualTo(new ProbeOutcome(ProbeResult.UNKNOWN, "invalid port number: 70000"));
  }
}
