package io.kava.apiserver.proxy;

import io.vertx.core.streams.WriteStream;

/**
 * Flow control between two connections on different event loops. Vert.x calls a drain handler only for a drain that
 * happens after the handler is set; the writer's queue can empty on its own loop between the reader seeing it full
 * and setting the handler, and then the reader would stay paused for good (a bridged {@code kubectl cp} hung so). So
 * the queue is looked at again once the handler is in place.
 */
final class Drain {
  private Drain() {}

  /** Pauses the reader until {@code out} has room; resumes it at once if the room came already. */
  static void pauseUntilDrained(WriteStream<?> out, Runnable pause, Runnable resume) {
    pause.run();
    out.drainHandler(v -> resume.run());
    if (!out.writeQueueFull()) resume.run();
  }
}
