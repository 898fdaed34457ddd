package io.kava.node.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or attach session: the client's WebSocket ({@code v5.channel.k8s.io} or {@code v4.channel.k8s.io}: every
 * binary message starts with its channel byte) bridged to the runtime's SPDY streams of the v4 remote-command
 * protocol. The v5 protocol's one addition, a message on channel 255 that closes the client's stdin, becomes a FIN on
 * the stdin stream; the error channel carries the runtime's metav1.Status (with the exit code of a failed command).
 */
final class RemoteCommandSession {
  private static final Logger log = LoggerFactory.getLogger(RemoteCommandSession.class);

  static final String V5 = "v5.channel.k8s.io";
  static final String V4 = "v4.channel.k8s.io";
  static final int STDIN = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  static final int ERROR = 3;
  static final int RESIZE = 4;
  /** v5: {@code [255, channel]} closes that channel (only stdin can be closed by the client). */
  static final int CLOSE = 255;
  /** Bytes of client input queued for the runtime before the client is paused. */
  static final long MAX_PENDING_INPUT = 1024 * 1024;

  /** The client's end: where output goes and how its input is throttled. Implementations must be thread-safe. */
  interface ClientSide {
    /** Sends one binary message; may block while the client's queue is full. */
    void send(byte[] message);

    void close();

    void pause();

    void resume();
  }

  /** Which standard streams the command has. */
  record Streams(boolean stdin, boolean stdout, boolean stderr, boolean tty) {}

  private final SpdyClient runtime;
  private final ClientSide client;
  private final boolean v5;
  private final int errorId;
  private final int stdinId;
  private final int stdoutId;
  private final int stderrId;
  private final int resizeId;
  // One writer thread keeps the client's input in order without blocking the event loop that delivers it.
  private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("exec-input").factory());
  private final AtomicLong pendingInput = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private RemoteCommandSession(SpdyClient runtime, ClientSide client, boolean v5, Map<String, Integer> ids) {
    this.runtime = runtime;
    this.client = client;
    this.v5 = v5;
    this.errorId = ids.get("error");
    this.stdinId = ids.getOrDefault("stdin", -1);
    this.stdoutId = ids.getOrDefault("stdout", -1);
    this.stderrId = ids.getOrDefault("stderr", -1);
    this.resizeId = ids.getOrDefault("resize", -1);
  }

  /** Opens the runtime's streams in the order client-go's v4 protocol does (error, stdin, stdout, stderr, resize). */
  static RemoteCommandSession open(SpdyClient runtime, Streams s, ClientSide client, boolean v5) throws IOException {
    Map<String, Integer> ids = new LinkedHashMap<>();
    ids.put("error", runtime.openStream(Map.of("streamtype", "error")));
    if (s.stdin()) ids.put("stdin", runtime.openStream(Map.of("streamtype", "stdin")));
    if (s.stdout()) ids.put("stdout", runtime.openStream(Map.of("streamtype", "stdout")));
    if (s.stderr() && !s.tty()) ids.put("stderr", runtime.openStream(Map.of("streamtype", "stderr")));
    if (s.tty()) ids.put("resize", runtime.openStream(Map.of("streamtype", "resize")));
    return new RemoteCommandSession(runtime, client, v5, ids);
  }

  /** A binary message from the client. Called on the client's event loop: never blocks. */
  void fromClient(byte[] message) {
    if (message.length == 0 || closed.get()) return;
    int channel = message[0] & 0xff;
    switch (channel) {
      case STDIN -> forward(stdinId, message, false);
      case RESIZE -> forward(resizeId, message, false);
      case CLOSE -> {
        if (v5 && message.length > 1 && (message[1] & 0xff) == STDIN && stdinId > 0) forward(stdinId, new byte[1], true);
      }
      default -> log.debug("ignoring a client message on channel {}", channel);
    }
  }

  private void forward(int streamId, byte[] message, boolean fin) {
    if (streamId < 0) return;
    int len = message.length - 1;
    if (pendingInput.addAndGet(len) > MAX_PENDING_INPUT && paused.compareAndSet(false, true)) client.pause();
    try {
      writer.execute(() -> {
        try {
          runtime.data(streamId, message, 1, len, fin);
        } catch (IOException e) {
          log.debug("writing to the runtime's stream failed", e);
          close();
        } finally {
          if (pendingInput.addAndGet(-len) < MAX_PENDING_INPUT / 2 && paused.compareAndSet(true, false)) client.resume();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  /**
   * Forwards the runtime's output until the command has ended (its status arrived and its output streams are
   * closed, or the runtime closed the connection), then sends the status on the error channel and closes the client.
   * Blocking: run it on a virtual thread.
   */
  void pump() {
    ByteArrayOutputStream status = new ByteArrayOutputStream();
    boolean errorDone = false;
    boolean stdoutDone = stdoutId < 0;
    boolean stderrDone = stderrId < 0;
    try {
      while (!(errorDone && stdoutDone && stderrDone)) {
        SpdyClient.Frame f = runtime.read();
        if (f == null) break;
        switch (f) {
          case SpdyClient.DataFrame d -> {
            if (d.streamId() == stdoutId) {
              send(STDOUT, d.data());
              stdoutDone |= d.fin();
            } else if (d.streamId() == stderrId) {
              send(STDERR, d.data());
              stderrDone |= d.fin();
            } else if (d.streamId() == errorId) {
              status.writeBytes(d.data());
              errorDone |= d.fin();
            }
          }
          case SpdyClient.ControlFrame c -> {
            if (c.type() == SpdyClient.TYPE_PING) runtime.pong(c.data());
            else if (c.type() == SpdyClient.TYPE_GOAWAY) errorDone = stdoutDone = stderrDone = true;
            else if (c.type() == SpdyClient.TYPE_RST_STREAM) {
              int id = c.streamId();
              if (id == errorId) errorDone = true;
              if (id == stdoutId) stdoutDone = true;
              if (id == stderrId) stderrDone = true;
            }
          }
        }
      }
    } catch (IOException e) {
      if (!closed.get()) log.debug("reading the runtime's streams failed", e);
    }
    if (status.size() > 0 && !closed.get()) send(ERROR, status.toByteArray());
    close();
  }

  private void send(int channel, byte[] data) {
    if (data.length == 0 || closed.get()) return;
    byte[] m = new byte[data.length + 1];
    m[0] = (byte) channel;
    System.arraycopy(data, 0, m, 1, data.length);
    client.send(m);
  }

  /** Ends the session from either side (idempotent). */
  void close() {
    if (!closed.compareAndSet(false, true)) return;
    writer.shutdownNow();
    runtime.close();
    client.close();
  }
}
