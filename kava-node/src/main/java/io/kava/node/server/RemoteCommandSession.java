package io.kava.node.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or attach session: the client's WebSocket ({@code v5.channel.k8s.io} or {@code v4.channel.k8s.io}: every
 * binary message starts with its channel byte) bridged to the runtime's SPDY streams of the v4 remote-command
 * protocol. The v5 protocol's one addition, a message on channel 255 that closes the client's stdin, becomes a FIN on
 * the stdin stream; the error channel carries the runtime's metav1.Status (with the exit code of a failed command).
 *
 * <p>Everything written to the runtime (input, terminal sizes, stdin's end, PING answers) goes through
 * {@link SpdyBridge}'s one writer thread, in the order it came.
 *
 * <p>With a terminal, the runtime's resize stream is opened only once the client's first terminal size has arrived
 * (or {@link #FIRST_RESIZE_WAIT} has passed). The runtime starts the command when the last of the streams it expects
 * is open, so the command starts with the client's terminal size rather than 0x0, as it does under the kubelet.
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
  /**
   * How long a terminal session waits for the client's first terminal size before the command starts anyway
   * (kubectl sends it as soon as the session is open; other clients may never send one).
   */
  static final Duration FIRST_RESIZE_WAIT = Duration.ofSeconds(2);

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
  private final boolean v5;
  private final int errorId;
  private final int stdinId;
  private final int stdoutId;
  private final int stderrId;
  /** The resize stream: -1 without a terminal; opened late with one (see the class comment). Writer thread only. */
  private int resizeId = -1;
  /** Released by the client's first terminal size. */
  private final CountDownLatch firstResize = new CountDownLatch(1);
  private final SpdyBridge bridge;

  private RemoteCommandSession(SpdyClient runtime, ClientSide client, boolean v5, Map<String, Integer> ids) {
    this.runtime = runtime;
    this.bridge = new SpdyBridge(runtime, client, "exec");
    this.v5 = v5;
    this.errorId = ids.get("error");
    this.stdinId = ids.getOrDefault("stdin", -1);
    this.stdoutId = ids.getOrDefault("stdout", -1);
    this.stderrId = ids.getOrDefault("stderr", -1);
  }

  /**
   * Opens the runtime's streams in the order client-go's v4 protocol does (error, stdin, stdout, stderr, resize); with
   * a terminal the resize stream follows the client's first terminal size, waiting at most {@code firstResizeWait}.
   */
  static RemoteCommandSession open(SpdyClient runtime, Streams s, ClientSide client, boolean v5, Duration firstResizeWait) throws IOException {
    Map<String, Integer> ids = new LinkedHashMap<>();
    ids.put("error", runtime.openStream(Map.of("streamtype", "error")));
    if (s.stdin()) ids.put("stdin", runtime.openStream(Map.of("streamtype", "stdin")));
    if (s.stdout()) ids.put("stdout", runtime.openStream(Map.of("streamtype", "stdout")));
    if (s.stderr() && !s.tty()) ids.put("stderr", runtime.openStream(Map.of("streamtype", "stderr")));
    RemoteCommandSession session = new RemoteCommandSession(runtime, client, v5, ids);
    if (s.tty()) session.bridge.write(() -> session.openResizeStream(firstResizeWait));
    return session;
  }

  static RemoteCommandSession open(SpdyClient runtime, Streams s, ClientSide client, boolean v5) throws IOException {
    return open(runtime, s, client, v5, FIRST_RESIZE_WAIT);
  }

  /** The writer's first task with a terminal: everything the client sends meanwhile queues behind it. */
  private void openResizeStream(Duration wait) throws IOException {
    try {
      if (!firstResize.await(wait.toMillis(), TimeUnit.MILLISECONDS)) log.debug("no terminal size from the client within {}", wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // closed
    }
    resizeId = runtime.openStream(Map.of("streamtype", "resize"));
  }

  /** A binary message from the client. Called on the client's event loop: never blocks. */
  void fromClient(byte[] message) {
    if (message.length == 0 || bridge.closed()) return;
    int channel = message[0] & 0xff;
    switch (channel) {
      case STDIN -> {
        if (stdinId > 0) bridge.forward(message, () -> stdinId, false);
      }
      case RESIZE -> {
        bridge.forward(message, () -> resizeId, false);
        firstResize.countDown(); // after the size is queued: the stream opens, then the size goes out
      }
      case CLOSE -> {
        if (v5 && message.length > 1 && (message[1] & 0xff) == STDIN && stdinId > 0) bridge.forward(new byte[1], () -> stdinId, true);
      }
      default -> log.debug("ignoring a client message on channel {}", channel);
    }
  }

  /**
   * Forwards the runtime's output until the command has ended (its status arrived and its output streams are
   * closed, or the runtime closed the connection), then sends the status on the error channel and closes the client.
   * Blocking: run it on a virtual thread.
   */
  void pump() {
    ByteArrayOutputStream status = new ByteArrayOutputStream();
    Map<Integer, Consumer<byte[]>> sinks = new HashMap<>();
    sinks.put(errorId, status::writeBytes);
    if (stdoutId > 0) sinks.put(stdoutId, out -> bridge.send(STDOUT, out));
    if (stderrId > 0) sinks.put(stderrId, err -> bridge.send(STDERR, err));
    bridge.pump(sinks);
    if (status.size() > 0 && !bridge.closed()) bridge.send(ERROR, status.toByteArray());
    close();
  }

  /** Ends the session from either side (idempotent). */
  void close() { bridge.close(); }
}
