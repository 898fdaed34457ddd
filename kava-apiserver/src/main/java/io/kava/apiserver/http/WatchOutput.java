package io.kava.apiserver.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;

/**
 * Where one watch's frames go: the chunks of a streamed HTTP response, or the messages of a WebSocket (upstream serves
 * a watch over WebSocket when the client upgrades: one text message per JSON event, as client libraries like fabric8
 * expect). Writes may come from any thread; Vert.x hands them to the connection's event loop.
 */
sealed interface WatchOutput {
  /** Queues one frame ({@code {"type":…,"object":…}\n}). */
  void write(byte[] frame);

  /** True when the client reads too slowly: the watch ends and the client resumes from its last resourceVersion. */
  boolean writeQueueFull();

  /** Ends the watch (the last write is flushed first). */
  void end();

  /** Runs {@code r} when the client goes away. */
  void onClientGone(Runnable r);

  /** A chunked (HTTP/1.1) or streamed (HTTP/2) response; its headers are sent at once. */
  record HttpChunks(HttpServerResponse response) implements WatchOutput {
    public HttpChunks {
      response.setWriteQueueMaxSize(WatchHandler.MAX_QUEUED_BYTES);
      // Send the headers now: clients wait for them before treating the watch as established.
      response.writeHead();
    }

    @Override public void write(byte[] frame) { response.write(Buffer.buffer(frame)); }

    @Override public boolean writeQueueFull() { return response.writeQueueFull(); }

    @Override
    public void end() {
      try {
        response.end();
      } catch (RuntimeException ignored) {
        // the connection is already gone
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
      socket.setWriteQueueMaxSize(WatchHandler.MAX_QUEUED_BYTES);
      socket.handler(ignored -> {});
      socket.resume(); // accepted paused (Exchange.acceptWebSocket); the client's frames are read and ignored
    }

    @Override public void write(byte[] frame) { socket.writeTextMessage(new String(frame, StandardCharsets.UTF_8)); }

    @Override public boolean writeQueueFull() { return socket.writeQueueFull(); }

    @Override
    public void end() {
      try {
        socket.close();
      } catch (RuntimeException ignored) {
        // already closed
      }
    }

    @Override
    public void onClientGone(Runnable r) {
      socket.closeHandler(v -> r.run());
      socket.exceptionHandler(e -> r.run());
    }
  }
}
