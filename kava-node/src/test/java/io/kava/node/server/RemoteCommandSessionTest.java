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
    final Map<String, Integer> streams = new java.util.concurrent.ConcurrentHashMap<>();
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

  /** A frame as the fake runtime reads it; {@code streamType} is set for a SYN_STREAM. */
  record Frame(boolean control, int type, int streamId, boolean fin, byte[] data, String streamType) {}

  /** The runtime's end of an upgraded SPDY connection, for scripted tests. */
  static final class RuntimeConnection implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    final Inflater inflater = new Inflater();

    RuntimeConnection(ServerSocket server) throws IOException { this(server, RemoteCommandSession.V4); }

    /** Accepts the next connection on {@code server} and answers its upgrade with {@code protocol}, on a virtual thread. */
    static CompletableFuture<RuntimeConnection> accept(ServerSocket server, String protocol) {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return new RuntimeConnection(server, protocol);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, r -> Thread.ofVirtual().start(r));
    }

    RuntimeConnection(ServerSocket server, String protocol) throws IOException {
      socket = server.accept();
      in = new DataInputStream(socket.getInputStream());
      out = new DataOutputStream(socket.getOutputStream());
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
      out.write(("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
          + "X-Stream-Protocol-Version: " + protocol + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    Frame read() throws IOException {
      int w0 = in.readInt();
      int w1 = in.readInt();
      byte[] data = new byte[w1 & 0xffffff];
      in.readFully(data);
      boolean fin = ((w1 >>> 24) & 1) != 0;
      if ((w0 & 0x80000000) == 0) return new Frame(false, 0, w0 & 0x7fffffff, fin, data, null);
      int type = w0 & 0xffff;
      if (type != 1) return new Frame(true, type, 0, fin, data, null);
      int id = ((data[0] & 0x7f) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
      inflater.setInput(data, 10, data.length - 10);
      byte[] raw = new byte[4096];
      int n;
      try {
        n = inflater.inflate(raw);
      } catch (java.util.zip.DataFormatException e) {
        throw new IOException(e);
      }
      DataInputStream h = new DataInputStream(new java.io.ByteArrayInputStream(raw, 0, n));
      String streamType = null;
      int pairs = h.readInt();
      for (int i = 0; i < pairs; i++) {
        String name = new String(h.readNBytes(h.readInt()), StandardCharsets.UTF_8);
        String value = new String(h.readNBytes(h.readInt()), StandardCharsets.UTF_8);
        if (name.equals("streamtype")) streamType = value;
      }
      return new Frame(true, 1, id, fin, data, streamType);
    }

    void data(int id, String text, boolean fin) throws IOException {
      FakeRuntime.dataFrame(out, id, text.getBytes(StandardCharsets.UTF_8), fin);
      out.flush();
    }

    void ping(int id) throws IOException {
      out.write(new byte[] {(byte) 0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, (byte) id});
      out.flush();
    }

    @Override public void close() throws IOException { socket.close(); }
  }

  /** Waits (polling, generous limit) until {@code done} holds. */
  static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) throw new AssertionError("gave up waiting: " + what);
      Thread.sleep(10);
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
      await(() -> runtime.streams.size() == 4, "the resize stream opened after the client's terminal size");
      session.close(); // stdin never ended: only closing the session ends it
      assertThat(client.closed).isTrue();
      assertThat(runtime.done).failsWithin(Duration.ofSeconds(10)); // the runtime saw the connection go, no stdin FIN
      // tty: stderr is not opened, resize is
      assertThat(runtime.streams.keySet()).containsExactlyInAnyOrder("error", "stdin", "stdout", "resize");
      assertThat(runtime.finished).isEmpty();
    }
  }

  @Test
  void aTerminalSessionOpensItsResizeStreamWithTheClientsFirstSize() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<RuntimeConnection> accepted = RuntimeConnection.accept(server, RemoteCommandSession.V4);
      SpdyClient spdy = SpdyClient.connect(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/exec/t"), RemoteCommandSession.V4, Duration.ofSeconds(10));
      FakeClient client = new FakeClient();
      RemoteCommandSession session = RemoteCommandSession.open(spdy, new RemoteCommandSession.Streams(true, true, false, true), client, true, Duration.ofMinutes(5));
      Thread.ofVirtual().start(session::pump);
      try (RuntimeConnection rt = accepted.get(10, TimeUnit.SECONDS)) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < 3; i++) {
          Frame syn = rt.read();
          ids.put(syn.streamType(), syn.streamId());
        }
        assertThat(ids.keySet()).containsExactlyInAnyOrder("error", "stdin", "stdout");
        // A runtime starts the command once every stream it expects is open: show the client that this is the moment.
        rt.data(ids.get("stdout"), "ready", false);
        await(() -> client.channel(1).equals("ready"), "stdout reached the client");
        session.fromClient(msg(0, "typed early"));
        assertThat(rt.in.available()).as("nothing more before the client's terminal size: no resize stream yet, input held").isZero();
        session.fromClient(msg(4, "{\"Width\":111,\"Height\":33}"));
        Frame resize = rt.read();
        assertThat(resize.streamType()).isEqualTo("resize");
        Frame typed = rt.read();
        assertThat(typed.streamId()).isEqualTo(ids.get("stdin"));
        assertThat(new String(typed.data(), StandardCharsets.UTF_8)).isEqualTo("typed early");
        Frame size = rt.read();
        assertThat(size.streamId()).isEqualTo(resize.streamId());
        assertThat(new String(size.data(), StandardCharsets.UTF_8)).isEqualTo("{\"Width\":111,\"Height\":33}");
        session.fromClient(msg(4, "{\"Width\":80,\"Height\":24}"));
        assertThat(new String(rt.read().data(), StandardCharsets.UTF_8)).isEqualTo("{\"Width\":80,\"Height\":24}");
      } finally {
        session.close();
      }
    }
  }

  @Test
  void aTerminalSessionWithoutASizeStartsAfterTheWait() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<RuntimeConnection> accepted = RuntimeConnection.accept(server, RemoteCommandSession.V4);
      SpdyClient spdy = SpdyClient.connect(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/exec/t"), RemoteCommandSession.V4, Duration.ofSeconds(10));
      FakeClient client = new FakeClient();
      RemoteCommandSession session = RemoteCommandSession.open(spdy, new RemoteCommandSession.Streams(false, true, false, true), client, true, Duration.ofMillis(50));
      try (RuntimeConnection rt = accepted.get(10, TimeUnit.SECONDS)) {
        List<String> types = new ArrayList<>();
        for (int i = 0; i < 3; i++) types.add(rt.read().streamType());
        assertThat(types).containsExactly("error", "stdout", "resize");
      } finally {
        session.close();
      }
    }
  }

  @Test
  void aRuntimeThatStopsReadingInputStillGetsItsOutputRead() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<RuntimeConnection> accepted = RuntimeConnection.accept(server, RemoteCommandSession.V4);
      SpdyClient spdy = SpdyClient.connect(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/exec/t"), RemoteCommandSession.V4, Duration.ofSeconds(10));
      FakeClient client = new FakeClient();
      RemoteCommandSession session = RemoteCommandSession.open(spdy, new RemoteCommandSession.Streams(true, true, false, false), client, true);
      try (RuntimeConnection rt = accepted.get(10, TimeUnit.SECONDS)) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < 3; i++) {
          Frame syn = rt.read();
          ids.put(syn.streamType(), syn.streamId());
        }
        // The command stops reading its stdin (and so does the runtime) while more input comes than the sockets hold:
        // the writer blocks in the middle of a frame.
        byte[] chunk = new byte[32 * 1024 + 1];
        for (int i = 0; i < 512; i++) session.fromClient(chunk);
        int[] last = {-1};
        int[] stable = {0};
        await(() -> {
          try {
            int now = rt.in.available();
            stable[0] = now > 0 && now == last[0] ? stable[0] + 1 : 0;
            last[0] = now;
            Thread.sleep(100);
          } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
          }
          return stable[0] >= 3;
        }, "the runtime's receive buffer filled");
        Thread.ofVirtual().start(session::pump);
        // A PING (whose answer cannot be written now), then output: the output must still reach the client.
        rt.ping(9);
        rt.data(ids.get("stdout"), "still here", false);
        await(() -> client.channel(1).equals("still here"), "output read while the input is stuck");
      } finally {
        session.close();
      }
      assertThat(client.closed).isTrue();
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
