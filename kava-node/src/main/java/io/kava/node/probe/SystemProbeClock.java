package io.kava.node.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link ProbeClock}: one platform timer thread that starts each due task on a virtual thread, so
 * a slow probe never delays another.
 */
public final class SystemProbeClock implements ProbeClock, AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "probe-timer");
    t.setDaemon(true);
    return t;
  });

  @Override
  public Instant now() { return Instant.now(); }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    var f = timer.schedule(() -> Thread.ofVirtual().name("probe").start(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() { timer.shutdownNow(); }
}
