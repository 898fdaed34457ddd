package io.kava.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file on its own connection and thread, so the writer rarely has to.
 *
 * <p>SQLite checkpoints in the committing connection once the WAL passes {@code wal_autocheckpoint} pages; that
 * copy and its two syncs would sit on the writer's critical path. This thread runs a PASSIVE checkpoint (which
 * waits for no one) every {@link #PERIOD} while commits happen. The writer keeps a larger auto-checkpoint as a
 * backstop: it then finds the frames already copied, finishes the rest, and lets the WAL restart from its start.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

  static final Duration PERIOD = Duration.ofMillis(100);

  private final Connection connection;
  private final LongSupplier commits;
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock(); // guards closed
  private final Condition wake = lock.newCondition();
  private boolean closed;

  /** @param commits a counter that moves whenever the writer commits */
  Checkpointer(Path file, LongSupplier commits) throws SQLException {
    this.connection = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA busy_timeout=1000");
    }
    this.commits = commits;
    this.thread = new Thread(this::loop, "kava-sqlite-checkpoint");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long seen = commits.getAsLong();
    while (true) {
      lock.lock();
      try {
        long left = PERIOD.toNanos();
        while (!closed && left > 0) left = wake.awaitNanos(left);
        if (closed) return;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      long now = commits.getAsLong();
      if (now == seen) continue;
      seen = now;
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(PASSIVE)");
      } catch (SQLException e) {
        log.debug("background checkpoint failed; the writer's own checkpoints still run", e);
      }
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
  }
}
