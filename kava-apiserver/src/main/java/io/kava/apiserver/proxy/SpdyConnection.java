package io.kava.apiserver.proxy;

import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of a client's SPDY/3.1 connection, over whatever carries its bytes: the raw connection after an
 * {@code Upgrade: SPDY/3.1} (kubectl 1.29 and older) or a WebSocket whose binary messages tunnel it (kubectl 1.31+
 * port-forward, subprotocol {@code SPDY/3.1+portforward.k8s.io}). It answers the client's PINGs and ends on GOAWAY;
 * every other frame goes to the {@link Session}. Kava keeps no SPDY flow-control windows, as the Go peers keep none.
 *
 * <p>A session's state is guarded by {@link #lock()}: frames from the client are delivered holding it, and a session
 * takes it for what comes from elsewhere (the node). Frames are written holding it, so they leave in the order in
 * which they were encoded, as the shared header compression requires.
 */
final class SpdyConnection {
  private static final Logger log = LoggerFactory.getLogger(SpdyConnection.class);

  /** What carries the bytes: a NetSocket or a WebSocket (both are a ReadStream and a WriteStream of Buffers). */
  record Transport(ReadStream<Buffer> in, WriteStream<Buffer> out, Runnable close) {}

  /** The protocol on top: exec/attach streams or port-forward pairs. Called holding the connection's lock. */
  interface Session {
    /** A frame from the client; released after this returns (copy what is kept). */
    void frame(SpdyFrame frame);

    /** The connection is gone (or ends): release what the session holds. Called once. */
    void closed();
  }

  private final Transport transport;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock, as is everything below.
  private final SpdyFraming framing = new SpdyFraming();
  private Session session;
  /** Readers paused until the client's write queue drains. */
  private final List<Runnable> drainWaiters = new ArrayList<>();
  private boolean closed;
  /** The last write: the connection closes once it is done, so the last frames are not lost. */
  private io.vertx.core.Future<Void> lastWrite = io.vertx.core.Future.succeededFuture();

  private SpdyConnection(Transport transport) { this.transport = transport; }

  /**
   * Wires the transport to a session made by {@code sessionFactory} and resumes it. The transport must come paused
   * (a client sends its first frames as soon as it has the 101).
   */
  static SpdyConnection start(Transport transport, java.util.function.Function<SpdyConnection, Session> sessionFactory) {
    SpdyConnection c = new SpdyConnection(transport);
    c.lock.lock();
    try {
      c.session = sessionFactory.apply(c);
      transport.in().handler(c::received);
      transport.in().endHandler(v -> c.close());
      transport.out().drainHandler(v -> c.drained());
      transport.in().exceptionHandler(e -> {
        log.warn("SPDY connection failed", e);
        c.close();
      });
    } finally {
      c.lock.unlock();
    }
    transport.in().resume();
    return c;
  }

  ReentrantLock lock() { return lock; }

  private void received(Buffer bytes) {
    lock.lock();
    try {
      if (closed) return;
      java.util.List<SpdyFrame> frames;
      try {
        frames = framing.decode(bytes);
      } catch (RuntimeException e) {
        log.warn("malformed SPDY from the client", e);
        close();
        return;
      }
      for (SpdyFrame f : frames) {
        try {
          if (closed) continue;
          switch (f) {
            case SpdyPingFrame ping -> {
              if ((ping.id() & 1) == 1) send(new DefaultSpdyPingFrame(ping.id())); // the client's: echo it
            }
            case SpdyGoAwayFrame goAway -> close();
            default -> session.frame(f);
          }
        } finally {
          ReferenceCountUtil.release(f);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Writes a frame (taking ownership of it). Hold {@link #lock()}. */
  void send(SpdyFrame frame) {
    if (closed) {
      ReferenceCountUtil.release(frame);
      return;
    }
    lastWrite = transport.out().write(framing.encode(frame));
  }

  /**
   * Accepts a stream the client opened. The reply names the stream's type: Go's framer reads every SYN_REPLY's header
   * block as a zlib stream, and Netty writes no block at all for an empty header set, which Go cannot parse.
   */
  void reply(int streamId, String streamType) {
    io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame reply = new io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame(streamId);
    reply.headers().set("streamtype", streamType == null || streamType.isEmpty() ? "unknown" : streamType);
    send(reply);
  }

  boolean writeQueueFull() { return transport.out().writeQueueFull(); }

  /**
   * Runs {@code resume} once the client's write queue has room, at once if it has already. Several node sockets may
   * wait for the one client connection (port-forward pairs): each is resumed. Hold {@link #lock()}.
   */
  void whenWritable(Runnable resume) {
    drainWaiters.add(resume);
    if (!transport.out().writeQueueFull()) drained();
  }

  private void drained() {
    List<Runnable> waiting;
    lock.lock();
    try {
      waiting = List.copyOf(drainWaiters);
      drainWaiters.clear();
    } finally {
      lock.unlock();
    }
    waiting.forEach(Runnable::run);
  }

  void pause() { transport.in().pause(); }

  void resume() { transport.in().resume(); }

  /** Says GOAWAY after what was written, then ends the connection. Hold {@link #lock()}. */
  void goAway() {
    if (closed) return;
    send(new DefaultSpdyGoAwayFrame(0));
    close();
  }

  /** Ends the connection and the session (idempotent). Takes the lock. */
  void close() {
    io.vertx.core.Future<Void> last;
    lock.lock();
    try {
      if (closed) return;
      closed = true;
      framing.close();
      if (session != null) session.closed();
      last = lastWrite;
    } finally {
      lock.unlock();
    }
    last.onComplete(ar -> transport.close().run());
  }
}
