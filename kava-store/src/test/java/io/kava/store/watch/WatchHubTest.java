package io.kava.store.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.store.CompactedException;
import io.kava.store.Event;
import io.kava.store.KeyValue;
import io.kava.store.RecordingListener;
import io.kava.store.Watch;
import io.kava.store.support.KeyRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub on its own, with a tiny queue so that watchers fall behind and must be caught up from history. */
class WatchHubTest {
  /** A history as a backend keeps it; {@code compacted} revisions at or below it are gone. */
  private static final class FakeHistory implements EventHistory {
    final ConcurrentSkipListMap<Long, List<Event>> log = new ConcurrentSkipListMap<>();
    volatile long compacted;
    volatile int reads;

    @Override
    public Chunk read(KeyRange range, long from, long to, int maxEvents) {
      reads++;
      if (from <= compacted) throw new CompactedException(from, compacted);
      List<List<Event>> out = new ArrayList<>();
      int n = 0;
      for (Map.Entry<Long, List<Event>> e : log.subMap(from, true, to, true).entrySet()) {
        if (n >= maxEvents) return new Chunk(out, e.getKey() - 1);
        List<Event> mine = range.filter(e.getValue(), ev -> ev.kv().key());
        if (mine.isEmpty()) continue;
        out.add(mine);
        n += mine.size();
      }
      return new Chunk(out, to);
    }
  }

  private static final WatchHub.Config TINY = new WatchHub.Config(2, Duration.ofMillis(5), 3, 4);

  private final FakeHistory history = new FakeHistory();
  private WatchHub hub;
  private long rev;

  @AfterEach
  void close() {
    if (hub != null) hub.close();
  }

  private static Event put(String key, long rev) {
    return new Event(Event.Type.PUT, new KeyValue(key, new byte[0], rev, rev, 1), null);
  }

  /** Commits one revision with {@code keys} changed: into history first, then published, as a backend does. */
  private void commit(String... keys) {
    rev++;
    List<Event> events = new ArrayList<>();
    for (String k : keys) events.add(put(k, rev));
    history.log.put(rev, List.copyOf(events));
    hub.publish(rev, List.copyOf(events));
  }

  private static void assertConsecutive(List<Event> events, long first, long last) {
    assertThat(events).extracting(Event::revision).containsExactlyElementsOf(
        java.util.stream.LongStream.rangeClosed(first, last).boxed().toList());
  }

  @Test
  void aBlockedWatcherFallsBehindAndIsCaughtUpExactly() {
    hub = new WatchHub(history, 0, TINY);
    CountDownLatch gate = new CountDownLatch(1);
    RecordingListener slow = new RecordingListener(gate);
    RecordingListener fast = new RecordingListener();
    hub.watch(KeyRange.all(), 0, 0, slow);
    hub.watch(KeyRange.all(), 0, 0, fast);
    for (int i = 0; i < 200; i++) commit("/k" + i);
    assertConsecutive(fast.awaitEvents(200), 1, 200);
    assertThat(hub.groupSizes()[1]).isEqualTo(1); // the slow one was moved out of the live group
    gate.countDown();
    assertConsecutive(slow.awaitEvents(200), 1, 200);
    commit("/live");
    assertConsecutive(slow.awaitEvents(201), 1, 201);
    assertThat(hub.groupSizes()).containsExactly(2, 0);
    assertThat(slow.calls()).allSatisfy(c -> assertThat(c.size()).isLessThanOrEqualTo(TINY.maxRevisionsPerCall()));
  }

  @Test
  void replayKeepsEachRevisionWholeAndFiltersByRange() {
    hub = new WatchHub(history, 0, TINY);
    commit("/a/1", "/b/1", "/a/2", "/a/3", "/a/4", "/a/5"); // 5 events in range: more than one read's limit
    commit("/b/2");
    commit("/a/6");
    RecordingListener l = new RecordingListener();
    hub.watch(new KeyRange("/a/", "/a0"), 1, 0, l);
    List<Event> events = l.awaitEvents(6);
    assertThat(events).extracting(e -> e.kv().key()).containsExactly("/a/1", "/a/2", "/a/3", "/a/4", "/a/5", "/a/6");
    assertThat(l.calls().getFirst()).hasSizeGreaterThanOrEqualTo(5); // revision 1 arrived in one call
  }

  @Test
  void compactionUnderACatchingUpWatcherEndsIt() {
    hub = new WatchHub(history, 0, TINY);
    for (int i = 0; i < 20; i++) commit("/k" + i);
    CountDownLatch gate = new CountDownLatch(1);
    RecordingListener l = new RecordingListener(gate);
    hub.watch(KeyRange.all(), 1, 0, l);
    history.compacted = 10; // compacted while the watcher is stuck at its first revisions
    gate.countDown();
    assertThat(l.awaitCompacted()).isEqualTo(10);
    List<Event> got = l.events();
    assertConsecutive(got, 1, got.size());
    assertThat(hub.groupSizes()).containsExactly(0, 0);
  }

  @Test
  void aStartAtOrBelowTheCompactionPointIsAnsweredAtOnce() {
    hub = new WatchHub(history, 0, TINY);
    for (int i = 0; i < 5; i++) commit("/k" + i);
    RecordingListener l = new RecordingListener();
    hub.watch(KeyRange.all(), 3, 3, l);
    assertThat(l.awaitCompacted()).isEqualTo(3);
    assertThat(history.reads).isZero();
  }

  @Test
  void closingAWatchStopsItAndTheHubForgetsIt() throws Exception {
    hub = new WatchHub(history, 0, TINY);
    CountDownLatch gate = new CountDownLatch(1);
    RecordingListener l = new RecordingListener(gate);
    Watch w = hub.watch(KeyRange.all(), 0, 0, l);
    for (int i = 0; i < 10; i++) commit("/k" + i); // one call blocked, the rest queued or behind
    w.close();
    gate.countDown();
    for (int i = 0; i < 10; i++) commit("/more" + i);
    Thread.sleep(50); // give wrong deliveries a chance to show
    assertThat(l.events().size()).isLessThanOrEqualTo(TINY.maxRevisionsPerCall());
    assertThat(hub.groupSizes()).containsExactly(0, 0);
  }

  @Test
  void closingTheHubEndsEveryWatchAfterWhatIsQueued() {
    hub = new WatchHub(history, 0, WatchHub.Config.DEFAULT);
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    hub.watch(KeyRange.all(), 0, 0, a);
    hub.watch(KeyRange.all(), 100, 0, b); // future start
    commit("/x");
    hub.close();
    assertThat(a.awaitClosed()).isNull();
    assertThat(a.events()).hasSize(1);
    assertThat(b.awaitClosed()).isNull();
    assertThatThrownBy(() -> hub.watch(KeyRange.all(), 0, 0, new RecordingListener()))
        .isInstanceOf(io.kava.store.StoreException.class);
  }

  @Test
  void revisionsMustBePublishedInOrder() {
    hub = new WatchHub(history, 5, TINY);
    assertThatThrownBy(() -> hub.publish(7, List.of(put("/x", 7)))).isInstanceOf(IllegalStateException.class);
    hub.publish(6, List.of(put("/x", 6)));
  }
}
