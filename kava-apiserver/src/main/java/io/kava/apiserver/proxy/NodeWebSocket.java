package io.kava.apiserver.proxy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;

/**
 * A node's WebSocket with its handlers in place from the event-loop task that connected it, forwarding to a
 * {@link Listener} attached later. Vert.x refuses handlers on a WebSocket that is already closed, and a node whose
 * command ends at once ({@code kubectl exec pod -- true}) sends its output and its close frame, and has the close
 * handshake done, before the client's upgrade is even answered: handlers set after that would throw, and the session
 * would hang with its client upgraded and nobody serving it. The WebSocket is paused, so its messages and its close
 * frame wait, in order, for the listener; a connection lost without a close frame is reported after the messages that
 * came before it, once they flow.
 */
final class NodeWebSocket {
  /** What the session does with the node's side. Messages and the end come only after {@link WebSocket#resume()}. */
  interface Listener {
    void binary(Buffer message);

    void text(String message);

    /** The node's close frame, after its last message. */
    void ended();

    /**
     * The connection went away without a close frame: nothing more will come after what was delivered. {@code cause}
     * may be null.
     */
    void lost(Throwable cause);
  }

  private final WebSocket ws;
  /** The context the WebSocket was connected on, which delivers its messages. */
  private final Context context;
  // Guarded by this.
  private Listener listener;
  /** Resumed by {@link #resume()} and not paused since. */
  private boolean flowing;
  private boolean lost;
  private Throwable lostCause;
  private boolean lostReported;

  private NodeWebSocket(WebSocket ws, Context context) {
    this.ws = ws;
    this.context = context;
  }

  /** Sets the handlers of {@code ws}, which must be open and paused: call it in the task that connected it. */
  static NodeWebSocket wire(WebSocket ws) {
    Context here = Vertx.currentContext();
    if (here == null) throw new IllegalStateException("wire a node WebSocket on the event loop that connected it");
    return wire(ws, here);
  }

  /** {@link #wire(WebSocket)} with the context that delivers the WebSocket's messages given. */
  static NodeWebSocket wire(WebSocket ws, Context context) {
    NodeWebSocket n = new NodeWebSocket(ws, context);
    ws.binaryMessageHandler(b -> n.listener().binary(b));
    ws.textMessageHandler(t -> n.listener().text(t));
    ws.endHandler(v -> n.listener().ended());
    // Vert.x reports a closed connection at once, even while messages wait in the paused queue; after a close frame
    // the end handler comes in order, so only a connection gone without one is reported here.
    ws.closeHandler(v -> {
      if (ws.closeStatusCode() == null) n.lost(null);
    });
    ws.exceptionHandler(e -> {
      if (ws.closeStatusCode() == null) n.lost(e);
    });
    return n;
  }

  /** The WebSocket, for writing and closing; pause and resume it through this class. */
  WebSocket ws() { return ws; }

  /** Attaches the session, before the first {@link #resume()}. */
  synchronized void attach(Listener l) {
    if (listener != null) throw new IllegalStateException("a listener is attached already");
    listener = l;
  }

  void pause() {
    synchronized (this) {
      flowing = false;
    }
    ws.pause();
  }

  /** Lets the messages flow; a loss that came while paused is reported after the messages that came before it. */
  void resume() {
    boolean report;
    synchronized (this) {
      if (listener == null) throw new IllegalStateException("attach a listener before resuming");
      flowing = true;
      report = lost && !lostReported;
      lostReported |= report;
    }
    ws.resume();
    if (report) reportLoss();
  }

  private synchronized Listener listener() {
    if (listener == null) throw new IllegalStateException("a node WebSocket delivered a message while no session listened");
    return listener;
  }

  private void lost(Throwable cause) {
    boolean report;
    synchronized (this) {
      if (lost) return;
      lost = true;
      lostCause = cause;
      report = flowing;
      lostReported |= report;
    }
    if (report) reportLoss();
  }

  /** On the WebSocket's context, after what a resume before this made deliverable: both use its queue, in order. */
  private void reportLoss() {
    Listener l;
    Throwable cause;
    synchronized (this) {
      l = listener;
      cause = lostCause;
    }
    context.runOnContext(v -> l.lost(cause));
  }
}
