package io.kava.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue between a controller's event handlers and its workers, with client-go's workqueue contract:
 *
 * <ul>
 *   <li>an item is handed to at most one worker at a time: from {@link #take} until {@link #done};</li>
 *   <li>adding an item that is already waiting does nothing (duplicates merge), so a burst of events for one object
 *       costs one reconcile;</li>
 *   <li>adding an item while a worker holds it marks it dirty; {@link #done} puts it back so the change is seen;</li>
 *   <li>{@link #addAfter} parks an item until its time (an earlier request for the same item wins);
 *       {@link #addRateLimited} parks it for as long as the rate limiter says, {@link #forget} resets that;</li>
 *   <li>after {@link #shutdown} adds are ignored, pending items are dropped and {@link #take} returns null.
 *       Dropping is safe because reconciles are level-triggered: whoever runs next starts from a full resync.</li>
 * </ul>
 *
 * Delayed items become ready when a caller of {@link #take}, {@link #poll} or {@link #len} looks at the queue at or
 * after their time; blocked takers wake up for the earliest one. Thread-safe.
 */
public final class WorkQueue<T> {
  private record Waiting<T>(T item, long readyAt, long seq) {}

  private final String name;
  private final RateLimiter<T> limiter;
  private final Ticker ticker;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // All below guarded by lock.
  /** Items ready for a worker, in the order they became ready; each is also in dirty. */
  private final ArrayDeque<T> ready = new ArrayDeque<>();
  /** Items that need processing: in ready, or held by a worker and to be re-queued on done. */
  private final Set<T> dirty = new HashSet<>();
  /** Items a worker holds between take and done. */
  private final Set<T> processing = new HashSet<>();
  /** Parked items by time, then by arrival (seq keeps equal times FIFO). */
  private final PriorityQueue<Waiting<T>> waiting = new PriorityQueue<>((a, b) ->
      a.readyAt != b.readyAt ? Long.compare(a.readyAt, b.readyAt) : Long.compare(a.seq, b.seq));
  /** The live entry of each parked item; entries in waiting not equal to this are stale and skipped. */
  private final Map<T, Waiting<T>> waitingByItem = new HashMap<>();
  private long seq;
  private boolean shuttingDown;

  public WorkQueue(String name, RateLimiter<T> limiter, Ticker ticker) {
    this.name = name;
    this.limiter = limiter;
    this.ticker = ticker;
  }

  /** A queue with {@link RateLimiter#controllerDefault} on the system clock. */
  public static <T> WorkQueue<T> withDefaultRateLimiter(String name) {
    Ticker t = Ticker.system();
    return new WorkQueue<>(name, RateLimiter.controllerDefault(t), t);
  }

  public String name() { return name; }

  /** Marks {@code item} as needing processing. */
  public void add(T item) {
    lock.lock();
    try {
      addLocked(item);
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(T item) {
    if (shuttingDown || !dirty.add(item)) return;
    // A worker holds it: done() re-queues it, so the worker that finishes sees it again rather than a second one.
    if (processing.contains(item)) return;
    ready.addLast(item);
    changed.signal();
  }

  /** Adds {@code item} once {@code delay} has passed; a zero or negative delay adds it now. */
  public void addAfter(T item, Duration delay) {
    lock.lock();
    try {
      if (shuttingDown) return;
      if (delay.isZero() || delay.isNegative()) {
        addLocked(item);
        return;
      }
      long readyAt = ticker.nanoTime() + delay.toNanos();
      Waiting<T> existing = waitingByItem.get(item);
      if (existing != null && existing.readyAt <= readyAt) return; // the earlier request wins
      Waiting<T> w = new Waiting<>(item, readyAt, seq++);
      waitingByItem.put(item, w);
      waiting.add(w);
      // Blocked takers may be sleeping until a later deadline; let them recompute.
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Adds {@code item} after the rate limiter's delay for it (one more failure on its record). */
  public void addRateLimited(T item) { addAfter(item, limiter.when(item)); }

  /** Ends the backoff history of {@code item}; call after it was processed successfully. */
  public void forget(T item) { limiter.forget(item); }

  public int numRequeues(T item) { return limiter.numRequeues(item); }

  /**
   * Blocks until an item is ready and hands it to the caller, who must call {@link #done} with it.
   *
   * @return the item, or null once the queue is shut down
   */
  public T take() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (shuttingDown) return null;
        promoteDueLocked();
        if (!ready.isEmpty()) return handOutLocked();
        Waiting<T> next = nextWaitingLocked();
        if (next == null) {
          changed.await();
        } else {
          long wait = next.readyAt - ticker.nanoTime();
          if (wait > 0) changed.awaitNanos(wait);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Like {@link #take} but returns null at once when nothing is ready. */
  public T poll() {
    lock.lock();
    try {
      if (shuttingDown) return null;
      promoteDueLocked();
      return ready.isEmpty() ? null : handOutLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Releases {@code item} after processing; if it was added meanwhile it becomes ready again. */
  public void done(T item) {
    lock.lock();
    try {
      if (!processing.remove(item)) return;
      if (!shuttingDown && dirty.contains(item)) {
        ready.addLast(item);
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many items are ready for a worker now (parked items whose time has come included). */
  public int len() {
    lock.lock();
    try {
      promoteDueLocked();
      return ready.size();
    } finally {
      lock.unlock();
    }
  }

  /** How many items are parked by {@link #addAfter} or {@link #addRateLimited} and not yet due. */
  public int waitingLen() {
    lock.lock();
    try {
      promoteDueLocked();
      return waitingByItem.size();
    } finally {
      lock.unlock();
    }
  }

  public void shutdown() {
    lock.lock();
    try {
      shuttingDown = true;
      ready.clear();
      dirty.clear();
      waiting.clear();
      waitingByItem.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean isShuttingDown() {
    lock.lock();
    try {
      return shuttingDown;
    } finally {
      lock.unlock();
    }
  }

  private T handOutLocked() {
    T item = ready.pollFirst();
    dirty.remove(item);
    processing.add(item);
    return item;
  }

  private Waiting<T> nextWaitingLocked() {
    Waiting<T> w;
    while ((w = waiting.peek()) != null && waitingByItem.get(w.item) != w) waiting.poll(); // drop stale entries
    return w;
  }

  private void promoteDueLocked() {
    long now = ticker.nanoTime();
    Waiting<T> w;
    while ((w = nextWaitingLocked()) != null && w.readyAt - now <= 0) {
      waiting.poll();
      waitingByItem.remove(w.item);
      addLocked(w.item);
    }
  }

  @Override
  public String toString() { return "WorkQueue[" + name + "]"; }
}
