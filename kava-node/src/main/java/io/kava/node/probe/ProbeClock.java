package io.kava.node.probe;

import java.time.Duration;
import java.time.Instant;

/** Time and delayed tasks for probe workers, so that tests advance time instead of sleeping. */
public interface ProbeClock {
  Instant now();

  /** Runs {@code task} once after {@code delay}, on a thread that may block (probes do I/O). */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
