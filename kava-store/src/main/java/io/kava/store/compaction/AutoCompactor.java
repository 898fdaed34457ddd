package io.kava.store.compaction;

import io.kava.store.Store;
import io.kava.store.StoreException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts a store periodically, as kube-apiserver's compactor does for etcd (by default every 5 minutes, to the
 * revision seen 5 minutes earlier), so history (watch replay, reads at old resourceVersions) stays bounded.
 *
 * <p>Each tick notes the store's current revision, then compacts to what the {@link Retention} allows. A watch or
 * list older than that gets 410 Gone from the API server and relists, as with upstream.
 *
 * <p>{@link #start} runs ticks on a virtual thread named {@code kava-store-compactor}; {@link #close()} stops it (it
 * does not close the store). {@link #runOnce()} runs one tick on the caller's thread.
 */
public final class AutoCompactor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AutoCompactor.class);

  /** How much history to keep. */
  public sealed interface Retention {
    /** Keep the last {@code count} revisions. */
    record Revisions(long count) implements Retention {
      public Revisions {
        if (count < 0) throw new IllegalArgumentException("negative revision count");
      }
    }

    /** Keep at least what was written in the last {@code window} (history reaches back window..window+interval). */
    record Age(Duration window) implements Retention {
      public Age {
        Objects.requireNonNull(window, "window");
      }
    }

    static Retention revisions(long count) { return new Revisions(count); }

    static Retention age(Duration window) { return new Age(window); }
  }

  private record Sample(long nanos, long revision) {}

  private final Store store;
  private final Retention retention;
  private final Duration interval;
  private final LongSupplier nanoClock;

  /** Revisions seen at past ticks, oldest first, for {@link Retention.Age}. Touched by ticks only (one at a time). */
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private final ReentrantLock tickLock = new ReentrantLock();

  private final ReentrantLock stateLock = new ReentrantLock(); // guards thread and closed
  private final Condition wake = stateLock.newCondition();
  private Thread thread;
  private boolean closed;

  public AutoCompactor(Store store, Retention retention, Duration interval) {
    this(store, retention, interval, System::nanoTime);
  }

  /** With a clock in nanoseconds, for tests. */
  public AutoCompactor(Store store, Retention retention, Duration interval, LongSupplier nanoClock) {
    this.store = Objects.requireNonNull(store, "store");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
  }

  /** Upstream's policy: every 5 minutes, compact to the revision of 5 minutes before. */
  public static AutoCompactor kubernetesDefault(Store store) {
    return new AutoCompactor(store, Retention.age(Duration.ofMinutes(5)), Duration.ofMinutes(5));
  }

  /** Starts ticking every interval (the first tick one interval from now). Returns this. */
  public AutoCompactor start() {
    stateLock.lock();
    try {
      if (closed) throw new IllegalStateException("compactor is closed");
      if (thread == null) thread = Thread.ofVirtual().name("kava-store-compactor").start(this::loop);
    } finally {
      stateLock.unlock();
    }
    return this;
  }

  /**
   * One tick: notes the current revision and compacts as far as the retention allows.
   *
   * @return the revision compacted to, or 0 if nothing was compacted
   */
  public long runOnce() {
    tickLock.lock();
    try {
      long now = nanoClock.getAsLong();
      long current = store.currentRevision();
      long target = switch (retention) {
        case Retention.Revisions r -> current - r.count();
        case Retention.Age a -> {
          samples.addLast(new Sample(now, current));
          long cutoff = now - a.window().toNanos();
          // The newest sample at least `window` old is the target; the older ones are no longer needed.
          Sample aged = null;
          while (!samples.isEmpty() && samples.peekFirst().nanos() - cutoff <= 0) aged = samples.pollFirst();
          if (aged == null) yield 0;
          samples.addFirst(aged); // the target until a newer sample is old enough
          yield aged.revision();
        }
      };
      if (target <= 0 || target <= store.compactRevision()) return 0;
      store.compact(target);
      log.info("compacted store history up to revision {} (current {})", target, current);
      return target;
    } finally {
      tickLock.unlock();
    }
  }

  private void loop() {
    while (true) {
      stateLock.lock();
      try {
        long left = interval.toNanos();
        while (!closed && left > 0) left = wake.awaitNanos(left);
        if (closed) return;
      } catch (InterruptedException e) {
        return;
      } finally {
        stateLock.unlock();
      }
      try {
        runOnce();
      } catch (StoreException e) {
        log.warn("compaction failed; will try again in {}", interval, e);
      } catch (RuntimeException e) {
        log.error("compaction failed; will try again in {}", interval, e);
      }
    }
  }

  @Override
  public void close() {
    Thread t;
    stateLock.lock();
    try {
      closed = true;
      wake.signalAll();
      t = thread;
    } finally {
      stateLock.unlock();
    }
    if (t != null) {
      try {
        t.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
