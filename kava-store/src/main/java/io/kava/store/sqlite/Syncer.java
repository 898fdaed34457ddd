package io.kava.store.sqlite;

import io.kava.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges committed batches, in commit order, once they are durable.
 *
 * <p>Under {@link SqliteStore.Sync#FULL} a platform thread syncs the WAL file ({@code fdatasync}) and then runs the
 * acknowledgements of every batch committed before the sync began (publishing to watchers, returning to callers).
 * Meanwhile the writer already runs the next batch, so one batch's sync overlaps the next one's work, where SQLite's
 * own {@code synchronous=FULL} would sync inline at each commit with the writer idle. It is the same guarantee: in
 * WAL mode with {@code synchronous=NORMAL} a commit writes its frames to the WAL, and a sync of the WAL after the
 * commit makes them durable exactly as FULL's inline sync does (checkpoints sync on their own in NORMAL mode; the
 * WAL file is the same inode for as long as the store holds connections open).
 *
 * <p>One difference remains: another connection may see a commit before it is synced. Readers therefore call
 * {@link #awaitDurable} before returning, so no one observes a write that power loss could take back.
 *
 * <p>Under {@link SqliteStore.Sync#NORMAL} acknowledgements run at once on the writer thread.
 */
final class Syncer {
  private static final Logger log = LoggerFactory.getLogger(Syncer.class);

  /** An acknowledgement: called with null once durable, or with the failure that prevents it. */
  private record Pending(long revision, Consumer<Throwable> ack) {}

  private static final Pending STOP = new Pending(-1, t -> { });

  private final FileChannel wal; // null: Sync.NORMAL
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  /** Every revision up to this one is durable. Written by the sync thread (the writer under NORMAL). */
  private volatile long durableRevision;
  /** Set once a sync failed: nothing after it can be acknowledged, and the store takes no more writes. */
  private volatile Throwable failure;

  // Counters, written by the sync thread only.
  private volatile long syncs;
  private volatile long syncNanos;

  private final ReentrantLock lock = new ReentrantLock(); // only for waiting readers
  private final Condition advanced = lock.newCondition();

  Syncer(Path dbFile, SqliteStore.Sync sync, long revision) throws IOException {
    this.durableRevision = revision;
    if (sync == SqliteStore.Sync.NORMAL) {
      this.wal = null;
      this.thread = null;
      return;
    }
    // The write connection has been used, so SQLite has created the WAL file; it keeps it until its last connection
    // closes, which is after this channel is closed.
    this.wal = FileChannel.open(dbFile.resolveSibling(dbFile.getFileName() + "-wal"), StandardOpenOption.READ);
    this.thread = new Thread(this::loop, "kava-sqlite-sync");
    thread.setDaemon(true);
    thread.start();
  }

  /** Called by the writer after each commit, in order; {@code revision} is the store revision after it. */
  void committed(long revision, Consumer<Throwable> ack) {
    if (wal == null) {
      durableRevision = revision;
      ack.accept(null);
      return;
    }
    queue.add(new Pending(revision, ack));
  }

  Throwable failure() { return failure; }

  /** Every revision up to this one is durable, and no txn above it has been acknowledged. */
  long durableRevision() { return durableRevision; }

  long syncs() { return syncs; }

  long syncMicros() { return syncNanos / 1000; }

  /** Waits until {@code revision} is durable (at once under NORMAL, where commits are the limit). */
  void awaitDurable(long revision) {
    if (wal == null || durableRevision >= revision) return;
    lock.lock();
    try {
      while (durableRevision < revision) {
        if (failure != null) throw new StoreException("store could not sync its log", failure);
        advanced.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Acknowledges what was committed before, then ends the thread. */
  void stop() {
    if (thread == null) return;
    queue.add(STOP);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      wal.close();
    } catch (IOException ignored) {
      // read-only channel
    }
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch);
      boolean stop = batch.getLast() == STOP;
      if (stop) batch.removeLast(); // STOP is always last: the writer has stopped before it is queued
      Throwable failed = failure;
      if (failed == null && !batch.isEmpty()) {
        try {
          long t0 = System.nanoTime();
          wal.force(false);
          syncNanos += System.nanoTime() - t0;
          syncs++;
        } catch (IOException | RuntimeException e) {
          // After a failed fsync the kernel may have dropped the dirty pages: nothing written since can be trusted.
          log.error("syncing the store's WAL failed; the store accepts no more writes", e);
          failed = e;
          failure = e;
        }
      }
      if (failed == null && !batch.isEmpty()) {
        durableRevision = batch.getLast().revision();
        lock.lock();
        try {
          advanced.signalAll();
        } finally {
          lock.unlock();
        }
      } else if (failed != null) {
        lock.lock();
        try {
          advanced.signalAll();
        } finally {
          lock.unlock();
        }
      }
      for (Pending p : batch) {
        try {
          p.ack().accept(failed);
        } catch (RuntimeException e) {
          log.error("acknowledging revision {} failed", p.revision(), e);
        }
      }
      batch.clear();
      if (stop) return;
    }
  }
}
