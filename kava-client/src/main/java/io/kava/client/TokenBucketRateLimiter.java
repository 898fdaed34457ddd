package io.kava.client;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An overall token bucket shared by all items: {@code qps} tokens per second, at most {@code burst} saved up. Each
 * retry reserves a token; when none is left the retry is scheduled for when its token will exist (tokens may go
 * negative, which is how reservations queue up, as with Go's rate.Limiter).
 */
public final class TokenBucketRateLimiter<T> implements RateLimiter<T> {
  private final double qps;
  private final double burst;
  private final Ticker ticker;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private double tokens;
  // Guarded by lock.
  private long lastNanos;

  public TokenBucketRateLimiter(double qps, int burst, Ticker ticker) {
    if (qps <= 0 || burst < 1) throw new IllegalArgumentException("need qps > 0 and burst >= 1");
    this.qps = qps;
    this.burst = burst;
    this.ticker = ticker;
    this.tokens = burst;
    this.lastNanos = ticker.nanoTime();
  }

  @Override
  public Duration when(T item) {
    lock.lock();
    try {
      long now = ticker.nanoTime();
      tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * qps);
      lastNanos = now;
      tokens -= 1;
      return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / qps * 1e9));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void forget(T item) {}

  @Override
  public int numRequeues(T item) { return 0; }
}
