package io.kava.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * The v5/v4 WebSocket channels bridged to SPDY streams, against a small SPDY/3.1 server written here from the frame
 * layout (the runtime's side of the remote-command protocol).
 */
class RemoteCommandSessionTest {
  /** What the fake runtime saw, and a script of what it answers. */
  static final class FakeRuntime implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final Map<String, Integer> streams = new HashMap<>();
    final Map<Integer, ByteArrayOutputStream> received = new HashMap<>();
    final List<Integer> finished = new ArrayList<>();
    String requestHead;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    FakeRuntime() throws IOException {}

    URI url() { return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/exec/token"); }

    /** Accepts one session: expects {@code streamCount} streams, echoes stdin upper-cased on stdout until stdin ends. */
    void serve(int streamCount, String status) {
      Thread.ofVirtual().start(() -> {
        try (Socket s = server.accept()) {
          DataInputStream in = new DataInputStream(s.getInputStream());
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          StringBuilder head = new StringBuilder();
          while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
          requestHead = head.toString();
          out.write(("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
              + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          Inflater inflater = new Inflater();
          out.write(new byte[] {(byte) 0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 7}); // a PING the client must answer
          boolean pinged = false;
          boolean stdinDone = false;
          // The PONG may come before or after stdin's FIN: read until both arrived.
          while (!(pinged && stdinDone)) {
            int w0 = in.readInt();
            int w1 = in.readInt();
            byte[] data = new byte[w1 & 0xffffff];
            in.readFully(data);
            boolean fin = ((w1 >>> 24) & 1) != 0;
            if ((w0 & 0x80000000) != 0) {
              int type = w0 & 0xffff;
              if (type == 6) pinged = true;
              if (type == 1) {
                int id = ((data[0] & 0x7f) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
                inflater.setInput(data, 10, data.length - 10);
                byte[] raw = new byte[4096];
                int n = inflater.inflate(raw);
                DataInputStream h = new DataInputStream(new java.io.ByteArrayInputStream(raw, 0, n));
                int pairs = h.readInt();
                for (int i = 0; i < pairs; i++) {
                  String name = new String(h.readNBytes(h.readInt()), StandardCharsets.UTF_8);
                  String value = new String(h.readNBytes(h.readInt()), StandardCharsets.UTF_8);
                  if (name.equals("streamtype")) streams.put(value, id);
                }
                received.put(id, new ByteArrayOutputStream());
              }
            } else {
              int id = w0 & 0x7fffffff;
              received.get(id).writeBytes(data);
              if (fin) finished.add(id);
              if (id == streams.getOrDefault("stdin", -1) && fin) stdinDone = true;
            }
          }
          byte[] echo = received.get(streams.get("stdin")).toString(StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
          dataFrame(out, streams.get("stdout"), echo, true);
          dataFrame(out, streams.get("stderr"), new byte[0], true);
          dataFrame(out, streams.get("error"), status.getBytes(StandardCharsets.UTF_8), true);
          out.flush();
          assertThat(pinged).as("the client answered the PING").isTrue();
          assertThat(streams).hasSize(streamCount);
          done.complete(null);
          in.read(); // until the client closes
        } catch (Throwable t) {
          done.completeExceptionally(t);
        }
      });
    }

    static void dataFrame(DataOutputStream out, int id, byte[] data, boolean fin) throws IOException {
      out.writeInt(id);
      out.writeInt((fin ? 1 << 24 : 0) | data.length);
      out.write(data);
    }

    @Override public void close() throws IOException { server.close(); }
  }

  /** The client's WebSocket, as the session sees it. */
  static final class FakeClient implements RemoteCommandSession.ClientSide {
    final List<byte[]> messages = new ArrayList<>();
    volatile boolean closed;

    @Override public synchronized void send(byte[] message) { messages.add(message); }

    @Override public void close() { closed = true; }

    @Override public void pause() {}

    @Override public void resume() {}

    synchronized String channel(int c) {
      StringBuilder b = new StringBuilder();
      for (byte[] m : messages) if ((m[0] & 0xff) == c) b.append(new String(m, 1, m.length - 1, StandardCharsets.UTF_8));
      return b.toString();
    }
  }

  static byte[] msg(int channel, String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    byte[] m = new byte[t.length + 1];
    m[0] = (byte) channel;
    System.arraycopy(t, 0, m, 1, t.length);
    return m;
  }

  @Test
  void v5StdinCloseBecomesAFinAndTheStatusEndsTheSession() throws Exception {
    String status = "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}";
    try (FakeRuntime runtime = new FakeRuntime()) {
      runtime.serve(4, status);
      SpdyClient spdy = SpdyClient.connect(runtime.url(), RemoteCommandSession.V4, Duration.ofSeconds(10));
      FakeClient client = new FakeClient();
      RemoteCommandSession session = RemoteCommandSession.open(spdy, new RemoteCommandSession.Streams(true, true, true, false), client, true);
      Thread pump = Thread.ofVirtual().start(session::pump);
      session.fromClient(msg(0, "hello "));
      session.fromClient(msg(0, "world"));
      session.fromClient(msg(4, "{\"Width\":80,\"Height\":24}")); // no tty: no resize stream, ignored
      session.fromClient(new byte[] {(byte) 255, 0});
      runtime.done.get(10, TimeUnit.SECONDS);
      pump.join(Duration.ofSeconds(10));
      assertThat(runtime.requestHead).startsWith("POST /exec/token HTTP/1.1\r\n").contains("Upgrade: SPDY/3.1\r\n", "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n");
      assertThat(runtime.streams.keySet()).containsExactlyInAnyOrder("error", "stdin", "stdout", "stderr");
      assertThat(runtime.streams.get("error")).isEqualTo(1); // opened first, as client-go does
      assertThat(runtime.received.get(runtime.streams.get("stdin")).toString(StandardCharsets.UTF_8)).isEqualTo("hello world");
      assertThat(client.channel(1)).isEqualTo("HELLO WORLD");
      assertThat(client.channel(3)).isEqualTo(status);
      assertThat(client.messages.getLast()[0]).as("the status comes last").isEqualTo((byte) 3);
      assertThat(client.closed).isTrue();
    }
  }

  @Test
  void v4ClientsCannotCloseStdin() throws Exception {
    try (FakeRuntime runtime = new FakeRuntime()) {
      runtime.serve(3, "{}");
      SpdyClient spdy = SpdyClient.connect(runtime.url(), RemoteCommandSession.V4, Duration.ofSeconds(10));
      FakeClient client = new FakeClient();
      RemoteCommandSession session = RemoteCommandSession.open(spdy, new RemoteCommandSession.Streams(true, true, true, true), client, false);
      Thread.ofVirtual().start(session::pump);
      session.fromClient(msg(0, "x"));
      session.fromClient(new byte[] {(byte) 255, 0}); // not a v4 message: ignored
      session.fromClient(msg(4, "{\"Width\":100,\"Height\":40}"));
      session.close(); // stdin never ended: only closing the session ends it
      assertThat(client.closed).isTrue();
      assertThat(runtime.done).failsWithin(Duration.ofSeconds(10)); // the runtime saw the connection go, no stdin FIN
      // tty: stderr is not opened, resize is
      assertThat(runtime.streams.keySet()).containsExactlyInAnyOrder("error", "stdin", "stdout", "resize");
      assertThat(runtime.finished).isEmpty();
    }
  }

  @Test
  void aRefusedUpgradeKeepsTheRuntimesAnswer() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        try (Socket s = server.accept()) {
          s.getInputStream().read(new byte[4096]);
          s.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 15\r\n\r\nno such session".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
          // test ends
        }
      });
      try {
        SpdyClient.connect(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/exec/x"), RemoteCommandSession.V4, Duration.ofSeconds(10));
        throw new AssertionError("expected a refusal");
      } catch (SpdyClient.UpgradeException e) {
        assertThat(e.status).isEqualTo(404);
        assertThat(e.body).isEqualTo("no such session");
      }
    }
  }
}
