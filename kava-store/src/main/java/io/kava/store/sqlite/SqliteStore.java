package io.kava.store.sqlite;

import io.kava.store.Compare;
import io.kava.store.KeyValue;
import io.kava.store.Op;
import io.kava.store.RangeResult;
import io.kava.store.Store;
import io.kava.store.StoreException;
import io.kava.store.TxnResult;
import io.kava.store.Watch;
import io.kava.store.WatchListener;
import io.kava.store.support.KeyRange;
import io.kava.store.support.TxnChecks;
import io.kava.store.watch.WatchHub;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded durable store: one SQLite file in WAL mode (see {@link Schema} for the layout).
 *
 * <p>Writes go through one writer thread with group commit ({@link GroupCommitWriter}); a txn returns once its batch
 * is committed, and under {@link Sync#FULL} (the default) synced to disk. Reads run on separate read connections and
 * never wait for the writer; under FULL a read that saw a commit still being synced waits for that sync (at most
 * one fsync). A watch replays old revisions from the history table, then goes live.
 *
 * <p>Threads (all daemons): one platform writer thread, one platform sync thread (under {@link Sync#FULL}), one
 * platform checkpoint thread, {@code readConnections} platform reader threads (serving reads asked for on virtual
 * threads), one virtual thread for watch catch-up and one per open watch. {@link #close()} commits the txns already
 * submitted, ends every watch with {@link WatchListener#onClosed}, stops the threads and releases the file; later
 * calls fail with {@link StoreException}.
 *
 * <p>One process at a time: a {@code <file>.lock} file is locked while the store is open.
 */
public final class SqliteStore implements Store {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  /** When a commit reaches the disk. Both survive a killed process; only FULL survives power loss or a kernel crash. */
  public enum Sync {
    /**
     * Each group commit's WAL frames are synced ({@code fdatasync}) before its callers return and before anyone can
     * read it: SQLite's {@code synchronous=FULL} guarantee, with the sync pipelined off the writer thread.
     */
    FULL,
    /**
     * SQLite's {@code synchronous=NORMAL}: commits are handed to the OS (so they survive kill -9) and synced at
     * checkpoints only; power loss may take back the last acknowledged writes.
     */
    NORMAL
  }

  /**
   * @param sync            commit durability; {@link Sync#FULL} unless the host's power loss is acceptable
   * @param readConnections read connections, each with its own platform thread
   * @param maxBatch        most txns one group commit takes
   * @param watch           watch delivery limits
   */
  public record Options(Sync sync, int readConnections, int maxBatch, WatchHub.Config watch) {
    public Options {
      Objects.requireNonNull(sync, "sync");
      Objects.requireNonNull(watch, "watch");
      if (readConnections < 1 || maxBatch < 1) throw new IllegalArgumentException("readConnections and maxBatch >= 1");
    }

    public static Options defaults() { return new Options(Sync.FULL, 3, 1024, WatchHub.Config.DEFAULT); }

    public Options withSync(Sync sync) { return new Options(sync, readConnections, maxBatch, watch); }

    public Options withWatch(WatchHub.Config watch) { return new Options(sync, readConnections, maxBatch, watch); }
  }

  /**
   * What the writer has done since the store opened.
   *
   * @param txns         txns committed (including those whose compares failed)
   * @param batches      SQLite transactions they were grouped into
   * @param applyMicros  time spent running txns inside batches
   * @param commitMicros time spent committing batches (writing the WAL)
   * @param syncs        WAL syncs under {@link Sync#FULL} (one covers every batch committed before it began)
   * @param syncMicros   time spent in them
   */
  public record WriterStats(long txns, long batches, long applyMicros, long commitMicros, long syncs,
      long syncMicros) {
    public WriterStats minus(WriterStats o) {
      return new WriterStats(txns - o.txns, batches - o.batches, applyMicros - o.applyMicros,
          commitMicros - o.commitMicros, syncs - o.syncs, syncMicros - o.syncMicros);
    }

    @Override
    public String toString() {
      return String.format("%d txns in %d batches (%.1f per batch), apply %.1f us/txn, commit %.0f us/batch,"
              + " %d syncs (%.1f txns, %.0f us each)", txns, batches, (double) txns / Math.max(1, batches),
          (double) applyMicros / Math.max(1, txns), (double) commitMicros / Math.max(1, batches), syncs,
          (double) txns / Math.max(1, syncs), (double) syncMicros / Math.max(1, syncs));
    }
  }

  private final Path file;
  private final FileChannel lockChannel;
  private final ReadPool reads;
  private final WatchHub hub;
  private final Syncer syncer;
  private final GroupCommitWriter writer;
  private final Checkpointer checkpointer;
  private volatile boolean closed;

  public SqliteStore(Path file) {
    this(file, Options.defaults());
  }

  public SqliteStore(Path file, Options options) {
    this.file = file.toAbsolutePath();
    Objects.requireNonNull(options, "options");
    this.lockChannel = lock(this.file);
    SqliteNativeLibrary.useCopyUnder(this.file.getParent().resolve("native"));
    Sql writeConnection = null;
    ReadPool readPool = null;
    WatchHub watchHub = null;
    Syncer sync = null;
    GroupCommitWriter w = null;
    try {
      writeConnection = new Sql(Schema.openWriter(this.file));
      Schema.State state = Schema.load(writeConnection.connection);
      readPool = new ReadPool(this.file, options.readConnections());
      ReadPool history = readPool;
      watchHub = new WatchHub((range, from, to, max) -> history.read(s -> Queries.history(s, range, from, to, max)),
          state.currentRevision(), options.watch());
      sync = new Syncer(this.file, options.sync(), state.currentRevision());
      w = new GroupCommitWriter(writeConnection, state, watchHub, sync, options.maxBatch());
      writeConnection = null; // the writer owns it now
      GroupCommitWriter counted = w;
      this.checkpointer = new Checkpointer(this.file, () -> counted.stats().batches());
      log.info("opened store {} at revision {} (compacted at {}, sync {})", this.file, state.currentRevision(),
          state.compactRevision(), options.sync());
    } catch (SQLException | IOException | RuntimeException e) {
      if (w != null) w.stop();
      if (sync != null) sync.stop();
      if (watchHub != null) watchHub.close();
      if (readPool != null) readPool.close();
      if (writeConnection != null) writeConnection.close();
      closeQuietly(lockChannel);
      throw e instanceof RuntimeException r ? r : new StoreException("cannot open store " + this.file, e);
    }
    this.writer = w;
    this.reads = readPool;
    this.hub = watchHub;
    this.syncer = sync;
  }

  private static FileChannel lock(Path file) {
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    FileChannel ch = null;
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) throw new StoreException("store " + file + " is open in another process");
      return ch;
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      throw new StoreException("store " + file + " is already open in this process");
    } catch (IOException e) {
      closeQuietly(ch);
      throw new StoreException("cannot lock " + lockFile, e);
    } catch (StoreException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) return;
    try {
      ch.close(); // releases the lock
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  public Path file() { return file; }

  @Override
  public long currentRevision() { return writer.currentRevision(); }

  /** Durable is acknowledged: the {@link Syncer} advances it before it acknowledges a batch's txns. */
  @Override
  public long acknowledgedRevision() { return syncer.durableRevision(); }

  @Override
  public long compactRevision() { return writer.compactRevision(); }

  @Override
  public Optional<KeyValue> get(String key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    Queries.Row row = reads.read(s -> Queries.latest(s, key));
    syncer.awaitDurable(writer.visibleBound()); // show nothing that power loss could take back
    return Optional.ofNullable(row == null ? null : row.kv());
  }

  @Override
  public RangeResult range(String start, String end, long revision, long limit) {
    if (revision < 0 || limit < 0) throw new IllegalArgumentException("negative revision or limit");
    KeyRange range = KeyRange.of(start, end);
    ensureOpen();
    RangeResult r = reads.read(s -> Queries.range(s, range, revision, limit));
    syncer.awaitDurable(r.revision());
    return r;
  }

  @Override
  public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
    TxnChecks.check(compares, onSuccess, onFailure);
    ensureOpen();
    if (!TxnChecks.writes(onSuccess) && !TxnChecks.writes(onFailure)) {
      TxnResult r = reads.read(s -> readOnlyTxn(s, compares, onSuccess, onFailure)); // need not queue behind writes
      syncer.awaitDurable(r.revision());
      return r;
    }
    return writer.txn(List.copyOf(compares), List.copyOf(onSuccess), List.copyOf(onFailure));
  }

  private static TxnResult readOnlyTxn(Sql s, List<Compare> compares, List<Op> onSuccess, List<Op> onFailure)
      throws SQLException {
    boolean succeeded = true;
    for (Compare c : compares) {
      boolean holds = switch (c) {
        case Compare.ModRevision m -> {
          Queries.Row row = Queries.latest(s, m.key());
          yield (row == null ? 0 : row.kv().modRevision()) == m.modRevision();
        }
      };
      if (!holds) {
        succeeded = false;
        break;
      }
    }
    List<KeyValue> results = new ArrayList<>();
    for (Op op : succeeded ? onSuccess : onFailure) {
      Queries.Row row = Queries.latest(s, op.key());
      results.add(row == null ? null : row.kv());
    }
    return new TxnResult(succeeded, Queries.snapshot(s).revision(), Collections.unmodifiableList(results));
  }

  @Override
  public Watch watch(String start, String end, long startRevision, WatchListener listener) {
    KeyRange range = KeyRange.of(start, end);
    ensureOpen();
    // "From the next write on" is after currentRevision(), which may be ahead of what watchers have been sent.
    long from = startRevision == 0 ? writer.currentRevision() + 1 : startRevision;
    return hub.watch(range, from, writer.compactRevision(), listener);
  }

  @Override
  public void compact(long revision) {
    ensureOpen();
    writer.compact(revision);
  }

  public WriterStats writerStats() { return writer.stats(); }

  /** Whether old history rows are still being removed after {@link #compact} returned (for tests). */
  boolean compacting() { return writer.compacting(); }

  @Override
  public void close() {
    synchronized (this) { // close is rare and never on a hot path
      if (closed) return;
      closed = true;
    }
    writer.stop();
    syncer.stop();
    checkpointer.close();
    hub.close();
    reads.close();
    closeQuietly(lockChannel);
    log.info("closed store {} at revision {}", file, writer.currentRevision());
  }

  private void ensureOpen() {
    if (closed) throw new StoreException("store is closed");
  }
}
