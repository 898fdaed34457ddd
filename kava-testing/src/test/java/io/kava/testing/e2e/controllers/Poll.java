package io.kava.testing.e2e.controllers;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a generous deadline: controllers act asynchronously, and this machine's 2 cores are shared. */
final class Poll {
  static final Duration DEADLINE = Duration.ofSeconds(60);

  private Poll() {}

  /** Polls until {@code done} holds; fails with {@code what()} (the last observed state) at the deadline. */
  static void until(BooleanSupplier done, Supplier<String> what) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) throw new AssertionError("gave up after " + DEADLINE.toSeconds() + " s: " + what.get());
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
