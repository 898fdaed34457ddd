package io.kava.node.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's per-key exponential back-off (used for container restarts and image pulls): the first failure is
 * retried at once, and each failure within the window doubles the wait, from {@code initial} up to {@code max}. An
 * entry untouched for twice {@code max} starts over. Thread-safe.
 */
public final class Backoff {
  private record Entry(Duration delay, Instant lastUpdate) {}

  private final Duration initial;
  private final Duration max;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  public static Backoff crashLoop() { return new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5)); }

  /** True while {@code now} is within the current delay after {@code eventTime} (for a restart: when the container finished). */
  public boolean inBackoffSince(String key, Instant eventTime, Instant now) {
    Entry e = entries.get(key);
    if (e == null || expired(e, eventTime)) return false;
    return Duration.between(eventTime, now).compareTo(e.delay()) < 0;
  }

  /** True while {@code now} is within the current delay after the last {@link #next} (image pulls). */
  public boolean inBackoffSinceUpdate(String key, Instant now) {
    Entry e = entries.get(key);
    return e != null && !expired(e, now) && Duration.between(e.lastUpdate(), now).compareTo(e.delay()) < 0;
  }

  /** When the back-off after the last {@link #next} ends. */
  public Instant untilUpdate(String key, Instant now) {
    Entry e = entries.get(key);
    return e == null ? now : e.lastUpdate().plus(e.delay());
  }

  /** When the back-off since {@code eventTime} ends (eventTime itself when there is none). */
  public Instant until(String key, Instant eventTime) {
    Entry e = entries.get(key);
    return e == null ? eventTime : eventTime.plus(e.delay());
  }

  public Duration delay(String key) {
    Entry e = entries.get(key);
    return e == null ? Duration.ZERO : e.delay();
  }

  /** Records an attempt: the delay starts at {@code initial} or doubles. */
  public void next(String key, Instant now) {
    entries.compute(key, (k, e) -> {
      if (e == null || expired(e, now)) return new Entry(initial, now);
      Duration d = e.delay().multipliedBy(2);
      return new Entry(d.compareTo(max) > 0 ? max : d, now);
    });
  }

  public void reset(String key) { entries.remove(key); }

  /** Forgets every key that starts with {@code prefix} (a pod that is gone). */
  public void forgetPrefix(String prefix) { entries.keySet().removeIf(k -> k.startsWith(prefix)); }

  private boolean expired(Entry e, Instant eventTime) { return Duration.between(e.lastUpdate(), eventTime).compareTo(max.multipliedBy(2)) > 0; }
}
