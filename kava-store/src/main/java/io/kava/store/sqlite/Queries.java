package io.kava.store.sqlite;

import io.kava.store.CompactedException;
import io.kava.store.Event;
import io.kava.store.FutureRevisionException;
import io.kava.store.KeyValue;
import io.kava.store.RangeResult;
import io.kava.store.support.KeyOrder;
import io.kava.store.support.KeyRange;
import io.kava.store.watch.EventHistory;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reads, each run inside one snapshot (by {@link ReadPool}, or by the writer inside its open transaction).
 * Revisions reported come from the snapshot itself, never from the in-memory counters, so a list and the watch that
 * follows it agree exactly.
 */
final class Queries {
  private static final String LATEST =
      "SELECT l.create_rev, l.id, l.version, h.value FROM latest l JOIN history h ON h.id = l.id WHERE l.key = ?";
  private static final String MAX_ID = "SELECT max(id) FROM history";
  private static final String META = "SELECT value FROM meta WHERE name = ?";
  private static final String ROW = "SELECT create_rev, version, value FROM history WHERE id = ?";

  // Ranges walk the latest table in key order and fetch each value by rowid. Bounded and open-ended ranges are
  // separate statements: an "?2 IS NULL OR key < ?2" term would hide the upper bound from the planner and turn a
  // prefix scan into a scan to the end of the table. ?3 keeps only keys unchanged since a revision (for past reads).
  private static final String RANGE_COLUMNS =
      "SELECT l.key, l.create_rev, l.id, l.version, h.value FROM latest l JOIN history h ON h.id = l.id";
  private static final String RANGE = RANGE_COLUMNS + " WHERE l.key >= ?1 AND l.key < ?2 AND l.id < ?3"
      + " ORDER BY l.key LIMIT ?4";
  private static final String RANGE_OPEN = RANGE_COLUMNS + " WHERE l.key >= ?1 AND l.id < ?3 ORDER BY l.key LIMIT ?4";
  private static final String COUNT = "SELECT count(*) FROM latest WHERE key >= ?1 AND key < ?2 AND id < ?3";
  private static final String COUNT_OPEN = "SELECT count(*) FROM latest WHERE key >= ?1 AND id < ?3";

  // For a read at a past revision R: the keys of the range changed after R, each with the row it had at R (the
  // prev_id of its first change after R; none if that change created it). A rowid range scan over the changes
  // since R only; history has no key index, so the key terms are filters.
  private static final String CHANGED_SINCE =
      "SELECT h.key, h.prev_id FROM history h WHERE h.id >= ?1 AND h.key >= ?2 AND (?3 IS NULL OR h.key < ?3)"
          + " ORDER BY h.id";

  // History in revision order, each row with its prevKv; again a rowid range scan with key filters.
  private static final String HISTORY =
      "SELECT h.id, h.key, h.create_rev, h.version, h.value, p.create_rev, p.id, p.version, p.value"
          + " FROM history h LEFT JOIN history p ON p.id = h.prev_id"
          + " WHERE h.id >= ?1 AND h.id < ?2 AND h.key >= ?3 AND (?4 IS NULL OR h.key < ?4)"
          + " ORDER BY h.id LIMIT ?5";

  private Queries() {}

  /** A key's row: its value and the id of the history row holding it. */
  record Row(KeyValue kv, long id) {}

  /** The revision this snapshot is at, and its compaction point. */
  record Snapshot(long revision, long compactRevision) {}

  static Snapshot snapshot(Sql sql) throws SQLException {
    long compact = meta(sql, "compact_rev");
    long maxId;
    try (ResultSet rs = sql.prepare(MAX_ID).executeQuery()) {
      maxId = rs.next() ? rs.getLong(1) : 0;
    }
    return new Snapshot(Math.max(Ids.revision(maxId), compact), compact);
  }

  static long meta(Sql sql, String name) throws SQLException {
    PreparedStatement ps = sql.prepare(META);
    ps.setString(1, name);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) throw new SQLException("meta value " + name + " missing");
      return rs.getLong(1);
    }
  }

  /** The key's live row, or null. */
  static Row latest(Sql sql, String key) throws SQLException {
    PreparedStatement ps = sql.prepare(LATEST);
    ps.setString(1, key);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) return null;
      long id = rs.getLong(2);
      return new Row(new KeyValue(key, Sql.bytes(rs.getBytes(4)), rs.getLong(1), Ids.revision(id), rs.getLong(3)), id);
    }
  }

  static RangeResult range(Sql sql, KeyRange range, long revision, long limit) throws SQLException {
    Snapshot snap = snapshot(sql);
    if (revision > snap.revision()) throw new FutureRevisionException(revision, snap.revision());
    if (revision != 0 && revision < snap.compactRevision()) {
      throw new CompactedException(revision, snap.compactRevision());
    }
    long rev = revision == 0 ? snap.revision() : revision;
    if (range.isEmpty()) return new RangeResult(List.of(), rev, false, 0);
    long below = Ids.first(rev + 1);
    List<KeyValue> unchanged = latestRange(sql, range, below, limit);
    if (rev == snap.revision()) {
      long count = unchanged.size();
      if (limit != 0 && count == limit) count = latestCount(sql, range, below); // only a full page needs a count
      return new RangeResult(List.copyOf(unchanged), rev, count > unchanged.size(), count);
    }
    // At a past revision: the keys unchanged since, merged with the others as they were then.
    TreeMap<String, Long> then = changedSince(sql, range, below);
    List<KeyValue> kvs = new ArrayList<>();
    int i = 0;
    var it = then.entrySet().iterator();
    Map.Entry<String, Long> next = it.hasNext() ? it.next() : null;
    while ((limit == 0 || kvs.size() < limit) && (i < unchanged.size() || next != null)) {
      if (next == null || (i < unchanged.size() && KeyOrder.compare(unchanged.get(i).key(), next.getKey()) < 0)) {
        kvs.add(unchanged.get(i++));
      } else {
        kvs.add(row(sql, next.getKey(), next.getValue()));
        next = it.hasNext() ? it.next() : null;
      }
    }
    long count = kvs.size();
    if (limit != 0 && count == limit) count = latestCount(sql, range, below) + then.size();
    return new RangeResult(List.copyOf(kvs), rev, count > kvs.size(), count);
  }

  private static List<KeyValue> latestRange(Sql sql, KeyRange range, long belowId, long limit) throws SQLException {
    PreparedStatement ps = sql.prepare(range.end() == null ? RANGE_OPEN : RANGE);
    bindRange(ps, range, belowId);
    ps.setLong(4, limit == 0 ? -1 : limit);
    List<KeyValue> kvs = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        kvs.add(new KeyValue(rs.getString(1), Sql.bytes(rs.getBytes(5)), rs.getLong(2),
            Ids.revision(rs.getLong(3)), rs.getLong(4)));
      }
    }
    return kvs;
  }

  private static long latestCount(Sql sql, KeyRange range, long belowId) throws SQLException {
    PreparedStatement ps = sql.prepare(range.end() == null ? COUNT_OPEN : COUNT);
    bindRange(ps, range, belowId);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static void bindRange(PreparedStatement ps, KeyRange range, long belowId) throws SQLException {
    ps.setString(1, range.start());
    ps.setString(2, range.end()); // the open-ended statements leave ?2 unused
    ps.setLong(3, belowId);
  }

  /** Keys of the range written at or after {@code fromId} that were live before it → the id of that live row. */
  private static TreeMap<String, Long> changedSince(Sql sql, KeyRange range, long fromId) throws SQLException {
    TreeMap<String, Long> live = new TreeMap<>(KeyOrder.COMPARATOR);
    HashSet<String> seen = new HashSet<>();
    PreparedStatement ps = sql.prepare(CHANGED_SINCE);
    ps.setLong(1, fromId);
    ps.setString(2, range.start());
    ps.setString(3, range.end());
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String key = rs.getString(1);
        if (!seen.add(key)) continue; // only the first change after the revision tells the state at it
        long prev = rs.getLong(2);
        if (!rs.wasNull()) live.put(key, prev);
      }
    }
    return live;
  }

  private static KeyValue row(Sql sql, String key, long id) throws SQLException {
    PreparedStatement ps = sql.prepare(ROW);
    ps.setLong(1, id);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) throw new SQLException("history row " + id + " of " + key + " is missing");
      return new KeyValue(key, Sql.bytes(rs.getBytes(3)), rs.getLong(1), Ids.revision(id), rs.getLong(2));
    }
  }

  /** See {@link EventHistory#read}. */
  static EventHistory.Chunk history(Sql sql, KeyRange range, long from, long to, int maxEvents)
      throws SQLException {
    long compact = meta(sql, "compact_rev");
    if (from <= compact) throw new CompactedException(from, compact);
    List<List<Event>> revisions = new ArrayList<>();
    long lastId = readHistory(sql, range, Ids.first(from), Ids.first(to + 1), maxEvents, revisions);
    if (lastId < 0) return new EventHistory.Chunk(revisions, to);
    // The read stopped at maxEvents: finish the revision it stopped in, so every revision is whole.
    long last = Ids.revision(lastId);
    readHistory(sql, range, lastId + 1, Ids.first(last + 1), -1, revisions);
    return new EventHistory.Chunk(revisions, last);
  }

  /**
   * Appends the events of ids {@code [fromId, toId)} in range to {@code out}, grouped by revision.
   *
   * @return the last id read if {@code limit} rows were read (there may be more), else -1
   */
  private static long readHistory(Sql sql, KeyRange range, long fromId, long toId, int limit,
      List<List<Event>> out) throws SQLException {
    PreparedStatement ps = sql.prepare(HISTORY);
    ps.setLong(1, fromId);
    ps.setLong(2, toId);
    ps.setString(3, range.start());
    ps.setString(4, range.end());
    ps.setLong(5, limit);
    int rows = 0;
    long id = -1;
    List<Event> current = null;
    long currentRev = -1;
    if (!out.isEmpty()) { // continuing the revision the previous read stopped in
      current = new ArrayList<>(out.removeLast());
      currentRev = current.getFirst().revision();
    }
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows++;
        id = rs.getLong(1);
        long rev = Ids.revision(id);
        if (rev != currentRev) {
          if (current != null) out.add(List.copyOf(current));
          current = new ArrayList<>(2);
          currentRev = rev;
        }
        current.add(event(rs, rev));
      }
    }
    if (current != null) out.add(List.copyOf(current));
    return limit > 0 && rows == limit ? id : -1;
  }

  private static Event event(ResultSet rs, long rev) throws SQLException {
    String key = rs.getString(2);
    long version = rs.getLong(4);
    KeyValue prev = null;
    long prevVersion = rs.getLong(8); // 0 when there is no previous row (compacted, or none)
    if (prevVersion > 0) {
      prev = new KeyValue(key, Sql.bytes(rs.getBytes(9)), rs.getLong(6), Ids.revision(rs.getLong(7)), prevVersion);
    }
    if (version == 0) {
      return new Event(Event.Type.DELETE, new KeyValue(key, Sql.EMPTY, 0, rev, 0), prev);
    }
    return new Event(Event.Type.PUT, new KeyValue(key, Sql.bytes(rs.getBytes(5)), rs.getLong(3), rev, version), prev);
  }
}
