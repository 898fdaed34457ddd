package io.kava.store.watch;

import io.kava.store.CompactedException;
import io.kava.store.Event;
import io.kava.store.StoreException;
import io.kava.store.Watch;
import io.kava.store.WatchListener;
import io.kava.store.support.KeyRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Collections;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watch delivery shared by the backends, after etcd's watchable store.
 *
 * <p>Watchers are in one of two groups. <em>Synced</em> watchers have seen every revision published so far; the
 * writer hands them each new revision in {@link #publish}, which only appends to their queues and never waits. A
 * watcher whose queue is full when a revision arrives (its listener is slow) does not get that revision; it moves to
 * the <em>unsynced</em> group instead, as does a watcher that starts at an old revision. A background loop catches
 * unsynced watchers up from the backend's {@link EventHistory}, as fast as their listeners drain, and moves each back
 * to the synced group once it has reached the last published revision. The history replaces etcd's separate victim
 * queue: a revision the writer could not hand over is simply read again.
 *
 * <p>Each watcher's progress is one number, {@code nextRevision}: every event of its range below it has been queued
 * (or delivered), none at or above it. Both hand-offs advance it under {@link #lock}, so no revision is queued twice
 * or skipped.
 *
 * <p>Each watch has its own delivery thread (a virtual thread), which calls the listener with what has queued up; so
 * one slow listener delays only itself.
 */
public final class WatchHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchHub.class);

  /**
   * @param queueCapacity       revisions a watch may have queued before it is moved to the unsynced group
   * @param syncInterval        how often the catch-up loop looks at unsynced watchers without being woken
   * @param maxEventsPerRead    events one history read fetches for one watcher
   * @param maxRevisionsPerCall revisions coalesced into one {@link WatchListener#onEvents} call
   */
  public record Config(int queueCapacity, Duration syncInterval, int maxEventsPerRead, int maxRevisionsPerCall) {
    public static final Config DEFAULT = new Config(1024, Duration.ofMillis(100), 1024, 256);

    public Config {
      if (queueCapacity < 1 || maxEventsPerRead < 1 || maxRevisionsPerCall < 1) {
        throw new IllegalArgumentException("watch limits must be positive: " + queueCapacity + ", "
            + maxEventsPerRead + ", " + maxRevisionsPerCall);
      }
      Objects.requireNonNull(syncInterval, "syncInterval");
    }
  }

  private final EventHistory history;
  private final Config config;
  private final AtomicLong ids = new AtomicLong();

  /**
   * Guards every field below and each watcher's {@code group} and {@code nextRevision}. Backends call
   * {@link #publish} while holding their own write lock, so the order is always backend lock, then this one; this
   * lock is never held while reading history or calling a listener.
   */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition syncWanted = lock.newCondition();
  private long lastRevision;
  private final List<Watcher> synced = new ArrayList<>();
  private final List<Watcher> unsynced = new ArrayList<>();
  private boolean syncRequested;
  private boolean closed;

  private final Thread syncThread;

  /** @param lastRevision the backend's current revision: the next {@link #publish} is for the one after it */
  public WatchHub(EventHistory history, long lastRevision, Config config) {
    this.history = Objects.requireNonNull(history, "history");
    this.config = Objects.requireNonNull(config, "config");
    this.lastRevision = lastRevision;
    this.syncThread = Thread.ofVirtual().name("kava-watch-sync").start(this::syncLoop);
  }

  /**
   * Registers a watch.
   *
   * @param startRevision   0 for "from the next revision on", else the first revision wanted
   * @param compactRevision the backend's compaction point now; a start at or below it is answered with
   *                        {@link WatchListener#onCompacted} (compactions that happen later are found by the history)
   */
  public Watch watch(KeyRange range, long startRevision, long compactRevision, WatchListener listener) {
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(listener, "listener");
    if (startRevision < 0) throw new IllegalArgumentException("negative start revision " + startRevision);
    Watcher w = new Watcher(ids.incrementAndGet(), range, listener);
    lock.lock();
    try {
      if (closed) throw new StoreException("store is closed");
      if (startRevision != 0 && startRevision <= compactRevision) {
        w.finish(new Terminal.Compacted(compactRevision));
      } else if (startRevision == 0 || startRevision > lastRevision) {
        w.nextRevision = startRevision == 0 ? lastRevision + 1 : startRevision;
        w.group = Group.SYNCED;
        synced.add(w);
      } else {
        w.nextRevision = startRevision;
        moveToUnsyncedLocked(w);
      }
    } finally {
      lock.unlock();
    }
    w.start();
    return w;
  }

  /**
   * Hands the events of one committed revision to the watchers. Called by the backend's writer, for every revision,
   * in order, once the revision is durable and readable through the history. Never blocks on watchers.
   *
   * @param events the revision's events, immutable
   */
  public void publish(long revision, List<Event> events) {
    lock.lock();
    try {
      if (closed) return;
      if (revision != lastRevision + 1) {
        throw new IllegalStateException("revision " + revision + " published after " + lastRevision);
      }
      lastRevision = revision;
      List<Watcher> victims = null;
      for (Watcher w : synced) {
        if (revision < w.nextRevision) continue; // started at a future revision
        List<Event> mine = w.range.filter(events, e -> e.kv().key());
        if (!mine.isEmpty()) {
          if (w.queue.size() >= config.queueCapacity()) {
            if (victims == null) victims = new ArrayList<>();
            victims.add(w); // nextRevision stays here: the catch-up loop rereads this revision
            continue;
          }
          w.queue.add(mine);
        }
        w.nextRevision = revision + 1;
      }
      if (victims != null) {
        synced.removeAll(victims);
        for (Watcher v : victims) moveToUnsyncedLocked(v);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops every watch with {@link WatchListener#onClosed}(null) after what is queued, and the catch-up loop. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) return;
      closed = true;
      for (List<Watcher> group : List.of(synced, unsynced)) {
        for (Watcher w : group) {
          w.group = Group.NONE; // a catch-up read still running must not queue behind the end
          w.finish(new Terminal.Closed(null));
        }
      }
      synced.clear();
      unsynced.clear();
      syncWanted.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      // The loop may be inside one history read; the backend closes its connections only after this.
      if (!syncThread.join(Duration.ofSeconds(10))) log.warn("watch catch-up loop did not stop within 10s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Watchers delivered live / being caught up (for tests and metrics). */
  public int[] groupSizes() {
    lock.lock();
    try {
      return new int[] {synced.size(), unsynced.size()};
    } finally {
      lock.unlock();
    }
  }

  private void moveToUnsyncedLocked(Watcher w) {
    w.group = Group.UNSYNCED;
    w.catchingUp = true;
    unsynced.add(w);
    requestSyncLocked();
  }

  private void requestSyncLocked() {
    syncRequested = true;
    syncWanted.signal();
  }

  private void requestSync() {
    lock.lock();
    try {
      requestSyncLocked();
    } finally {
      lock.unlock();
    }
  }

  private void remove(Watcher w) {
    lock.lock();
    try {
      if (w.group == Group.SYNCED) synced.remove(w);
      else if (w.group == Group.UNSYNCED) unsynced.remove(w);
      w.group = Group.NONE;
    } finally {
      lock.unlock();
    }
  }

  // ---- catch-up loop

  private void syncLoop() {
    long intervalNanos = config.syncInterval().toNanos();
    while (true) {
      List<Watcher> work;
      lock.lock();
      try {
        if (!syncRequested && !closed) {
          if (unsynced.isEmpty()) {
            while (!syncRequested && !closed) syncWanted.awaitUninterruptibly();
          } else {
            syncWanted.awaitNanos(intervalNanos);
          }
        }
        if (closed) return;
        syncRequested = false;
        if (unsynced.isEmpty()) continue;
        work = new ArrayList<>(unsynced);
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      boolean progressed = false;
      for (Watcher w : work) progressed |= catchUp(w);
      if (progressed) requestSync(); // keep reading while watchers take more
    }
  }

  /** One history read for one unsynced watcher; returns whether it moved on. */
  private boolean catchUp(Watcher w) {
    long from;
    long to;
    lock.lock();
    try {
      if (w.group != Group.UNSYNCED) return false;
      from = w.nextRevision;
      to = lastRevision;
      if (from > to) { // already caught up
        toSyncedLocked(w);
        return true;
      }
    } finally {
      lock.unlock();
    }
    int room = config.queueCapacity() - w.queue.size();
    if (room <= 0) return false;
    EventHistory.Chunk chunk;
    try {
      chunk = history.read(w.range, from, to, Math.min(room, config.maxEventsPerRead()));
    } catch (CompactedException e) {
      remove(w);
      w.finish(new Terminal.Compacted(e.compactRevision()));
      return true;
    } catch (RuntimeException e) {
      log.warn("reading watch history from revision {} failed; will retry", from, e);
      return false;
    }
    lock.lock();
    try {
      if (w.group != Group.UNSYNCED || w.nextRevision != from) return false; // closed meanwhile
      for (List<Event> revision : chunk.revisions()) w.queue.add(revision);
      w.nextRevision = chunk.scannedThrough() + 1;
      if (w.nextRevision > lastRevision) toSyncedLocked(w);
    } finally {
      lock.unlock();
    }
    return true;
  }

  private void toSyncedLocked(Watcher w) {
    unsynced.remove(w);
    synced.add(w);
    w.group = Group.SYNCED;
    w.catchingUp = false;
  }

  // ---- watchers

  private enum Group { NONE, SYNCED, UNSYNCED }

  /** The last item a watcher's queue can hold: what ends its delivery. */
  private sealed interface Terminal {
    record Stop() implements Terminal {}

    record Compacted(long compactRevision) implements Terminal {}

    record Closed(Throwable cause) implements Terminal {}
  }

  private final class Watcher implements Watch {
    final long id;
    final KeyRange range;
    final WatchListener listener;
    /** Revision event lists, then possibly one {@link Terminal}. Writers: the hub (under lock); reader: delivery. */
    final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    // Guarded by WatchHub.lock.
    Group group = Group.NONE;
    long nextRevision;

    /** Whether the catch-up loop wants to hear when this watcher's queue drains (read without the lock). */
    volatile boolean catchingUp;
    volatile boolean closed;

    Watcher(long id, KeyRange range, WatchListener listener) {
      this.id = id;
      this.range = range;
      this.listener = listener;
    }

    void start() {
      Thread.ofVirtual().name("kava-watch-" + id).start(this::deliverLoop);
    }

    /** Queues the end of this watch; called once, after the watcher left its group (or never joined one). */
    void finish(Terminal terminal) {
      queue.add(terminal);
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      remove(this);
      queue.add(new Terminal.Stop());
    }

    @SuppressWarnings("unchecked")
    private void deliverLoop() {
      List<Object> drained = new ArrayList<>();
      int half = Math.max(1, config.queueCapacity() / 2);
      while (true) {
        try {
          drained.add(queue.take());
        } catch (InterruptedException e) {
          return;
        }
        queue.drainTo(drained, config.maxRevisionsPerCall() - 1);
        List<Event> events = null;
        List<Event> single = null;
        Terminal terminal = null;
        for (Object item : drained) {
          if (item instanceof Terminal t) {
            terminal = t;
            break;
          }
          List<Event> revision = (List<Event>) item;
          if (single == null && events == null) {
            single = revision;
          } else {
            if (events == null) events = new ArrayList<>(single);
            events.addAll(revision);
          }
        }
        drained.clear();
        if (closed) return;
        List<Event> batch = events != null ? Collections.unmodifiableList(events) : single;
        if (batch != null) {
          try {
            listener.onEvents(batch);
          } catch (RuntimeException e) {
            log.error("watch {} listener failed on events up to revision {}", id, batch.getLast().revision(), e);
          }
        }
        if (terminal != null) {
          if (!closed) deliverTerminal(terminal);
          return;
        }
        if (catchingUp && queue.size() <= half) requestSync();
      }
    }

    private void deliverTerminal(Terminal terminal) {
      try {
        switch (terminal) {
          case Terminal.Compacted c -> listener.onCompacted(c.compactRevision());
          case Terminal.Closed c -> listener.onClosed(c.cause());
          case Terminal.Stop s -> { }
        }
      } catch (RuntimeException e) {
        log.error("watch {} listener failed on {}", id, terminal, e);
      }
    }

    @Override
    public String toString() { return "watch " + id + " " + range; }
  }
}
