package io.kava.apiserver.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Where one watch's frames go: the chunks of a streamed HTTP response, or the messages of a WebSocket (upstream serves
 * a watch over WebSocket when the client upgrades: one text message per JSON event, as client libraries like fabric8
 * expect). Writes may come from any thread; Vert.x hands them to the connection's event loop. How much is queued is
 * counted by the caller from the futures ({@link WriteBacklog}), not by Vert.x's write queue.
 */
sealed interface WatchOutput permits WatchOutput.HttpChunks, WatchOutput.WebSocketMessages {
  /** Queues one frame ({@code {"type":…,"object":…}\n}); the future completes when it was written (or failed). */
  Future<Void> write(byte[] frame);

  /**
   * Queues the frame {@code head + object + tail} without copying {@code object} (the cache's bytes, shared by every
   * watcher that is sent the same object).
   */
  default Future<Void> write(byte[] head, byte[] object, byte[] tail) {
    byte[] frame = new byte[head.length + object.length + tail.length];
    System.arraycopy(head, 0, frame, 0, head.length);
    System.arraycopy(object, 0, frame, head.length, object.length);
    System.arraycopy(tail, 0, frame, head.length + object.length, tail.length);
    return write(frame);
  }

  /** Ends the watch (the last write is flushed first). */
  void end();

  /** Drops what is still queued: the stream is reset (HTTP/2) or its connection closed (HTTP/1.1, WebSocket). */
  void abort();

  /** Runs {@code r} when the client goes away. */
  void onClientGone(Runnable r);

  /**
   * A chunked (HTTP/1.1) or streamed (HTTP/2) response; its headers are sent at once. Frames queued while a write is
   * pending on the connection's event loop go out together, as one chunk and one flush (upstream's watch server
   * flushes when no event is waiting, with the same effect): under load a watcher's client handles, and the server
   * writes, one chunk per batch of changes instead of one per event. Writes and the end of the response all run on
   * the event loop, in the order they were queued.
   */
  final class HttpChunks implements WatchOutput {
    private final HttpServerResponse response;
    private final HttpConnection connection;
    private final HttpVersion version;
    /** The connection's event loop, or null when it is not known (then every frame is written on its own). */
    private final Executor loop;
    private final Object lock = new Object();
    // Guarded by lock.
    private List<ByteBuf> queued = new ArrayList<>();
    private Promise<Void> queuedWritten;
    private boolean drainScheduled;
    private boolean endRequested;

    HttpChunks(HttpServerResponse response, HttpConnection connection, HttpVersion version) {
      this.response = response;
      this.connection = connection;
      this.version = version;
      this.loop = connection instanceof io.vertx.core.net.impl.ConnectionBase c ? c.channel().eventLoop() : null;
      // Send the headers now: clients wait for them before treating the watch as established.
      response.writeHead();
    }

    @Override public Future<Void> write(byte[] frame) { return queue(Unpooled.wrappedBuffer(frame)); }

    @Override
    public Future<Void> write(byte[] head, byte[] object, byte[] tail) { return queue(Unpooled.wrappedBuffer(head, object, tail)); }

    private Future<Void> queue(ByteBuf frame) {
      if (loop == null) return response.write(BufferInternal.buffer(frame));
      synchronized (lock) {
        if (endRequested) throw new IllegalStateException("the watch response has ended");
        queued.add(frame);
        if (queuedWritten == null) queuedWritten = Promise.promise();
        scheduleDrain();
        return queuedWritten.future();
      }
    }

    // Guarded by lock.
    private void scheduleDrain() {
      if (drainScheduled) return;
      drainScheduled = true;
      loop.execute(this::drain);
    }

    /** On the event loop: writes what is queued as one chunk, then ends the response if that was asked for. */
    private void drain() {
      List<ByteBuf> frames;
      Promise<Void> written;
      boolean end;
      synchronized (lock) {
        frames = queued;
        written = queuedWritten;
        queued = new ArrayList<>();
        queuedWritten = null;
        drainScheduled = false;
        end = endRequested;
      }
      if (!frames.isEmpty()) {
        ByteBuf chunk = frames.size() == 1 ? frames.get(0) : Unpooled.wrappedBuffer(frames.toArray(ByteBuf[]::new));
        try {
          response.write(BufferInternal.buffer(chunk)).onComplete(written);
        } catch (RuntimeException gone) { // the response has already ended
          written.fail(gone);
        }
      }
      if (end) endNow();
    }

    @Override
    public void end() {
      if (loop == null) {
        endNow();
        return;
      }
      synchronized (lock) {
        if (endRequested) return;
        endRequested = true;
        scheduleDrain();
      }
    }

    private void endNow() {
      try {
        response.end();
      } catch (RuntimeException ignored) {
        // the connection is already gone
      }
    }

    @Override
    public void abort() {
      synchronized (lock) {
        endRequested = true;
        queued.clear();
        if (queuedWritten != null) queuedWritten.tryFail("the watch was aborted");
        queuedWritten = null;
      }
      if (version == HttpVersion.HTTP_2) {
        response.reset();
      } else if (connection instanceof io.vertx.core.net.impl.ConnectionBase c && c.channel().pipeline().firstContext() != null) {
        // An ended HTTP/1.1 response cannot be reset (Vert.x refuses: "Response written"), and a close that passes
        // Vert.x's handler (HttpConnection.close(), Channel.close()) flushes everything queued first. Closed from
        // the pipeline's first handler, the close goes straight to the socket and the queue is dropped.
        c.channel().pipeline().firstContext().close();
      } else {
        connection.close();
      }
    }

    @Override
    public void onClientGone(Runnable r) {
      try {
        response.closeHandler(v -> r.run());
      } catch (IllegalStateException ended) {
        // Already ended: a client too slow for the first events (its write queue filled before this point).
        r.run();
      }
    }
  }

  /** An accepted WebSocket: each frame becomes one text message; whatever the client sends is ignored. */
  record WebSocketMessages(ServerWebSocket socket) implements WatchOutput {
    public WebSocketMessages {
      socket.handler(ignored -> {});
      socket.resume(); // accepted paused (Exchange.acceptWebSocket); the client's frames are read and ignored
    }

    @Override public Future<Void> write(byte[] frame) { return socket.writeTextMessage(new String(frame, StandardCharsets.UTF_8)); }

    @Override
    public void end() {
      try {
        socket.close();
      } catch (RuntimeException ignored) {
        // already closed
      }
    }

    @Override
    public void abort() {
      socket.close((short) 1008, "watch client too slow");
    }

    @Override
    public void onClientGone(Runnable r) {
      socket.closeHandler(v -> r.run());
      socket.exceptionHandler(e -> r.run());
    }
  }
}
