package io.kava.apiserver.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of one watch stream that were handed to the connection but not yet written to it, counted by the watch
 * itself: Vert.x's own write-queue limit is a no-op on HTTP/2 streams (there {@code writeQueueFull()} is the stream's
 * flow-control state, so a client whose window is full for a moment looked "too slow"), so the limit is kept here,
 * in bytes, the same way for HTTP/1.1, HTTP/2 and WebSocket.
 *
 * <p>A watch starts with a replay (the current objects, or the events since the resourceVersion it resumes from).
 * That replay is what a LIST would have sent: it is bounded by the collection and must not count against the
 * slow-client limit, else a client resuming after a burst is cut off before it has read its first event and relists
 * everything, again and again. Writes complete in order, so the replay's bytes are the first ones flushed; only the
 * bytes queued after the replay and not yet flushed ({@link #liveQueued()}) measure how far the client lags.
 *
 * <p>Thread-safe: writes are counted by the cache's dispatch thread, flushes by the connection's event loop.
 */
final class WriteBacklog {
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong flushed = new AtomicLong();
  // Bytes written before the replay ended; -1 while the replay runs (everything so far is replay).
  private volatile long replayBytes = -1;

  /** {@code n} more bytes were handed to the connection. */
  void written(int n) { written.addAndGet(n); }

  /** {@code n} bytes handed earlier were written to the connection (or dropped with it). */
  void flushed(int n) { flushed.addAndGet(n); }

  /** The replay is over: from now on queued bytes count against the limit. */
  void replayDone() { replayBytes = written.get(); }

  boolean replaying() { return replayBytes < 0; }

  /** Bytes handed to the connection and not yet written. */
  long queued() { return written.get() - flushed.get(); }

  /** Bytes queued after the replay and not yet written: how far the client lags behind the live events. */
  long liveQueued() {
    long replay = replayBytes;
    if (replay < 0) return 0;
    return written.get() - Math.max(flushed.get(), replay);
  }

  /** True when the client lags more than {@code limit} bytes behind the live events. */
  boolean tooSlow(long limit) { return liveQueued() > limit; }
}
