package io.kava.node.server;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded connection to one port of a pod: the API server's WebSocket (the kubelet's WebSocket port-forward
 * protocol for a single port: channel 0 data, channel 1 error, each opened by the port in two little-endian bytes)
 * bridged to a pair of the runtime's SPDY {@code portforward.k8s.io} streams (error and data, as client-go opens them).
 * A client message {@code [255, 0]} (v5's close) half-closes the data stream with a FIN; what the runtime writes on
 * the error stream (why it could not connect) goes to channel 1; the session ends when the runtime has closed both.
 *
 * <p>As in {@link RemoteCommandSession}, one writer thread writes to the runtime and the reading thread never writes.
 */
final class PortForwardSession {
  private static final Logger log = LoggerFactory.getLogger(PortForwardSession.class);
  static final String PROTOCOL = "portforward.k8s.io";
  static final int DATA = 0;
  static final int ERROR = 1;
  static final int CLOSE = 255;
  /** Bytes of client input queued for the runtime before the client is paused. */
  static final long MAX_PENDING_INPUT = 1024 * 1024;

  private final SpdyClient runtime;
  private final RemoteCommandSession.ClientSide client;
  private final int port;
  private final int errorId;
  private final int dataId;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("port-forward-input").factory());
  private final AtomicLong pendingInput = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private PortForwardSession(SpdyClient runtime, RemoteCommandSession.ClientSide client, int port, int errorId, int dataId) {
    this.runtime = runtime;
    this.client = client;
    this.port = port;
    this.errorId = errorId;
    this.dataId = dataId;
  }

  /**
   * Opens the runtime's stream pair for {@code port} as client-go does: the error stream first, half-closed at once
   * (nothing is written to it), then the data stream. The runtime connects to the port once both are open.
   */
  static PortForwardSession open(SpdyClient runtime, int port, RemoteCommandSession.ClientSide client) throws IOException {
    String p = Integer.toString(port);
    int errorId = runtime.openStream(Map.of("streamtype", "error", "port", p, "requestid", "0"));
    runtime.data(errorId, new byte[0], 0, 0, true);
    int dataId = runtime.openStream(Map.of("streamtype", "data", "port", p, "requestid", "0"));
    return new PortForwardSession(runtime, client, port, errorId, dataId);
  }

  /** The port that opens each channel of the kubelet's WebSocket port-forward protocol. */
  static byte[] portPrefix(int channel, int port) { return new byte[] {(byte) channel, (byte) port, (byte) (port >>> 8)}; }

  /** A binary message from the client. Called on the client's event loop: never blocks. */
  void fromClient(byte[] message) {
    if (message.length == 0 || closed.get()) return;
    int channel = message[0] & 0xff;
    if (channel == DATA && message.length > 1) {
      int len = message.length - 1;
      if (pendingInput.addAndGet(len) > MAX_PENDING_INPUT && paused.compareAndSet(false, true)) client.pause();
      write(() -> {
        try {
          runtime.data(dataId, message, 1, len, false);
        } finally {
          if (pendingInput.addAndGet(-len) < MAX_PENDING_INPUT / 2 && paused.compareAndSet(true, false)) client.resume();
        }
      });
    } else if (channel == CLOSE && message.length > 1 && message[1] == DATA) {
      write(() -> runtime.data(dataId, new byte[0], 0, 0, true));
    } else {
      log.debug("ignoring a port-forward client message on channel {}", channel);
    }
  }

  private interface RuntimeWrite {
    void run() throws IOException;
  }

  private void write(RuntimeWrite w) {
    try {
      writer.execute(() -> {
        try {
          if (!closed.get()) w.run();
        } catch (IOException e) {
          if (!closed.get()) log.debug("writing to the runtime's port-forward streams failed", e);
          close();
        }
      });
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  /**
   * Sends the port prefixes, then forwards the runtime's output until it has closed both streams (or the connection),
   * then closes the client. Blocking: run it on a virtual thread.
   */
  void pump() {
    client.send(portPrefix(DATA, port));
    client.send(portPrefix(ERROR, port));
    boolean dataDone = false;
    boolean errorDone = false;
    try {
      while (!(dataDone && errorDone)) {
        SpdyClient.Frame f = runtime.read();
        if (f == null) break;
        switch (f) {
          case SpdyClient.DataFrame d -> {
            if (d.streamId() == dataId) {
              send(DATA, d.data());
              dataDone |= d.fin();
            } else if (d.streamId() == errorId) {
              send(ERROR, d.data());
              errorDone |= d.fin();
            }
          }
          case SpdyClient.ControlFrame c -> {
            if (c.type() == SpdyClient.TYPE_PING) write(() -> runtime.pong(c.data()));
            else if (c.type() == SpdyClient.TYPE_GOAWAY) dataDone = errorDone = true;
            else if (c.type() == SpdyClient.TYPE_RST_STREAM) {
              if (c.streamId() == dataId) dataDone = true;
              if (c.streamId() == errorId) errorDone = true;
            }
          }
        }
      }
    } catch (IOException e) {
      if (!closed.get()) log.debug("reading the runtime's port-forward streams failed", e);
    }
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
