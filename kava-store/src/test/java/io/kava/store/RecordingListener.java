package io.kava.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A watch listener for tests: records every call, checks that calls never overlap and that revisions only grow,
 * and lets a test wait for what it expects. The waits are bounds against hangs, not timing assertions.
 */
public final class RecordingListener implements WatchListener {
  /** How long a test waits for something that should happen. */
  public static final Duration PATIENCE = Duration.ofSeconds(30);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicBoolean inCall = new AtomicBoolean();
  private final CountDownLatch gate;

  // Guarded by lock.
  private final List<List<Event>> calls = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private long compacted = -1;
  private boolean closed;
  private Throwable closedCause;

  public RecordingListener() {
    this(null);
  }

  /** A listener whose first call blocks until {@code gate} opens (to make a watcher fall behind). */
  public RecordingListener(CountDownLatch gate) {
    this.gate = gate;
  }

  @Override
  public void onEvents(List<Event> batch) {
    enter();
    try {
      if (gate != null) gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      record(() -> {
        if (batch.isEmpty()) violations.add("empty onEvents call");
        long last = events.isEmpty() ? 0 : events.getLast().revision();
        for (Event e : batch) {
          if (e.revision() < last) violations.add("revision " + e.revision() + " after " + last);
          last = e.revision();
        }
        calls.add(List.copyOf(batch));
        events.addAll(batch);
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inCall.set(false);
    }
  }

  @Override
  public void onCompacted(long compactRevision) {
    enter();
    try {
      record(() -> {
        if (compacted >= 0 || closed) violations.add("call after the end");
        compacted = compactRevision;
      });
    } finally {
      inCall.set(false);
    }
  }

  @Override
  public void onClosed(Throwable cause) {
    enter();
    try {
      record(() -> {
        if (compacted >= 0 || closed) violations.add("call after the end");
        closed = true;
        closedCause = cause;
      });
    } finally {
      inCall.set(false);
    }
  }

  private void enter() {
    if (!inCall.compareAndSet(false, true)) {
      record(() -> violations.add("overlapping listener calls"));
    }
  }

  private void record(Runnable r) {
    lock.lock();
    try {
      r.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until at least {@code n} events arrived; returns all so far. */
  public List<Event> awaitEvents(int n) {
    return awaitUntil(() -> events.size() >= n, () -> "expected " + n + " events, got " + events.size());
  }

  public long awaitCompacted() {
    awaitUntil(() -> compacted >= 0, () -> "expected onCompacted");
    return compacted;
  }

  public Throwable awaitClosed() {
    awaitUntil(() -> closed, () -> "expected onClosed");
    return closedCause;
  }

  private List<Event> awaitUntil(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> why) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    lock.lock();
    try {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) fail(why.get());
        changed.awaitNanos(left);
      }
      assertThat(violations).isEmpty();
      return List.copyOf(events);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    } finally {
      lock.unlock();
    }
  }

  public List<Event> events() {
    lock.lock();
    try {
      assertThat(violations).isEmpty();
      return List.copyOf(events);
    } finally {
      lock.unlock();
    }
  }

  public List<List<Event>> calls() {
    lock.lock();
    try {
      return List.copyOf(calls);
    } finally {
      lock.unlock();
    }
  }

  public boolean compacted() {
    lock.lock();
    try {
      return compacted >= 0;
    } finally {
      lock.unlock();
    }
  }
}
