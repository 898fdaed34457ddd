package io.kava.client;

/**
 * A monotonic clock in nanoseconds. The work queue and rate limiters read time only through this, so tests can move
 * time by hand instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {
  long nanoTime();

  static Ticker system() { return System::nanoTime; }
}
