package io.kava.store.sqlite;

import io.kava.store.StoreException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read connections. In WAL mode each read sees the last commit at its start and never waits for the writer.
 *
 * <p>A call into SQLite is a native call, which pins a virtual thread to its carrier; with two cores a long range
 * would stall half of the API server's virtual threads. So reads asked for on a virtual thread run on this pool's
 * platform threads (one per connection) while the caller parks; platform callers use a connection directly.
 */
final class ReadPool implements AutoCloseable {
  interface Work<T> {
    T run(Sql sql) throws SQLException;
  }

  /** Connections not in use; a read takes one for its duration. */
  private final ArrayBlockingQueue<Sql> idle;
  private final int size;
  private final ExecutorService executor;
  private volatile boolean closed;

  ReadPool(Path file, int size) throws SQLException {
    if (size < 1) throw new IllegalArgumentException("read connections must be at least 1");
    this.size = size;
    this.idle = new ArrayBlockingQueue<>(size);
    try {
      for (int i = 0; i < size; i++) idle.add(new Sql(Schema.openReader(file)));
    } catch (SQLException e) {
      idle.forEach(Sql::close);
      throw e;
    }
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(size, r -> {
      Thread t = new Thread(r, "kava-sqlite-reader-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code work} in one read snapshot. */
  <T> T read(Work<T> work) {
    if (closed) throw new StoreException("store is closed");
    if (!Thread.currentThread().isVirtual()) return readHere(work);
    Future<T> f;
    try {
      f = executor.submit(() -> readHere(work));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new StoreException("store is closed");
    }
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new StoreException("read failed", e.getCause());
    } catch (InterruptedException e) {
      f.cancel(false);
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while reading");
    }
  }

  private <T> T readHere(Work<T> work) {
    Sql sql;
    try {
      sql = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a read connection");
    }
    try {
      if (closed) throw new StoreException("store is closed");
      boolean done = false;
      try {
        T result = work.run(sql);
        sql.connection.commit(); // ends the snapshot so checkpoints can move past it
        done = true;
        return result;
      } finally {
        if (!done) sql.connection.rollback();
      }
    } catch (SQLException e) {
      throw new StoreException("read failed: " + e.getMessage(), e);
    } finally {
      idle.add(sql);
    }
  }

  /** Waits (boundedly) for reads in progress, then closes every connection. */
  @Override
  public void close() {
    closed = true;
    executor.shutdown();
    List<Sql> taken = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try {
      while (taken.size() < size) {
        Sql s = idle.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (s == null) break;
        taken.add(s);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    taken.forEach(Sql::close);
  }
}
