package io.kava.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The on-disk layout, after etcd's MVCC store:
 *
 * <ul>
 *   <li>{@code history}: every change since the last compaction, keyed by {@link Ids id} (revision order), so it
 *       only ever grows at its end. A deletion is a row with {@code version = 0} and no value. {@code prev_id} is
 *       the id of the key's previous live row (null after a creation): it gives an event's prevKv, the state at a
 *       past revision, and the rows a compaction drops, each by rowid lookup. The value is stored only here.
 *   <li>{@code latest}: one small row per live key pointing at its newest history row, with what compares and puts
 *       need (mod revision is {@code id >> 16}), so reads and writes at the latest revision are index lookups.
 *   <li>{@code meta}: {@code compact_rev} (the compaction point, readers honour it at once) and {@code compact_done}
 *       (how far old rows have been removed; behind compact_rev only while a compaction runs or after a crash
 *       interrupted one, which the next open resumes).
 * </ul>
 *
 * A write thus changes two B-trees: the end of {@code history} (shared by the whole batch) and one {@code latest}
 * leaf. There is deliberately no (key, id) index on history: it would cost a third, randomly placed page per write.
 *
 * <p>The current revision is not stored: it is {@code max(max(id) >> 16, compact_rev)}, since only rows at or below
 * the compaction point are ever deleted. Opening therefore reads two values and scans nothing.
 */
final class Schema {
  static final int VERSION = 1;

  private static final String[] DDL = {
    "CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
    // value last: reading the other columns never touches a large value's overflow pages
    "CREATE TABLE IF NOT EXISTS history(id INTEGER PRIMARY KEY, key TEXT NOT NULL,"
        + " create_rev INTEGER NOT NULL, version INTEGER NOT NULL, prev_id INTEGER, value BLOB)",
    "CREATE TABLE IF NOT EXISTS latest(key TEXT PRIMARY KEY, id INTEGER NOT NULL,"
        + " create_rev INTEGER NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID",
    "INSERT OR IGNORE INTO meta(name, value) VALUES ('schema', " + VERSION + "), ('compact_rev', 0),"
        + " ('compact_done', 0)",
  };

  /** mmap lets every connection read pages from the OS cache without copying them into its own page cache. */
  private static final long MMAP_BYTES = 1L << 30;

  /** The WAL is truncated back to this size after a checkpoint has emptied it. */
  private static final long WAL_SIZE_LIMIT = 64L << 20;

  /**
   * Pages of WAL after which the writer checkpoints itself. {@link Checkpointer} copies most frames before; this
   * finishes the rest and lets the WAL restart from its start (SQLite's default is 1000).
   */
  private static final int WRITER_CHECKPOINT_PAGES = 8000;

  record State(long currentRevision, long compactRevision, long compactDone) {}

  private Schema() {}

  /**
   * Opens the write connection. SQLite itself always runs with {@code synchronous=NORMAL}: commits are written to
   * the WAL without a sync, and {@link SqliteStore.Sync#FULL} syncs the WAL itself, off the writer thread (see
   * {@link Syncer}).
   */
  static Connection openWriter(Path file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
        if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
          throw new SQLException("could not switch " + file + " to WAL mode");
        }
      }
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA journal_size_limit=" + WAL_SIZE_LIMIT);
      s.execute("PRAGMA wal_autocheckpoint=" + WRITER_CHECKPOINT_PAGES);
      s.execute("PRAGMA mmap_size=" + MMAP_BYTES);
      s.execute("PRAGMA cache_size=-16384"); // KiB: the writer's index pages stay hot
      s.execute("PRAGMA temp_store=MEMORY");
      for (String ddl : DDL) s.execute(ddl);
      try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE name = 'schema'")) {
        long v = rs.next() ? rs.getLong(1) : -1;
        if (v != VERSION) throw new SQLException(file + " has store schema " + v + ", this kava reads " + VERSION);
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    c.setAutoCommit(false);
    return c;
  }

  static Connection openReader(Path file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      s.execute("PRAGMA query_only=1");
      s.execute("PRAGMA mmap_size=" + MMAP_BYTES);
      s.execute("PRAGMA cache_size=-4096");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    c.setAutoCommit(false); // each read runs in one snapshot, ended by commit()
    return c;
  }

  static State load(Connection c) throws SQLException {
    long compactRev = meta(c, "compact_rev");
    long compactDone = meta(c, "compact_done");
    long maxId;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(id) FROM history")) {
      maxId = rs.next() ? rs.getLong(1) : 0;
    }
    c.commit();
    return new State(Math.max(Ids.revision(maxId), compactRev), compactRev, compactDone);
  }

  static long meta(Connection c, String name) throws SQLException {
    try (var ps = c.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) throw new SQLException("meta value " + name + " missing");
        return rs.getLong(1);
      }
    }
  }
}
