package io.kava.node.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or attach session: the client's WebSocket ({@code v5.channel.k8s.io} or {@code v4.channel.k8s.io}: every
 * binary message starts with its channel byte) bridged to the runtime's SPDY streams of the v4 remote-command
 * protocol. The v5 protocol's one addition, a message on channel 255 that closes the client's stdin, becomes a FIN on
 * the stdin stream; the error channel carries the runtime's metav1.Status (with the exit code of a failed command).
 *
 * <p>Everything written to the runtime (input, terminal sizes, stdin's end, PING answers) goes through one writer
 * thread, in the order it came: the thread that reads the runtime's output never writes, so a runtime that stops
 * reading our input while it waits for us to read its output cannot deadlock the session.
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
  /** Bytes of client input queued for the runtime before the client is paused. */
  static final long MAX_PENDING_INPUT = 1024 * 1024;
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
  private final ClientSide client;
  private final boolean v5;
  private final int errorId;
  private final int stdinId;
  private final int stdoutId;
  private final int stderrId;
  /** The resize stream: -1 without a terminal; opened late with one (see the class comment). Writer thread only. */
  private int resizeId = -1;
  /** Released by the client's first terminal size. */
  private final CountDownLatch firstResize = new CountDownLatch(1);
  // One writer thread keeps what goes to the runtime in order without blocking the event loop that delivers it.
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
    if (s.tty()) session.write(() -> session.openResizeStream(firstResizeWait));
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
    if (message.length == 0 || closed.get()) return;
    int channel = message[0] & 0xff;
    switch (channel) {
      case STDIN -> {
        if (stdinId > 0) forward(message, () -> stdinId, false);
      }
      case RESIZE -> {
        forward(message, () -> resizeId, false);
        firstResize.countDown(); // after the size is queued: the stream opens, then the size goes out
      }
      case CLOSE -> {
        if (v5 && message.length > 1 && (message[1] & 0xff) == STDIN && stdinId > 0) forward(new byte[1], () -> stdinId, true);
      }
      default -> log.debug("ignoring a client message on channel {}", channel);
    }
  }

  /** Queues a client message (without its channel byte) for the stream that {@code streamId} names when it is written. */
  private void forward(byte[] message, IntSupplier streamId, boolean fin) {
    int len = message.length - 1;
    if (pendingInput.addAndGet(len) > MAX_PENDING_INPUT && paused.compareAndSet(false, true)) client.pause();
    write(() -> {
      try {
        int id = streamId.getAsInt();
        if (id > 0) runtime.data(id, message, 1, len, fin);
      } finally {
        if (pendingInput.addAndGet(-len) < MAX_PENDING_INPUT / 2 && paused.compareAndSet(true, false)) client.resume();
      }
    });
  }

  private interface RuntimeWrite {
    void run() throws IOException;
  }

  /** Runs {@code w} on the writer thread, after everything queued before it; a failed write ends the session. */
  private void write(RuntimeWrite w) {
    try {
      writer.execute(() -> {
        try {
          if (!closed.get()) w.run();
        } catch (IOException e) {
          if (!closed.get()) log.debug("writing to the runtime's streams failed", e);
          close();
        }
      });
    } catch (RejectedExecutionException e) {
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
            if (c.type() == SpdyClient.TYPE_PING) write(() -> runtime.pong(c.data()));
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
