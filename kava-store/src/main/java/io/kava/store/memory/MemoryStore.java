package io.kava.store.memory;

import io.kava.store.CompactedException;
import io.kava.store.Compare;
import io.kava.store.Event;
import io.kava.store.FutureRevisionException;
import io.kava.store.KeyValue;
import io.kava.store.Op;
import io.kava.store.RangeResult;
import io.kava.store.Store;
import io.kava.store.StoreException;
import io.kava.store.TxnResult;
import io.kava.store.Watch;
import io.kava.store.WatchListener;
import io.kava.store.support.KeyOrder;
import io.kava.store.support.KeyRange;
import io.kava.store.support.TxnChecks;
import io.kava.store.watch.EventHistory;
import io.kava.store.watch.WatchHub;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory MVCC store for tests and simulation: every version of every key since the last compaction, and the
 * change log by revision for watch replay.
 *
 * <p>Txns are serialized by one lock; reads take no lock. A reader fixes a revision first and then looks only at
 * versions at or below it, so writes in progress (which carry the next revision) are invisible until
 * {@link #currentRevision} moves past them.
 *
 * <p>History (and so memory) grows until {@link #compact}: a long simulation should run an
 * {@link io.kava.store.compaction.AutoCompactor}.
 *
 * <p>Starts one virtual thread for watch catch-up, plus one per open watch. {@link #close()} ends them and fails
 * later calls with {@link StoreException}.
 */
public final class MemoryStore implements Store {
  private static final byte[] EMPTY = new byte[0];

  /** Serializes txns and compaction. Taken before the watch hub's lock (publish happens under it). */
  private final ReentrantLock writeLock = new ReentrantLock();

  /** Key → versions, ordered for ranges. Keys are added and removed under writeLock; read without it. */
  private final ConcurrentSkipListMap<String, KeyVersions> keys = new ConcurrentSkipListMap<>(KeyOrder.COMPARATOR);

  /** The same entries hashed, for point lookups (a skip-list walk costs several cache misses). Same rules. */
  private final ConcurrentHashMap<String, KeyVersions> byKey = new ConcurrentHashMap<>();

  /** Revision → its events, for watch replay. Appended and trimmed under writeLock; read without it. */
  private final ConcurrentSkipListMap<Long, List<Event>> changes = new ConcurrentSkipListMap<>();

  /** Written under writeLock, after the revision's versions and events are in place. */
  private volatile long currentRevision;

  /** Written under writeLock, before compaction removes anything (readers re-check it after reading). */
  private volatile long compactRevision;

  private volatile boolean closed;
  private final WatchHub hub;

  public MemoryStore() {
    this(WatchHub.Config.DEFAULT);
  }

  public MemoryStore(WatchHub.Config watchConfig) {
    this.hub = new WatchHub(new History(), 0, watchConfig);
  }

  @Override
  public long currentRevision() { return currentRevision; }

  @Override
  public long compactRevision() { return compactRevision; }

  @Override
  public Optional<KeyValue> get(String key) {
    ensureOpen();
    while (true) {
      long rev = currentRevision; // fix the revision first, then look the key up (see the class comment)
      KeyVersions versions = byKey.get(key);
      KeyValue kv = versions == null ? null : versions.at(rev);
      // A compaction past rev may have dropped the version we wanted: read again at a newer revision.
      if (rev >= compactRevision) return Optional.ofNullable(kv);
    }
  }

  @Override
  public RangeResult range(String start, String end, long revision, long limit) {
    ensureOpen();
    if (revision < 0 || limit < 0) throw new IllegalArgumentException("negative revision or limit");
    KeyRange range = KeyRange.of(start, end);
    while (true) {
      long current = currentRevision;
      if (revision > current) throw new FutureRevisionException(revision, current);
      long rev = revision == 0 ? current : revision;
      long compacted = compactRevision;
      if (revision != 0 && rev < compacted) throw new CompactedException(revision, compacted);
      List<KeyValue> kvs = new ArrayList<>();
      long count = 0;
      for (KeyVersions versions : slice(range).values()) {
        KeyValue kv = versions.at(rev);
        if (kv == null) continue;
        count++;
        if (limit == 0 || kvs.size() < limit) kvs.add(kv);
      }
      compacted = compactRevision;
      if (rev >= compacted) return new RangeResult(List.copyOf(kvs), rev, count > kvs.size(), count);
      if (revision != 0) throw new CompactedException(revision, compacted);
    }
  }

  private NavigableMap<String, KeyVersions> slice(KeyRange range) {
    if (range.isEmpty()) return Collections.emptyNavigableMap();
    return range.end() == null ? keys.tailMap(range.start(), true) : keys.subMap(range.start(), true, range.end(), false);
  }

  @Override
  public TxnResult txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
    TxnChecks.check(compares, onSuccess, onFailure);
    writeLock.lock();
    try {
      ensureOpen();
      long rev = currentRevision + 1;
      boolean succeeded = holds(compares);
      List<Op> ops = succeeded ? onSuccess : onFailure;
      List<KeyValue> results = new ArrayList<>(ops.size());
      List<Event> events = new ArrayList<>(2);
      for (Op op : ops) results.add(apply(op, rev, events));
      if (events.isEmpty()) return new TxnResult(succeeded, rev - 1, Collections.unmodifiableList(results));
      List<Event> committed = List.copyOf(events);
      changes.put(rev, committed);
      currentRevision = rev;
      hub.publish(rev, committed);
      return new TxnResult(succeeded, rev, Collections.unmodifiableList(results));
    } finally {
      writeLock.unlock();
    }
  }

  private boolean holds(List<Compare> compares) {
    for (Compare c : compares) {
      switch (c) {
        case Compare.ModRevision m -> {
          KeyVersions versions = byKey.get(m.key());
          KeyValue kv = versions == null ? null : versions.latestLive();
          if ((kv == null ? 0 : kv.modRevision()) != m.modRevision()) return false;
        }
      }
    }
    return true;
  }

  /** Applies one op at revision {@code rev}; returns its result and adds its event, if any. Under writeLock. */
  private KeyValue apply(Op op, long rev, List<Event> events) {
    KeyVersions versions = byKey.get(op.key());
    KeyValue prev = versions == null ? null : versions.latestLive();
    switch (op) {
      case Op.Get g -> {
        return prev;
      }
      case Op.Put p -> {
        KeyValue kv = prev == null
            ? new KeyValue(p.key(), p.value(), rev, rev, 1)
            : new KeyValue(p.key(), p.value(), prev.createRevision(), rev, prev.version() + 1);
        if (versions == null) {
          versions = new KeyVersions();
          keys.put(p.key(), versions); // invisible to readers until currentRevision reaches rev
          byKey.put(p.key(), versions);
        }
        versions.append(kv);
        events.add(new Event(Event.Type.PUT, kv, prev));
        return kv;
      }
      case Op.Delete d -> {
        if (prev == null) return null;
        KeyValue tombstone = new KeyValue(d.key(), EMPTY, 0, rev, 0);
        versions.append(tombstone);
        events.add(new Event(Event.Type.DELETE, tombstone, prev));
        return prev;
      }
    }
  }

  @Override
  public Watch watch(String start, String end, long startRevision, WatchListener listener) {
    ensureOpen();
    long from = startRevision == 0 ? currentRevision + 1 : startRevision; // a txn may commit meanwhile: replayed
    return hub.watch(KeyRange.of(start, end), from, compactRevision, listener);
  }

  @Override
  public void compact(long revision) {
    writeLock.lock();
    try {
      ensureOpen();
      if (revision > currentRevision) throw new FutureRevisionException(revision, currentRevision);
      if (revision <= compactRevision) return;
      compactRevision = revision;
      // Only keys written since the last compaction can have versions to drop: their changes are in the log.
      ConcurrentNavigableMap<Long, List<Event>> dropped = changes.headMap(revision, true);
      Set<String> touched = new HashSet<>();
      for (List<Event> events : dropped.values()) for (Event e : events) touched.add(e.kv().key());
      for (String key : touched) {
        KeyVersions versions = byKey.get(key);
        if (versions != null && versions.compact(revision)) {
          keys.remove(key);
          byKey.remove(key);
        }
      }
      dropped.clear();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) return;
      closed = true;
    } finally {
      writeLock.unlock();
    }
    hub.close();
  }

  private void ensureOpen() {
    if (closed) throw new StoreException("store is closed");
  }

  /** The change log as the watch hub reads it. */
  private final class History implements EventHistory {
    @Override
    public Chunk read(KeyRange range, long from, long to, int maxEvents) {
      checkNotCompacted(from);
      List<List<Event>> out = new ArrayList<>();
      int events = 0;
      long scanned = to;
      for (Map.Entry<Long, List<Event>> e : changes.subMap(from, true, to, true).entrySet()) {
        if (events >= maxEvents) {
          scanned = e.getKey() - 1;
          break;
        }
        List<Event> mine = range.filter(e.getValue(), ev -> ev.kv().key());
        if (mine.isEmpty()) continue;
        out.add(mine);
        events += mine.size();
      }
      checkNotCompacted(from); // a compaction during the scan may have removed part of it
      return new Chunk(out, scanned);
    }

    private void checkNotCompacted(long from) {
      long compacted = compactRevision;
      if (from <= compacted) throw new CompactedException(from, compacted);
    }
  }
}
