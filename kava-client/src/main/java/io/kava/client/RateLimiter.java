package io.kava.client;

import java.time.Duration;

/**
 * Decides how long a failed item waits before its next attempt (client-go's workqueue.RateLimiter).
 *
 * <p>Implementations are thread-safe. {@link #when} records a failure as a side effect, so call it once per retry.
 */
public interface RateLimiter<T> {
  /** The delay before {@code item} may be retried; counts one more failure for it. */
  Duration when(T item);

  /** Clears the failure history of {@code item} (call after it was processed successfully). */
  void forget(T item);

  /** How many failures are on record for {@code item}. */
  int numRequeues(T item);

  /**
   * What upstream controllers use: per-item exponential backoff from 5 ms to 1000 s, and an overall token bucket of
   * 10 retries per second with a burst of 100 so that many failing items cannot flood the API server.
   */
  static <T> RateLimiter<T> controllerDefault(Ticker ticker) {
    return new MaxOfRateLimiter<>(
        new ExponentialBackoffRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000)),
        new TokenBucketRateLimiter<>(10, 100, ticker));
  }
}
