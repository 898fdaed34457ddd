package io.kava.client;

import java.time.Duration;

/** Stopping the long-running thread of a component (its election or scheduling loop) when the component closes. */
public final class Threads {
  /** How long an interrupted thread is given to end. */
  static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);

  private Threads() {}

  /**
   * Waits up to {@code grace} for {@code t} to end; past that runs {@code late} (say, a warning), interrupts it and
   * waits up to 5 s more. A null thread has nothing to stop. An interrupt of the caller ends the wait and is kept.
   */
  public static void joinOrInterrupt(Thread t, Duration grace, Runnable late) {
    if (t == null) return;
    try {
      if (!t.join(grace)) {
        late.run();
        t.interrupt();
        t.join(AFTER_INTERRUPT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
