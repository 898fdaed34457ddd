package io.kava.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.node.server.RemoteCommandSessionTest.FakeClient;
import io.kava.node.server.RemoteCommandSessionTest.Frame;
import io.kava.node.server.RemoteCommandSessionTest.RuntimeConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One forwarded connection: the API server's WebSocket channels (0 data, 1 error, each opened by the port) bridged to
 * the runtime's pair of port-forward streams, against the scripted SPDY runtime of {@link RemoteCommandSessionTest}.
 */
class PortForwardSessionTest {
  static final int PORT = 8080;

  @Test
  void bridgesTheDataStreamBothWaysAndEndsWhenTheRuntimeClosesBoth() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<RuntimeConnection> accepted = RuntimeConnection.accept(server, PortForwardSession.PROTOCOL);
      URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/portforward/token");
      SpdyClient client = SpdyClient.connect(url, PortForwardSession.PROTOCOL, Duration.ofSeconds(10));
      FakeClient ws = new FakeClient();
      PortForwardSession session = PortForwardSession.open(client, PORT, ws);
      Thread pump = Thread.ofVirtual().start(session::pump);
      try (RuntimeConnection runtime = accepted.get(10, TimeUnit.SECONDS)) {
        // client-go's order: the error stream (half-closed at once, nothing is written to it), then the data stream
        Frame error = runtime.read();
        assertThat(error.streamType()).isEqualTo("error");
        Frame errorFin = runtime.read();
        assertThat(errorFin.control()).isFalse();
        assertThat(errorFin.streamId()).isEqualTo(error.streamId());
        assertThat(errorFin.fin()).isTrue();
        Frame data = runtime.read();
        assertThat(data.streamType()).isEqualTo("data");

        session.fromClient(withChannel(0, "GET / HTTP/1.0\r\n\r\n"));
        session.fromClient(new byte[] {(byte) 255, 0}); // the client's end of its data
        Frame request = runtime.read();
        assertThat(new String(request.data(), StandardCharsets.UTF_8)).isEqualTo("GET / HTTP/1.0\r\n\r\n");
        Frame end = runtime.read();
        assertThat(end.streamId()).isEqualTo(data.streamId());
        assertThat(end.fin()).isTrue();

        runtime.data(data.streamId(), "HTTP/1.0 200 OK\r\n\r\nhi", true);
        runtime.data(error.streamId(), "", true);
        pump.join(Duration.ofSeconds(20));
        assertThat(pump.isAlive()).isFalse();
        assertThat(ws.closed).isTrue();
        List<byte[]> got;
        synchronized (ws) {
          got = new ArrayList<>(ws.messages);
        }
        // each channel opens with the port, little-endian
        assertThat(got.get(0)).containsExactly(0, PORT & 0xff, PORT >>> 8);
        assertThat(got.get(1)).containsExactly(1, PORT & 0xff, PORT >>> 8);
        assertThat(payload(ws, 0)).isEqualTo("HTTP/1.0 200 OK\r\n\r\nhi");
      }
    }
  }

  @Test
  void theRuntimesRefusalGoesToTheErrorChannel() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<RuntimeConnection> accepted = RuntimeConnection.accept(server, PortForwardSession.PROTOCOL);
      SpdyClient client = SpdyClient.connect(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/pf"), PortForwardSession.PROTOCOL, Duration.ofSeconds(10));
      FakeClient ws = new FakeClient();
      PortForwardSession session = PortForwardSession.open(client, 9, ws);
      Thread pump = Thread.ofVirtual().start(session::pump);
      try (RuntimeConnection runtime = accepted.get(10, TimeUnit.SECONDS)) {
        Frame error = runtime.read();
        runtime.read(); // its FIN
        Frame data = runtime.read();
        runtime.data(error.streamId(), "failed to connect to localhost:9: connection refused", true);
        runtime.data(data.streamId(), "", true);
        pump.join(Duration.ofSeconds(20));
        assertThat(ws.closed).isTrue();
        assertThat(payload(ws, 1)).isEqualTo("failed to connect to localhost:9: connection refused");
        assertThat(payload(ws, 0)).isEmpty();
      }
    }
  }

  /** What came on a channel after its port prefix. */
  static String payload(FakeClient ws, int channel) {
    StringBuilder b = new StringBuilder();
    boolean prefix = true;
    synchronized (ws) {
      for (byte[] m : ws.messages) {
        if ((m[0] & 0xff) != channel) continue;
        if (prefix) {
          prefix = false;
          continue;
        }
        b.append(new String(m, 1, m.length - 1, StandardCharsets.UTF_8));
      }
    }
    return b.toString();
  }

  static byte[] withChannel(int channel, String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    byte[] m = new byte[t.length + 1];
    m[0] = (byte) channel;
    System.arraycopy(t, 0, m, 1, t.length);
    return m;
  }
}
