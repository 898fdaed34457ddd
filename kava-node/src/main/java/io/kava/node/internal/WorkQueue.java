package io.kava.node.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A de-duplicating work queue of keys with delayed adds, after client-go's: a key is held by at most one worker
 * (between {@link #take} and {@link #done}); adding a waiting key does nothing; adding a held key re-queues it at
 * {@link #done}; {@link #addAfter} parks a key until its time (the earliest request wins). Thread-safe.
 */
public final class WorkQueue<T> {
  private record Parked<T>(T item, long at, long seq) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private final ArrayDeque<T> ready = new ArrayDeque<>();
  private final Set<T> dirty = new HashSet<>();
  private final Set<T> processing = new HashSet<>();
  private final PriorityQueue<Parked<T>> parked = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private final Map<T, Parked<T>> parkedByItem = new HashMap<>();
  private long seq;
  private boolean shutdown;

  public void add(T item) {
    lock.lock();
    try {
      addLocked(item);
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(T item) {
    if (shutdown || !dirty.add(item)) return;
    if (processing.contains(item)) return;
    ready.add(item);
    changed.signal();
  }

  /** Adds {@code item} once {@code delayMillis} have passed (at once when not positive). */
  public void addAfter(T item, long delayMillis) {
    if (delayMillis <= 0) {
      add(item);
      return;
    }
    lock.lock();
    try {
      if (shutdown) return;
      long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
      Parked<T> cur = parkedByItem.get(item);
      if (cur != null && cur.at <= at) return;
      Parked<T> p = new Parked<>(item, at, seq++);
      parkedByItem.put(item, p);
      parked.add(p);
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** The next key, waiting for one; null after {@link #shutdown}. */
  public T take() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (shutdown) return null;
        long now = System.nanoTime();
        while (!parked.isEmpty() && parked.peek().at - now <= 0) {
          Parked<T> p = parked.poll();
          if (parkedByItem.get(p.item) == p) {
            parkedByItem.remove(p.item);
            addLocked(p.item);
          }
        }
        T item = ready.poll();
        if (item != null) {
          processing.add(item);
          dirty.remove(item);
          return item;
        }
        if (parked.isEmpty()) changed.await();
        else changed.awaitNanos(parked.peek().at - now);
      }
    } finally {
      lock.unlock();
    }
  }

  public void done(T item) {
    lock.lock();
    try {
      processing.remove(item);
      if (dirty.contains(item)) {
        ready.add(item);
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  public int length() {
    lock.lock();
    try {
      return ready.size();
    } finally {
      lock.unlock();
    }
  }

  public void shutdown() {
    lock.lock();
    try {
      shutdown = true;
      ready.clear();
      parked.clear();
      parkedByItem.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
