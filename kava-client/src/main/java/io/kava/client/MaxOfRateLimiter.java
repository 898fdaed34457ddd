package io.kava.client;

import java.time.Duration;
import java.util.List;

/** The longest delay any of its limiters asks for; every limiter sees every failure. */
public final class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private final List<RateLimiter<T>> limiters;

  @SafeVarargs
  public MaxOfRateLimiter(RateLimiter<T>... limiters) {
    if (limiters.length == 0) throw new IllegalArgumentException("need at least one limiter");
    this.limiters = List.of(limiters);
  }

  @Override
  public Duration when(T item) {
    Duration max = Duration.ZERO;
    for (RateLimiter<T> l : limiters) {
      Duration d = l.when(item);
      if (d.compareTo(max) > 0) max = d;
    }
    return max;
  }

  @Override
  public void forget(T item) { limiters.forEach(l -> l.forget(item)); }

  @Override
  public int numRequeues(T item) {
    int max = 0;
    for (RateLimiter<T> l : limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}
