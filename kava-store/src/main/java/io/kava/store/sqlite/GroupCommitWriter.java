package io.kava.store.sqlite;

import io.kava.store.Compare;
import io.kava.store.Event;
import io.kava.store.FutureRevisionException;
import io.kava.store.KeyValue;
import io.kava.store.Op;
import io.kava.store.StoreException;
import io.kava.store.TxnResult;
import io.kava.store.watch.WatchHub;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: one platform thread owns the write connection and turns queued txns into SQLite transactions.
 *
 * <p>Group commit: the writer takes every txn queued while it was busy (up to {@code maxBatch}) and runs them in one
 * SQLite transaction, one after another, each evaluating its compares against the state the txns before it left
 * and getting the next revision if it writes. One commit, and one WAL sync by the {@link Syncer}, then make the
 * whole batch durable; only after that do the callers return and the watchers hear of it. If the batch fails, it is
 * rolled back and its txns are retried one per transaction, so only a txn that fails on its own reports failure.
 *
 * <p>Compaction is done here too, in short steps between batches, so it never holds writers back for long.
 */
final class GroupCommitWriter {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** Revisions one compaction step cleans up; each step is its own short transaction between batches. */
  static final int COMPACTION_STEP_REVISIONS = 500;

  /**
   * While txns keep coming, a compaction step runs only this long after the previous one ended, so compaction takes
   * at most about half of a busy writer's time (and all of an idle one's).
   */
  private static final long COMPACTION_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final long COMPACTION_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final String INSERT_HISTORY =
      "INSERT INTO history(id, key, create_rev, version, prev_id, value) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String UPSERT_LATEST =
      "INSERT INTO latest(key, id, create_rev, version) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE"
          + " SET id = excluded.id, create_rev = excluded.create_rev, version = excluded.version";
  private static final String DELETE_LATEST = "DELETE FROM latest WHERE key = ?";
  private static final String SET_META = "UPDATE meta SET value = ? WHERE name = ?";
  // A row at or below the compaction point that a newer row at or below it replaced is superseded; so is a deletion
  // there. One step handles the rows of revisions [?1, ?2): it drops the rows they replaced, and the deletions.
  private static final String COMPACT_SUPERSEDED =
      "DELETE FROM history WHERE id IN (SELECT prev_id FROM history WHERE id >= ?1 AND id < ?2 AND prev_id NOT NULL)";
  private static final String COMPACT_DELETIONS = "DELETE FROM history WHERE id >= ?1 AND id < ?2 AND version = 0";

  private sealed interface Request {
    CompletableFuture<?> done();
  }

  private record Txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure,
      CompletableFuture<TxnResult> done) implements Request {}

  private record Compact(long revision, CompletableFuture<Void> done) implements Request {}

  private record Stop(CompletableFuture<Void> done) implements Request {}

  /** The result of one txn inside a batch; {@code events} null when it wrote nothing. */
  private record Outcome(TxnResult result, List<Event> events) {}

  private final Sql sql; // writer thread only
  private final WatchHub hub;
  private final Syncer syncer;
  private final int maxBatch;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();

  /** Makes "check accepting, enqueue" atomic against "stop accepting, drain": no request is left behind. */
  private final ReentrantLock submitLock = new ReentrantLock();
  private boolean accepting = true; // guarded by submitLock

  /** Written by the writer thread after a commit, before publishing and before the callers return. */
  private volatile long currentRevision;
  /**
   * Written by the writer thread just before each commit: no reader can see a revision above it. A reader that
   * reads it after reading knows what to wait for before it may show what it read (see {@link Syncer}).
   */
  private volatile long visibleBound;
  /** Written by the writer thread once the new compaction point is committed. */
  private volatile long compactRevision;

  // Counters: written by the writer thread only (volatile so stats() may read them).
  private volatile long batches;
  private volatile long txnsCommitted;
  private volatile long commitNanos;
  private volatile long applyNanos;

  /** How far compaction has removed rows; written by the writer thread only (volatile for compacting()). */
  private volatile long compactDone;

  // Writer thread only.
  private long compactionRetryAt;
  private long lastStepEnded;

  private final Thread thread;

  GroupCommitWriter(Sql sql, Schema.State state, WatchHub hub, Syncer syncer, int maxBatch) {
    if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1");
    this.sql = sql;
    this.hub = hub;
    this.syncer = syncer;
    this.maxBatch = maxBatch;
    this.currentRevision = state.currentRevision();
    this.visibleBound = state.currentRevision();
    this.compactRevision = state.compactRevision();
    this.compactDone = state.compactDone();
    this.compactionRetryAt = System.nanoTime();
    // A platform thread: SQLite calls are native and would pin a virtual thread's carrier anyway.
    this.thread = new Thread(this::loop, "kava-sqlite-writer");
    thread.setDaemon(true);
    thread.start();
  }

  long currentRevision() { return currentRevision; }

  long visibleBound() { return visibleBound; }

  long compactRevision() { return compactRevision; }

  SqliteStore.WriterStats stats() {
    return new SqliteStore.WriterStats(txnsCommitted, batches, applyNanos / 1000, commitNanos / 1000,
        syncer.syncs(), syncer.syncMicros());
  }

  /** Whether old rows are still being removed after a compaction (for tests). */
  boolean compacting() { return compactDone < compactRevision; }

  TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
    return await(submit(new Txn(compares, onSuccess, onFailure, new CompletableFuture<>())));
  }

  void compact(long revision) {
    await(submit(new Compact(revision, new CompletableFuture<>())));
  }

  /** Commits what was submitted before, then ends the thread and closes the connection. Idempotent. */
  void stop() {
    submitLock.lock();
    try {
      if (accepting) {
        accepting = false;
        queue.add(new Stop(new CompletableFuture<>()));
      }
    } finally {
      submitLock.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> CompletableFuture<T> submit(Request r) {
    Throwable syncFailure = syncer.failure();
    if (syncFailure != null) throw new StoreException("store could not sync its log; restart it", syncFailure);
    submitLock.lock();
    try {
      if (!accepting) throw new StoreException("store is closed");
      queue.add(r);
    } finally {
      submitLock.unlock();
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<T> done = (CompletableFuture<T>) r.done();
    return done;
  }

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new StoreException("store write failed", e.getCause());
    }
  }

  // ---- the writer thread

  private void loop() {
    List<Request> batch = new ArrayList<>();
    Throwable failure = null;
    try {
      while (true) {
        Request first;
        if (compactDone < compactRevision) {
          long wait = compactionRetryAt - System.nanoTime();
          first = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
        } else {
          first = queue.take();
        }
        if (first == null) {
          compactStep();
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        boolean stop = handle(batch);
        batch.clear();
        if (stop) return;
        long now = System.nanoTime();
        if (compactDone < compactRevision && now - compactionRetryAt >= 0
            && now - lastStepEnded >= COMPACTION_PAUSE_NANOS) {
          compactStep();
        }
      }
    } catch (InterruptedException e) {
      failure = e;
    } catch (Throwable t) {
      log.error("sqlite store writer failed; the store accepts no more writes", t);
      failure = t;
    } finally {
      shutdown(batch, failure);
    }
  }

  private boolean handle(List<Request> batch) {
    List<Txn> txns = new ArrayList<>(batch.size());
    for (Request r : batch) {
      switch (r) {
        case Txn t -> txns.add(t);
        case Compact c -> {
          commit(txns);
          txns.clear();
          startCompaction(c);
        }
        case Stop s -> {
          commit(txns);
          s.done().complete(null);
          return true; // nothing is accepted after a Stop
        }
      }
    }
    commit(txns);
    return false;
  }

  /** Runs the txns in one SQLite transaction; see the class comment. */
  private void commit(List<Txn> txns) {
    if (txns.isEmpty()) return;
    long before = currentRevision;
    long rev = before;
    List<Outcome> outcomes = new ArrayList<>(txns.size());
    try {
      long t0 = System.nanoTime();
      for (Txn t : txns) {
        Outcome o = apply(t, rev + 1);
        if (o.events() != null) rev++;
        outcomes.add(o);
      }
      long t1 = System.nanoTime();
      visibleBound = rev;
      sql.connection.commit();
      applyNanos += t1 - t0;
      commitNanos += System.nanoTime() - t1;
      batches++;
      txnsCommitted += txns.size();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      visibleBound = before;
      if (txns.size() > 1) {
        for (Txn t : txns) commit(List.of(t));
      } else {
        txns.getFirst().done().completeExceptionally(
            e instanceof RuntimeException r ? r : new StoreException("txn failed: " + e.getMessage(), e));
      }
      return;
    }
    currentRevision = rev;
    syncer.committed(rev, failure -> {
      if (failure != null) {
        StoreException e = new StoreException("txn committed but could not be made durable", failure);
        for (Txn t : txns) t.done().completeExceptionally(e);
        return;
      }
      for (Outcome o : outcomes) {
        if (o.events() != null) hub.publish(o.result().revision(), o.events());
      }
      for (int i = 0; i < txns.size(); i++) txns.get(i).done().complete(outcomes.get(i).result());
    });
  }

  /** Marks a key the txn found absent in its cache of rows. */
  private static final Queries.Row ABSENT = new Queries.Row(null, 0);

  private Outcome apply(Txn t, long rev) throws SQLException {
    // The rows this txn has looked at or written: a compare and a put on one key cost one lookup.
    Map<String, Queries.Row> rows = new HashMap<>(4);
    boolean succeeded = true;
    for (Compare c : t.compares()) {
      boolean holds = switch (c) {
        case Compare.ModRevision m -> {
          KeyValue kv = lookup(rows, m.key());
          yield (kv == null ? 0 : kv.modRevision()) == m.modRevision();
        }
      };
      if (!holds) {
        succeeded = false;
        break;
      }
    }
    List<Op> ops = succeeded ? t.onSuccess() : t.onFailure();
    List<KeyValue> results = new ArrayList<>(ops.size());
    List<Event> events = null;
    int sub = 0;
    for (Op op : ops) {
      if (op instanceof Op.Get g) {
        results.add(lookup(rows, g.key()));
        continue;
      }
      KeyValue prev = lookup(rows, op.key());
      Queries.Row prevRow = rows.get(op.key());
      if (op instanceof Op.Delete && prev == null) {
        results.add(null); // deleting nothing writes nothing
        continue;
      }
      long id = Ids.id(rev, sub++);
      PreparedStatement ins = sql.prepare(INSERT_HISTORY);
      ins.setLong(1, id);
      ins.setString(2, op.key());
      if (prev != null) ins.setLong(5, prevRow.id());
      else ins.setNull(5, Types.INTEGER);
      Event event;
      if (op instanceof Op.Put p) {
        long create = prev == null ? rev : prev.createRevision();
        long version = prev == null ? 1 : prev.version() + 1;
        ins.setLong(3, create);
        ins.setLong(4, version);
        ins.setBytes(6, p.value());
        ins.executeUpdate();
        PreparedStatement up = sql.prepare(UPSERT_LATEST);
        up.setString(1, p.key());
        up.setLong(2, id);
        up.setLong(3, create);
        up.setLong(4, version);
        up.executeUpdate();
        KeyValue kv = new KeyValue(p.key(), p.value(), create, rev, version);
        rows.put(p.key(), new Queries.Row(kv, id));
        event = new Event(Event.Type.PUT, kv, prev);
        results.add(kv);
      } else {
        ins.setLong(3, 0);
        ins.setLong(4, 0);
        ins.setNull(6, Types.BLOB);
        ins.executeUpdate();
        PreparedStatement del = sql.prepare(DELETE_LATEST);
        del.setString(1, op.key());
        del.executeUpdate();
        rows.put(op.key(), ABSENT);
        event = new Event(Event.Type.DELETE, new KeyValue(op.key(), Sql.EMPTY, 0, rev, 0), prev);
        results.add(prev);
      }
      if (events == null) events = new ArrayList<>(2);
      events.add(event);
    }
    List<KeyValue> frozen = Collections.unmodifiableList(results);
    if (events == null) return new Outcome(new TxnResult(succeeded, rev - 1, frozen), null);
    return new Outcome(new TxnResult(succeeded, rev, frozen), List.copyOf(events));
  }

  /** The key's live value as this txn sees it, loading its row into {@code rows}. */
  private KeyValue lookup(Map<String, Queries.Row> rows, String key) throws SQLException {
    Queries.Row row = rows.get(key);
    if (row == null) {
      row = Queries.latest(sql, key);
      if (row == null) row = ABSENT;
      rows.put(key, row);
    }
    return row.kv();
  }

  private void startCompaction(Compact c) {
    if (c.revision() > currentRevision) {
      c.done().completeExceptionally(new FutureRevisionException(c.revision(), currentRevision));
      return;
    }
    if (c.revision() <= compactRevision) {
      c.done().complete(null);
      return;
    }
    try {
      setMeta("compact_rev", c.revision());
      sql.connection.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      c.done().completeExceptionally(new StoreException("compaction failed: " + e.getMessage(), e));
      return;
    }
    compactRevision = c.revision(); // readers check the committed meta value; this only mirrors it
    syncer.committed(currentRevision, failure -> {
      if (failure == null) c.done().complete(null);
      else c.done().completeExceptionally(new StoreException("compaction point could not be synced", failure));
    });
  }

  private void compactStep() {
    long from = compactDone + 1;
    long to = Math.min(compactDone + COMPACTION_STEP_REVISIONS, compactRevision);
    try {
      for (String stmt : new String[] {COMPACT_SUPERSEDED, COMPACT_DELETIONS}) {
        PreparedStatement ps = sql.prepare(stmt);
        ps.setLong(1, Ids.first(from));
        ps.setLong(2, Ids.first(to + 1));
        ps.executeUpdate();
      }
      setMeta("compact_done", to);
      sql.connection.commit();
      compactDone = to;
      lastStepEnded = System.nanoTime();
      if (to == compactRevision) log.debug("compacted history up to revision {}", to);
    } catch (SQLException e) {
      rollbackQuietly();
      compactionRetryAt = System.nanoTime() + COMPACTION_RETRY_NANOS;
      log.warn("compaction step for revisions {}..{} failed; retrying in 5s", from, to, e);
    }
  }

  private void setMeta(String name, long value) throws SQLException {
    PreparedStatement ps = sql.prepare(SET_META);
    ps.setLong(1, value);
    ps.setString(2, name);
    ps.executeUpdate();
  }

  private void rollbackQuietly() {
    try {
      sql.connection.rollback();
    } catch (SQLException e) {
      log.warn("rollback failed", e);
    }
  }

  private void shutdown(List<Request> unfinished, Throwable failure) {
    submitLock.lock();
    try {
      accepting = false;
    } finally {
      submitLock.unlock();
    }
    List<Request> left = new ArrayList<>(unfinished);
    queue.drainTo(left);
    StoreException closed = failure == null
        ? new StoreException("store is closed")
        : new StoreException("store writer failed", failure);
    for (Request r : left) r.done().completeExceptionally(closed); // no-op for those already completed
    sql.close();
    log.debug("writer stopped: {}", stats());
  }
}
