package io.kava.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polling with a deadline, for e2e tests: controllers and nodes act asynchronously and this machine's 2 cores are
 * shared, so tests wait for a state rather than for a time.
 */
public final class Poll {
  /** Generous: a loaded CI machine can take tens of seconds for what takes milliseconds on a quiet one. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);
  private static final long INTERVAL_MILLIS = 100;

  private Poll() {}

  /** Polls until {@code done} holds; fails with {@code what()} (the last observed state) after 60 s. */
  public static void until(BooleanSupplier done, Supplier<String> what) { until(DEFAULT_DEADLINE, done, what); }

  /** Polls until {@code done} holds; fails with {@code what()} (the last observed state) at the deadline. */
  public static void until(Duration deadline, BooleanSupplier done, Supplier<String> what) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) throw new AssertionError("gave up after " + deadline.toSeconds() + " s: " + what.get());
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
