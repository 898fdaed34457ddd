package io.kava.node.server;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node's streaming sessions ({@link RemoteCommandSession}, {@link PortForwardSession}) share: a client
 * WebSocket whose binary messages start with a channel byte, bridged to the runtime's SPDY streams.
 *
 * <p>Everything written to the runtime (client input, stream ends, PING answers) goes through one writer thread, in
 * the order it came: the thread that reads the runtime's output never writes, so a runtime that stops reading our
 * input while it waits for us to read its output cannot deadlock the session. Client input queued beyond
 * {@link #MAX_PENDING_INPUT} pauses the client until half of it has been written.
 */
final class SpdyBridge {
  private static final Logger log = LoggerFactory.getLogger(SpdyBridge.class);
  /** Bytes of client input queued for the runtime before the client is paused. */
  static final long MAX_PENDING_INPUT = 1024 * 1024;

  /** A write to the runtime, run on the writer thread. */
  interface RuntimeWrite {
    void run() throws IOException;
  }

  private final SpdyClient runtime;
  private final RemoteCommandSession.ClientSide client;
  /** What the session is, for log lines ("exec", "port-forward"). */
  private final String what;
  private final ExecutorService writer;
  private final AtomicLong pendingInput = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  SpdyBridge(SpdyClient runtime, RemoteCommandSession.ClientSide client, String what) {
    this.runtime = runtime;
    this.client = client;
    this.what = what;
    this.writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name(what + "-input").factory());
  }

  boolean closed() { return closed.get(); }

  /**
   * Queues a client message (without its channel byte) for the stream that {@code streamId} names when it is written
   * (a stream opened later by the writer thread is read then); a stream id of 0 or less drops it.
   */
  void forward(byte[] message, IntSupplier streamId, boolean fin) {
    int len = message.length - 1;
    if (pendingInput.addAndGet(len) > MAX_PENDING_INPUT && paused.compareAndSet(false, true)) {
      client.pause();
      resumeIfDrained(); // the writer may have emptied the queue before the pause was marked
    }
    write(() -> {
      try {
        int id = streamId.getAsInt();
        if (id > 0) runtime.data(id, message, 1, len, fin);
      } finally {
        pendingInput.addAndGet(-len);
        resumeIfDrained();
      }
    });
  }

  private void resumeIfDrained() {
    if (pendingInput.get() < MAX_PENDING_INPUT / 2 && paused.compareAndSet(true, false)) client.resume();
  }

  /** Runs {@code w} on the writer thread, after everything queued before it; a failed write ends the session. */
  void write(RuntimeWrite w) {
    try {
      writer.execute(() -> {
        try {
          if (!closed.get()) w.run();
        } catch (IOException e) {
          if (!closed.get()) log.debug("writing to the runtime's {} streams failed", what, e);
          close();
        }
      });
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  /**
   * Reads the runtime's frames, handing the data of each stream in {@code sinks} to its sink, until every one of them
   * has ended (FIN or reset), the runtime goes away or it closes the connection; answers PINGs meanwhile. Data on other
   * streams is dropped. Blocking: run it on a virtual thread. The caller closes the session afterwards.
   */
  void pump(Map<Integer, Consumer<byte[]>> sinks) {
    Set<Integer> open = new HashSet<>(sinks.keySet());
    try {
      while (!open.isEmpty()) {
        SpdyClient.Frame f = runtime.read();
        if (f == null) break;
        switch (f) {
          case SpdyClient.DataFrame d -> {
            Consumer<byte[]> sink = sinks.get(d.streamId());
            if (sink != null) {
              sink.accept(d.data());
              if (d.fin()) open.remove(d.streamId());
            }
          }
          case SpdyClient.ControlFrame c -> {
            if (c.type() == SpdyClient.TYPE_PING) write(() -> runtime.pong(c.data()));
            else if (c.type() == SpdyClient.TYPE_GOAWAY) open.clear();
            else if (c.type() == SpdyClient.TYPE_RST_STREAM) open.remove(c.streamId());
          }
        }
      }
    } catch (IOException e) {
      if (!closed.get()) log.debug("reading the runtime's {} streams failed", what, e);
    }
  }

  /** Sends {@code data} to the client on {@code channel}; nothing when it is empty or the session is closed. */
  void send(int channel, byte[] data) {
    if (data.length == 0 || closed.get()) return;
    byte[] m = new byte[data.length + 1];
    m[0] = (byte) channel;
    System.arraycopy(data, 0, m, 1, data.length);
    client.send(m);
  }

  /**
   * Ends the session from either side (idempotent). Synchronized so that a second caller (the runtime's EOF seen by
   * the writer or the reader while the client also closes) returns only once the client has been closed too.
   */
  synchronized void close() {
    if (!closed.compareAndSet(false, true)) return;
    writer.shutdownNow();
    runtime.close();
    client.close();
  }
}
