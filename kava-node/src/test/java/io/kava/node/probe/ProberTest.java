package io.kava.node.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProberTest {
  HttpServer server;
  int port;
  final Map<String, String> seen = new ConcurrentHashMap<>();
  final Container container = new ContainerBuilder().withName("web").addNewPort().withName("http").withContainerPort(0).endPort().build();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      seen.put("host", ex.getRequestHeaders().getFirst("Host"));
      seen.put("ua", ex.getRequestHeaders().getFirst("User-Agent"));
      seen.put("x", String.valueOf(ex.getRequestHeaders().getFirst("X-Probe")));
      String path = ex.getRequestURI().getPath();
      int status = switch (path) {
        case "/ok" -> 200;
        case "/moved" -> 301;
        case "/away" -> 302;
        case "/loop" -> 302;
        case "/notfound" -> 404;
        default -> 500;
      };
      if (path.equals("/moved")) ex.getResponseHeaders().add("Location", "/ok");
      if (path.equals("/away")) ex.getResponseHeaders().add("Location", "http://other.example:81/");
      if (path.equals("/loop")) ex.getResponseHeaders().add("Location", "/loop");
      byte[] body = ("body of " + path).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    port = server.getAddress().getPort();
    container.getPorts().getFirst().setContainerPort(port);
  }

  @AfterEach
  void stop() { server.stop(0); }

  /** Far above the 1 s default: a loaded 2-core machine can take seconds to answer a local HTTP request. */
  private static final int TIMEOUT = 30;

  ProbeOutcome http(String path, IntOrString p, String host) {
    var probe = new ProbeBuilder().withNewHttpGet().withPath(path).withPort(p).withHost(host)
        .addNewHttpHeader().withName("X-Probe").withValue("yes").endHttpHeader().endHttpGet().withTimeoutSeconds(TIMEOUT).build();
    return new Prober((id, cmd, t) -> null).probe(probe, container, "cid", "127.0.0.1");
  }

  @Test
  void httpGetStatusesRedirectsAndHeaders() {
    assertThat(http("/ok", new IntOrString(port), null)).isEqualTo(new ProbeOutcome(ProbeResult.SUCCESS, "body of /ok"));
    assertThat(seen).containsEntry("host", "127.0.0.1:" + port).containsEntry("ua", "kube-probe/1.33").containsEntry("x", "yes");
    assertThat(http("/ok", new IntOrString("http"), "")).extracting(ProbeOutcome::result).isEqualTo(ProbeResult.SUCCESS);
    assertThat(http("/moved", new IntOrString(port), null).result()).isEqualTo(ProbeResult.SUCCESS);
    assertThat(http("/away", new IntOrString(port), null)).isEqualTo(new ProbeOutcome(ProbeResult.WARNING, "Probe terminated redirects, Response body: body of /away"));
    assertThat(http("/loop", new IntOrString(port), null).output()).endsWith("stopped after 10 redirects");
    assertThat(http("/notfound", new IntOrString(port), null)).isEqualTo(new ProbeOutcome(ProbeResult.FAILURE, "HTTP probe failed with statuscode: 404"));
    assertThat(http("/ok", new IntOrString("nope"), null)).isEqualTo(new ProbeOutcome(ProbeResult.UNKNOWN, "couldn't find port nope in container web"));
  }

  @Test
  void httpHostHeaderOverride() {
    var probe = new ProbeBuilder().withNewHttpGet().withPath("/ok").withPort(new IntOrString(port))
        .addNewHttpHeader().withName("Host").withValue("example.test").endHttpHeader().endHttpGet().withTimeoutSeconds(TIMEOUT).build();
    assertThat(new Prober((id, cmd, t) -> null).probe(probe, container, "cid", "127.0.0.1").result()).isEqualTo(ProbeResult.SUCCESS);
    assertThat(seen).containsEntry("host", "example.test");
  }

  @Test
  void tcpSocket() throws Exception {
    var ok = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket().withTimeoutSeconds(TIMEOUT).build();
    assertThat(new Prober(null).probe(ok, container, "cid", "127.0.0.1").result()).isEqualTo(ProbeResult.SUCCESS);
    int closed;
    try (ServerSocket s = new ServerSocket(0)) { closed = s.getLocalPort(); }
    var refused = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(closed)).endTcpSocket().build();
    assertThat(new Prober(null).probe(refused, container, "cid", "127.0.0.1"))
        .isEqualTo(new ProbeOutcome(ProbeResult.FAILURE, "dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
    assertThat(http("/ok", new IntOrString(closed), null).output()).contains("connection refused");
  }

  @Test
  void execExitCodesAndTimeout() {
    var probe = new ProbeBuilder().withNewExec().withCommand("cat", "/tmp/healthy").endExec().withTimeoutSeconds(3).build();
    assertThat(new Prober((id, cmd, t) -> {
      assertThat(id).isEqualTo("cid");
      assertThat(cmd).containsExactly("cat", "/tmp/healthy");
      assertThat(t).hasSeconds(3);
      return new ExecRunner.Result(0, "ok");
    }).probe(probe, container, "cid", "127.0.0.1")).isEqualTo(new ProbeOutcome(ProbeResult.SUCCESS, "ok"));
    assertThat(new Prober((id, cmd, t) -> new ExecRunner.Result(1, "cat: can't open '/tmp/healthy': No such file or directory"))
        .probe(probe, container, "cid", "").output()).isEqualTo("cat: can't open '/tmp/healthy': No such file or directory");
    assertThat(new Prober((id, cmd, t) -> { throw new TimeoutException(); }).probe(probe, container, "cid", ""))
        .isEqualTo(new ProbeOutcome(ProbeResult.FAILURE, "command 'cat /tmp/healthy' timed out"));
    assertThat(new Prober((id, cmd, t) -> { throw new IllegalStateException("container not running"); }).probe(probe, container, "cid", ""))
        .isEqualTo(new ProbeOutcome(ProbeResult.UNKNOWN, "container not running"));
  }

  @Test
  void namedAndNumericPorts() {
    assertThat(Prober.port(new IntOrString("http"), container)).isEqualTo(port);
    assertThat(Prober.port(new IntOrString(8080), container)).isEqualTo(8080);
    List.of(0, 70000).forEach(p -> assertThat(http("/ok", new IntOrString(p), null))
        .isEqualTo(new ProbeOutcome(ProbeResult.UNKNOWN, "invalid port number: " + p)));
  }
}
