package io.kava.node.server;

import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded connection to one port of a pod: the API server's WebSocket (the kubelet's WebSocket port-forward
 * protocol for a single port: channel 0 data, channel 1 error, each opened by the port in two little-endian bytes)
 * bridged to a pair of the runtime's SPDY {@code portforward.k8s.io} streams (error and data, as client-go opens them).
 * A client message {@code [255, 0]} (v5's close) half-closes the data stream with a FIN; what the runtime writes on
 * the error stream (why it could not connect) goes to channel 1; the session ends when the runtime has closed both.
 *
 * <p>The bridging itself (one writer thread to the runtime, input flow control, the read loop) is {@link SpdyBridge}'s.
 */
final class PortForwardSession {
  private static final Logger log = LoggerFactory.getLogger(PortForwardSession.class);
  static final String PROTOCOL = "portforward.k8s.io";
  static final int DATA = 0;
  static final int ERROR = 1;
  static final int CLOSE = 255;

  private final SpdyClient runtime;
  private final RemoteCommandSession.ClientSide client;
  private final SpdyBridge bridge;
  private final int port;
  private final int errorId;
  private final int dataId;

  private PortForwardSession(SpdyClient runtime, RemoteCommandSession.ClientSide client, int port, int errorId, int dataId) {
    this.runtime = runtime;
    this.client = client;
    this.bridge = new SpdyBridge(runtime, client, "port-forward");
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
    if (message.length == 0 || bridge.closed()) return;
    int channel = message[0] & 0xff;
    if (channel == DATA && message.length > 1) {
      bridge.forward(message, () -> dataId, false);
    } else if (channel == CLOSE && message.length > 1 && message[1] == DATA) {
      bridge.write(() -> runtime.data(dataId, new byte[0], 0, 0, true));
    } else {
      log.debug("ignoring a port-forward client message on channel {}", channel);
    }
  }

  /**
   * Sends the port prefixes, then forwards the runtime's output until it has closed both streams (or the connection),
   * then closes the client. Blocking: run it on a virtual thread.
   */
  void pump() {
    client.send(portPrefix(DATA, port));
    client.send(portPrefix(ERROR, port));
    bridge.pump(Map.of(dataId, data -> bridge.send(DATA, data), errorId, error -> bridge.send(ERROR, error)));
    close();
  }

  /** Ends the session from either side (idempotent). */
  void close() { bridge.close(); }
}
