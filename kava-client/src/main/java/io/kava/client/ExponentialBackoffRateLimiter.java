package io.kava.client;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** Per-item exponential backoff: base, 2·base, 4·base … capped at max; forgetting an item starts it over. */
public final class ExponentialBackoffRateLimiter<T> implements RateLimiter<T> {
  private final long baseNanos;
  private final long maxNanos;
  private final ConcurrentHashMap<T, Integer> failures = new ConcurrentHashMap<>();

  public ExponentialBackoffRateLimiter(Duration base, Duration max) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) throw new IllegalArgumentException("need 0 < base <= max");
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
  }

  @Override
  public Duration when(T item) {
    int exponent = failures.merge(item, 1, Integer::sum) - 1;
    // In doubles so that a long failure streak saturates at max instead of overflowing.
    double backoff = baseNanos * Math.pow(2, exponent);
    return Duration.ofNanos(backoff >= maxNanos ? maxNanos : (long) backoff);
  }

  @Override
  public void forget(T item) { failures.remove(item); }

  @Override
  public int numRequeues(T item) { return failures.getOrDefault(item, 0); }
}
