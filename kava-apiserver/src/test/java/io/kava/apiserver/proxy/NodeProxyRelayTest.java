package io.kava.apiserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.auth.Pki;
import io.kava.apiserver.auth.UserInfo;
import io.kava.apiserver.http.Exchange;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server's exec/attach relay between a client's WebSocket and a node's, with a fake node (a TLS WebSocket
 * server) and the JDK's WebSocket client in kubectl's place.
 */
@org.junit.jupiter.api.Timeout(120)
class NodeProxyRelayTest {
  static final String V5 = "v5.channel.k8s.io";

  @TempDir Path dir;
  Vertx apiVertx;
  Vertx nodeVertx;
  NodeProxy proxy;
  HttpServer api;
  /** What the fake node does with each session. */
  volatile java.util.function.Consumer<io.vertx.core.http.ServerWebSocket> node;
  int nodePort;

  @BeforeEach
  void start() throws Exception {
    Pki pki = Pki.ensure(Pki.Options.defaults(dir).withBindAddress("127.0.0.1").withPort(16443));
    apiVertx = Vertx.vertx();
    nodeVertx = Vertx.vertx();
    HttpServer nodeServer = nodeVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(pki.serverCertificate().certificatePem()))
                .setKeyValue(Buffer.buffer(pki.serverCertificate().privateKeyPem())))
            .setWebSocketSubProtocols(List.of(V5)))
        .webSocketHandler(ws -> node.accept(ws))
        .listen().await();
    nodePort = nodeServer.actualPort();
    proxy = new NodeProxy(apiVertx, new PemKeyCertOptions().setCertValue(Buffer.buffer(pki.adminCertificate().certificatePem()))
        .setKeyValue(Buffer.buffer(pki.adminCertificate().privateKeyPem())));
    // The API server's part: the upgrade request held, decided on a worker, relayed (as ApiServer and PodStreams do).
    api = apiVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setWebSocketSubProtocols(List.of(V5)))
        .requestHandler(req -> {
          req.pause();
          Context loop = Vertx.currentContext();
          Thread.ofVirtual().start(() -> {
            Exchange ex = new Exchange(req, new byte[0], UserInfo.of("tester", List.of()), loop);
            proxy.relay(ex::acceptWebSocket, new NodeTarget("n", "127.0.0.1", nodePort), "/exec/ns/pod/c", V5);
          });
        })
        .listen().await();
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    apiVertx.close().await(20, TimeUnit.SECONDS);
    nodeVertx.close().await(20, TimeUnit.SECONDS);
  }

  /** kubectl's side: collects what arrives per channel, reading only when told to. */
  static final class Client implements WebSocket.Listener {
    final ByteArrayOutputStream[] channels = new ByteArrayOutputStream[5];
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final CompletableFuture<Void> opened = new CompletableFuture<>();
    private ByteArrayOutputStream partial = new ByteArrayOutputStream();
    final boolean readAtOnce;

    Client(boolean readAtOnce) {
      this.readAtOnce = readAtOnce;
      for (int i = 0; i < channels.length; i++) channels[i] = new ByteArrayOutputStream();
    }

    @Override public void onOpen(WebSocket ws) {
      opened.complete(null);
      if (readAtOnce) ws.request(Long.MAX_VALUE);
    }

    @Override public synchronized CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.writeBytes(b);
      if (last) {
        byte[] m = partial.toByteArray();
        partial = new ByteArrayOutputStream();
        if (m.length > 0 && m[0] < channels.length) channels[m[0]].write(m, 1, m.length - 1);
      }
      return null;
    }

    @Override public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override public void onError(WebSocket ws, Throwable error) { closed.completeExceptionally(error); }

    synchronized String text(int channel) { return channels[channel].toString(StandardCharsets.UTF_8); }

    synchronized int size(int channel) { return channels[channel].size(); }
  }

  WebSocket connect(Client c) throws Exception {
    return HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(V5)
        .buildAsync(URI.create("ws://127.0.0.1:" + api.actualPort() + "/api/v1/namespaces/ns/pods/pod/exec"), c).get(30, TimeUnit.SECONDS);
  }

  static Buffer message(int channel, String text) { return Buffer.buffer().appendByte((byte) channel).appendString(text); }

  @Test
  void whatTheClientSendsAtOnceReachesTheNode() throws Exception {
    CompletableFuture<String> nodeGot = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    node = ws -> ws.binaryMessageHandler(b -> {
      int channel = b.getByte(0) & 0xff;
      seen.append(channel).append(':').append(channel == 255 ? "stdin" : new String(b.getBytes(1, b.length()), StandardCharsets.UTF_8)).append('|');
      if (channel == 255) nodeGot.complete(seen.toString());
    });
    Client c = new Client(true);
    WebSocket ws = connect(c);
    // Sent the moment the upgrade is done, as kubectl sends its terminal size and stdin.
    ws.sendBinary(ByteBuffer.wrap(message(4, "{\"Width\":80,\"Height\":24}").getBytes()), true);
    ws.sendBinary(ByteBuffer.wrap(message(0, "hello").getBytes()), true);
    ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 255, 0}), true);
    assertThat(nodeGot.get(20, TimeUnit.SECONDS)).isEqualTo("4:{\"Width\":80,\"Height\":24}|0:hello|255:stdin|");
  }
}
