package io.kava.store.watch;

import io.kava.store.CompactedException;
import io.kava.store.Event;
import io.kava.store.support.KeyRange;
import java.util.List;

/** A backend's change log, read by {@link WatchHub} to replay old revisions and to catch up slow watchers. */
public interface EventHistory {
  /**
   * The changes of revisions {@code [from, to]} to keys in {@code range}, one list per revision that touched the
   * range, ascending. Stops early after about {@code maxEvents} events, but only at a revision boundary: a single
   * revision larger than {@code maxEvents} is returned whole. Events carry prevKv where history still has it.
   *
   * <p>Every revision up to {@code to} must already be committed and visible to this call.
   *
   * @throws CompactedException if {@code from} is at or below the compaction point (the replay would be incomplete)
   */
  Chunk read(KeyRange range, long from, long to, int maxEvents);

  /**
   * @param revisions      per revision, its events in the range (never an empty list)
   * @param scannedThrough every revision up to this one was examined ({@code to} unless the read stopped early)
   */
  record Chunk(List<List<Event>> revisions, long scannedThrough) {}
}
