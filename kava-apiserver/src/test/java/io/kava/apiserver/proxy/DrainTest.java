package io.kava.apiserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrainTest {
  /** A write stream whose queue empties when the test says, as another event loop's would. */
  static final class Queue implements WriteStream<String> {
    boolean full = true;
    Handler<Void> drainHandler;

    void drain() {
      full = false;
      if (drainHandler != null) drainHandler.handle(null);
    }

    @Override public WriteStream<String> exceptionHandler(Handler<Throwable> handler) { return this; }
    @Override public Future<Void> write(String data) { return Future.succeededFuture(); }
    @Override public Future<Void> end() { return Future.succeededFuture(); }
    @Override public WriteStream<String> setWriteQueueMaxSize(int maxSize) { return this; }
    @Override public boolean writeQueueFull() { return full; }

    @Override
    public WriteStream<String> drainHandler(Handler<Void> handler) {
      drainHandler = handler;
      return this;
    }
  }

  @Test
  void aReaderIsResumedWhenTheQueueDrainsLater() {
    Queue out = new Queue();
    List<String> calls = new ArrayList<>();
    Drain.pauseUntilDrained(out, () -> calls.add("pause"), () -> calls.add("resume"));
    assertThat(calls).containsExactly("pause");
    out.drain();
    assertThat(calls).containsExactly("pause", "resume");
  }

  @Test
  void aReaderIsResumedWhenTheQueueDrainedBeforeTheHandlerWasSet() {
    Queue out = new Queue();
    List<String> calls = new ArrayList<>();
    // The queue empties between the caller's writeQueueFull() and the drain handler: no drain event will come.
    Drain.pauseUntilDrained(out, () -> {
      calls.add("pause");
      out.full = false;
    }, () -> calls.add("resume"));
    assertThat(calls).containsExactly("pause", "resume");
  }
}
