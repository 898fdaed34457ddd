package io.kava.store;

import java.util.List;
import java.util.Optional;

/**
 * A revisioned key-value store with etcd v3 semantics. Only the API server uses it.
 *
 * <p>Every successful txn that writes advances the single revision clock by exactly one; all its writes carry that
 * revision. A txn that writes nothing (only gets, or a failed compare without failure ops that write) does not
 * advance it. When {@link #txn} returns, the write is durable (for persistent backends) and
 * {@link #currentRevision()} is at least its revision. Watch events for a revision are delivered after the txn is
 * durable, possibly after {@code txn} returns.
 *
 * <p>Implementations are thread-safe. Keys are compared as UTF-8 byte strings (for ASCII keys, as Java strings).
 *
 * <p>Key ranges {@code [start, end)} follow etcd: {@code end} null or empty means the single key {@code start};
 * {@code end} equal to {@code "\0"} means every key at or after {@code start} ({@link #prefixEnd prefixEnd("")}
 * gives that value, so {@code rangePrefix("")} is the whole key space).
 *
 * <p>Compaction at revision {@code c} keeps the state at {@code c} (the latest value of every key live at
 * {@code c}) and every change after it. So after {@code compact(c)}: {@code range(.., rev, ..)} works for
 * {@code rev >= c} and fails with {@link CompactedException} for {@code 0 < rev < c}; a watch replays from
 * {@code startRevision > c} and gets {@link WatchListener#onCompacted} for {@code 0 < startRevision <= c} (the changes
 * made at {@code c} itself are no longer all known, e.g. deletions).
 */
public interface Store extends AutoCloseable {
  /** The revision of the last committed write (0 for an empty store that never wrote). */
  long currentRevision();

  /**
   * A revision at or above every write whose txn has returned to its caller, and at most {@link #currentRevision()}.
   * A read that must reflect every write acknowledged before it began (a consistent read) waits for this revision,
   * not for {@link #currentRevision()}: writes committed but not yet acknowledged (a group commit waiting for its
   * sync) are concurrent with such a read, and waiting for them would add a sync to every consistent read.
   */
  default long acknowledgedRevision() { return currentRevision(); }

  /**
   * The last compaction point (0 when never compacted): reads below it and watches starting at or below it fail as
   * compacted; the state at it is still readable.
   */
  long compactRevision();

  /** The latest value of a key. */
  Optional<KeyValue> get(String key);

  /**
   * Keys in [start, end) at {@code revision} (0 = latest), ascending, at most {@code limit} of them (0 = no limit).
   *
   * @throws CompactedException      if {@code revision} is below the compaction point (and not 0)
   * @throws FutureRevisionException if {@code revision} is above {@link #currentRevision()}
   */
  RangeResult range(String start, String end, long revision, long limit);

  /** All keys starting with {@code prefix}, latest revision. */
  default RangeResult rangePrefix(String prefix, long limit) {
    return range(prefix, prefixEnd(prefix), 0, limit);
  }

  /**
   * Compares, then runs {@code onSuccess} if all hold, else {@code onFailure}; atomic and durable on return.
   *
   * <p>Ops run in order and see the effects of earlier ops of the same txn. As in etcd, a branch may write a key at
   * most once (two Put/Delete ops on one key are rejected with {@link IllegalArgumentException}), and a txn whose
   * writes change nothing (only deletes of absent keys) does not advance the revision.
   */
  TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure);

  /**
   * Watches keys in [start, end). Events with revision ≥ {@code startRevision} are delivered; 0 means "from the
   * next write on". Events already in history are replayed first. When {@code startRevision} is at or below the
   * compaction point, {@link WatchListener#onCompacted} is called instead.
   */
  Watch watch(String start, String end, long startRevision, WatchListener listener);

  /**
   * Drops history older than {@code revision}, keeping the state at it; see the class comment for what fails after.
   * Returns when the compaction point is durable. A revision at or below {@link #compactRevision()} is a no-op.
   *
   * @throws FutureRevisionException if {@code revision} is above {@link #currentRevision()}
   */
  void compact(long revision);

  @Override
  void close();

  /** The smallest key greater than every key with this prefix (etcd's prefix range end). */
  static String prefixEnd(String prefix) {
    if (prefix.isEmpty()) return "\0";
    char last = prefix.charAt(prefix.length() - 1);
    return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
  }

  // Convenience forms of txn used throughout the API server.

  /** Creates the key only if it does not exist; empty result if it does. */
  default Optional<KeyValue> create(String key, byte[] value) {
    TxnResult r = txn(List.of(Compare.absent(key)), List.of(Op.put(key, value)), List.of());
    return r.succeeded() ? Optional.of(r.results().get(0)) : Optional.empty();
  }

  /** Writes the key only if its mod revision is still {@code expectedModRevision}; empty result on conflict. */
  default Optional<KeyValue> update(String key, byte[] value, long expectedModRevision) {
    TxnResult r = txn(List.of(Compare.modRevision(key, expectedModRevision)), List.of(Op.put(key, value)), List.of());
    return r.succeeded() ? Optional.of(r.results().get(0)) : Optional.empty();
  }

  /**
   * Deletes the key only if its mod revision is still {@code expectedModRevision}.
   *
   * @return the deletion's revision, or empty on conflict
   */
  default Optional<Long> delete(String key, long expectedModRevision) {
    TxnResult r = txn(List.of(Compare.modRevision(key, expectedModRevision)), List.of(Op.delete(key)), List.of());
    return r.succeeded() ? Optional.of(r.revision()) : Optional.empty();
  }
}
