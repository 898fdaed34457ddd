package io.kava.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract (etcd v3 semantics), run against every backend by a subclass that says how to open one.
 *
 * <p>Tests work relative to the revision the store has when they start and keep their keys under {@link #P}, so a
 * backend whose store is shared (etcd) can run them too.
 */
public abstract class StoreContractTest {
  /** Every key a test writes starts with this. */
  protected static final String P = "/kava-contract/";

  @TempDir protected Path dir;
  protected Store store;

  /** Opens the backend on {@code dir}; for a persistent backend, opening the same dir again reopens the same data. */
  protected abstract Store newStore(Path dir);

  /** Whether data survives {@link Store#close()} and {@link #newStore} on the same dir. */
  protected boolean persistent() { return false; }

  @BeforeEach
  void openStore() {
    store = newStore(dir);
  }

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
  }

  protected static byte[] v(String s) { return s.getBytes(UTF_8); }

  protected static String str(KeyValue kv) { return new String(kv.value(), UTF_8); }

  protected static byte[] json(int i) {
    return ("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + i + "\"},\"data\":{\"k\":\"" + "x".repeat(200)
        + "\"}}").getBytes(UTF_8);
  }

  private KeyValue put(String key, String value) {
    TxnResult r = store.txn(List.of(), List.of(Op.put(key, v(value))), List.of());
    assertThat(r.succeeded()).isTrue();
    return r.results().getFirst();
  }

  private long delete(String key) {
    TxnResult r = store.txn(List.of(), List.of(Op.delete(key)), List.of());
    return r.revision();
  }

  private static List<String> keys(RangeResult r) { return r.kvs().stream().map(KeyValue::key).toList(); }

  /** Creates {@code prefix + 0 .. n-1} from 16 concurrent callers (fast on every backend thanks to group commit). */
  protected void createConcurrently(String prefix, int n) throws Exception {
    AtomicInteger next = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        fs.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < n; ) store.create(prefix + i, json(i)).orElseThrow();
        }));
      }
      for (Future<?> f : fs) f.get();
    }
  }

  // ---- revisions and single-key txns

  @Test
  void everyWritingTxnAdvancesTheRevisionByOne() {
    long r0 = store.currentRevision();
    assertThat(store.create(P + "a", v("1")).orElseThrow().modRevision()).isEqualTo(r0 + 1);
    assertThat(put(P + "b", "1").modRevision()).isEqualTo(r0 + 2);
    TxnResult two = store.txn(List.of(), List.of(Op.put(P + "c", v("1")), Op.put(P + "d", v("1"))), List.of());
    assertThat(two.revision()).isEqualTo(r0 + 3);
    assertThat(two.results()).extracting(KeyValue::modRevision).containsExactly(r0 + 3, r0 + 3);
    assertThat(store.currentRevision()).isEqualTo(r0 + 3);

    // Reads, failed compares and deletes of absent keys write nothing.
    TxnResult read = store.txn(List.of(), List.of(Op.get(P + "a")), List.of());
    assertThat(read.revision()).isEqualTo(r0 + 3);
    assertThat(read.results().getFirst().modRevision()).isEqualTo(r0 + 1);
    TxnResult failed = store.txn(List.of(Compare.modRevision(P + "a", 999_999)), List.of(Op.put(P + "a", v("x"))),
        List.of());
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.revision()).isEqualTo(r0 + 3);
    assertThat(failed.results()).isEmpty();
    TxnResult deleteNothing = store.txn(List.of(), List.of(Op.delete(P + "nope")), List.of());
    assertThat(deleteNothing.succeeded()).isTrue();
    assertThat(deleteNothing.results()).containsExactly((KeyValue) null);
    assertThat(deleteNothing.revision()).isEqualTo(r0 + 3);
    assertThat(store.currentRevision()).isEqualTo(r0 + 3);
  }

  @Test
  void everyReturnedWriteIsAtOrBelowTheAcknowledgedRevision() throws Exception {
    // What consistent reads wait for: never past what was committed, never short of what a caller was told.
    AtomicInteger next = new AtomicInteger();
    List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        fs.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < 400; ) {
            long rev = store.create(P + "ack-" + i, json(i)).orElseThrow().modRevision();
            long acknowledged = store.acknowledgedRevision();
            long current = store.currentRevision();
            if (acknowledged < rev || acknowledged > current) {
              violations.add("write " + rev + ": acknowledged " + acknowledged + ", current " + current);
            }
          }
        }));
      }
      for (Future<?> f : fs) f.get();
    }
    assertThat(violations).isEmpty();
    assertThat(store.acknowledgedRevision()).isEqualTo(store.currentRevision());
  }

  @Test
  void createOnlyIfAbsent() {
    KeyValue kv = store.create(P + "x", v("one")).orElseThrow();
    assertThat(kv.key()).isEqualTo(P + "x");
    assertThat(kv.createRevision()).isEqualTo(kv.modRevision());
    assertThat(kv.version()).isEqualTo(1);
    assertThat(str(kv)).isEqualTo("one");
    long rev = store.currentRevision();

    assertThat(store.create(P + "x", v("two"))).isEmpty();
    assertThat(store.currentRevision()).isEqualTo(rev);
    assertThat(str(store.get(P + "x").orElseThrow())).isEqualTo("one");
  }

  @Test
  void updateComparesTheModRevision() {
    KeyValue created = store.create(P + "x", v("1")).orElseThrow();
    KeyValue updated = store.update(P + "x", v("2"), created.modRevision()).orElseThrow();
    assertThat(updated.modRevision()).isEqualTo(created.modRevision() + 1);
    assertThat(updated.createRevision()).isEqualTo(created.createRevision());
    assertThat(updated.version()).isEqualTo(2);

    // A writer that read the old revision loses.
    assertThat(store.update(P + "x", v("3"), created.modRevision())).isEmpty();
    assertThat(store.update(P + "missing", v("3"), created.modRevision())).isEmpty();
    KeyValue now = store.get(P + "x").orElseThrow();
    assertThat(str(now)).isEqualTo("2");
    assertThat(now.modRevision()).isEqualTo(updated.modRevision());
    assertThat(now.version()).isEqualTo(2);
    assertThat(store.get(P + "missing")).isEmpty();
  }

  @Test
  void deleteComparesTheModRevisionAndRecreateStartsOver() {
    KeyValue a = store.create(P + "x", v("1")).orElseThrow();
    KeyValue b = store.update(P + "x", v("2"), a.modRevision()).orElseThrow();
    assertThat(store.delete(P + "x", a.modRevision())).isEmpty();
    assertThat(store.get(P + "x")).isPresent();

    TxnResult del = store.txn(List.of(Compare.modRevision(P + "x", b.modRevision())), List.of(Op.delete(P + "x")),
        List.of());
    assertThat(del.succeeded()).isTrue();
    assertThat(del.revision()).isEqualTo(b.modRevision() + 1);
    KeyValue deleted = del.results().getFirst();
    assertThat(str(deleted)).isEqualTo("2");
    assertThat(deleted.modRevision()).isEqualTo(b.modRevision());
    assertThat(store.get(P + "x")).isEmpty();
    assertThat(store.delete(P + "x", b.modRevision())).isEmpty();

    KeyValue again = store.create(P + "x", v("3")).orElseThrow();
    assertThat(again.createRevision()).isEqualTo(del.revision() + 1);
    assertThat(again.version()).isEqualTo(1);
    assertThat(store.delete(P + "x", again.modRevision())).contains(again.modRevision() + 1);
  }

  @Test
  void getReturnsTheLatestValue() {
    assertThat(store.get(P + "nothing")).isEmpty();
    KeyValue a = put(P + "k", "1");
    put(P + "k", "2");
    KeyValue c = put(P + "k", "3");
    Optional<KeyValue> got = store.get(P + "k");
    assertThat(got).isPresent();
    assertThat(str(got.get())).isEqualTo("3");
    assertThat(got.get().createRevision()).isEqualTo(a.modRevision());
    assertThat(got.get().modRevision()).isEqualTo(c.modRevision());
    assertThat(got.get().version()).isEqualTo(3);
  }

  @Test
  void emptyValuesAreValues() {
    KeyValue kv = store.create(P + "empty", new byte[0]).orElseThrow();
    assertThat(kv.value()).isEmpty();
    assertThat(store.get(P + "empty").orElseThrow().value()).isEmpty();
  }

  // ---- txns

  @Test
  void failedComparesRunTheFailureBranch() {
    KeyValue a = store.create(P + "a", v("1")).orElseThrow();
    TxnResult r = store.txn(List.of(Compare.absent(P + "a")), List.of(Op.put(P + "a", v("nope"))),
        List.of(Op.get(P + "a"), Op.get(P + "missing")));
    assertThat(r.succeeded()).isFalse();
    assertThat(r.revision()).isEqualTo(a.modRevision());
    assertThat(r.results()).hasSize(2);
    assertThat(str(r.results().get(0))).isEqualTo("1");
    assertThat(r.results().get(1)).isNull();

    // A failure branch may write, too.
    TxnResult w = store.txn(List.of(Compare.absent(P + "a")), List.of(),
        List.of(Op.put(P + "b", v("2")), Op.get(P + "b")));
    assertThat(w.succeeded()).isFalse();
    assertThat(w.revision()).isEqualTo(a.modRevision() + 1);
    assertThat(str(w.results().get(1))).isEqualTo("2"); // later ops see earlier ones
    assertThat(store.get(P + "b")).isPresent();
  }

  @Test
  void allComparesMustHold() {
    KeyValue a = store.create(P + "a", v("1")).orElseThrow();
    KeyValue b = store.create(P + "b", v("1")).orElseThrow();
    List<Op> write = List.of(Op.put(P + "c", v("1")));
    assertThat(store.txn(List.of(Compare.modRevision(P + "a", a.modRevision()), Compare.absent(P + "b")), write,
        List.of()).succeeded()).isFalse();
    assertThat(store.txn(List.of(Compare.modRevision(P + "a", a.modRevision()),
        Compare.modRevision(P + "b", b.modRevision()), Compare.absent(P + "c")), write, List.of()).succeeded()).isTrue();
  }

  @Test
  void aBranchMayWriteAKeyOnlyOnce() {
    assertThatThrownBy(() -> store.txn(List.of(), List.of(Op.put(P + "a", v("1")), Op.put(P + "a", v("2"))),
        List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.txn(List.of(), List.of(Op.put(P + "a", v("1")), Op.delete(P + "a")), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.get(P + "a")).isEmpty();
  }

  // ---- ranges

  @Test
  void prefixRangeIsOrderedLimitedAndCounted() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 25; i++) names.add(String.format("web-%02d", i));
    List<String> shuffled = new ArrayList<>(names);
    Collections.shuffle(shuffled, new Random(7));
    String prefix = P + "apps/deployments/default/";
    for (String n : shuffled) store.create(prefix + n, v(n)).orElseThrow();
    // Neighbours that a prefix range must leave out.
    store.create(P + "apps/deployments/default", v("x")).orElseThrow();
    store.create(P + "apps/deployments/default0", v("x")).orElseThrow();
    store.create(P + "apps/deployments/defaulu", v("x")).orElseThrow();
    store.create(P + "apps/deployments/kube-system/web", v("x")).orElseThrow();

    RangeResult all = store.rangePrefix(prefix, 0);
    assertThat(keys(all)).containsExactlyElementsOf(names.stream().map(n -> prefix + n).toList());
    assertThat(all.more()).isFalse();
    assertThat(all.count()).isEqualTo(25);
    assertThat(all.revision()).isEqualTo(store.currentRevision());

    RangeResult page = store.rangePrefix(prefix, 10);
    assertThat(keys(page)).containsExactlyElementsOf(names.subList(0, 10).stream().map(n -> prefix + n).toList());
    assertThat(page.more()).isTrue();
    assertThat(page.count()).isEqualTo(25);

    // The next page starts right after the last key, at the first page's revision (as a continue token does).
    String next = page.kvs().getLast().key() + "\0";
    RangeResult page2 = store.range(next, Store.prefixEnd(prefix), page.revision(), 10);
    assertThat(keys(page2)).containsExactlyElementsOf(names.subList(10, 20).stream().map(n -> prefix + n).toList());
    assertThat(page2.count()).isEqualTo(15);
    assertThat(page2.more()).isTrue();

    RangeResult exact = store.rangePrefix(prefix, 25);
    assertThat(exact.kvs()).hasSize(25);
    assertThat(exact.more()).isFalse();

    RangeResult single = store.range(prefix + "web-03", null, 0, 0);
    assertThat(keys(single)).containsExactly(prefix + "web-03");
    assertThat(store.range(prefix + "web-99", "", 0, 0).kvs()).isEmpty();

    RangeResult everything = store.rangePrefix(P, 0);
    assertThat(everything.count()).isEqualTo(29);
    RangeResult open = store.range(P + "apps/deployments/defaulu", "\0", 0, 0);
    assertThat(keys(open)).containsExactly(P + "apps/deployments/defaulu", P + "apps/deployments/kube-system/web");
  }

  @Test
  void rangeAtAPastRevision() {
    KeyValue a1 = store.create(P + "r/a", v("a1")).orElseThrow();
    KeyValue b1 = store.create(P + "r/b", v("b1")).orElseThrow();
    KeyValue c1 = store.create(P + "r/c", v("c1")).orElseThrow();
    KeyValue a2 = store.update(P + "r/a", v("a2"), a1.modRevision()).orElseThrow();
    long bDeleted = store.delete(P + "r/b", b1.modRevision()).orElseThrow();
    store.create(P + "r/d", v("d1")).orElseThrow();

    RangeResult atC = store.range(P + "r/", Store.prefixEnd(P + "r/"), c1.modRevision(), 0);
    assertThat(atC.revision()).isEqualTo(c1.modRevision());
    assertThat(atC.kvs()).extracting(KeyValue::key, StoreContractTest::str, KeyValue::modRevision)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(P + "r/a", "a1", a1.modRevision()),
            org.assertj.core.groups.Tuple.tuple(P + "r/b", "b1", b1.modRevision()),
            org.assertj.core.groups.Tuple.tuple(P + "r/c", "c1", c1.modRevision()));
    RangeResult atA2 = store.range(P + "r/", Store.prefixEnd(P + "r/"), a2.modRevision(), 2);
    assertThat(keys(atA2)).containsExactly(P + "r/a", P + "r/b");
    assertThat(str(atA2.kvs().getFirst())).isEqualTo("a2");
    assertThat(atA2.kvs().getFirst().version()).isEqualTo(2);
    assertThat(atA2.more()).isTrue();
    assertThat(atA2.count()).isEqualTo(3);
    RangeResult atDelete = store.range(P + "r/", Store.prefixEnd(P + "r/"), bDeleted, 0);
    assertThat(keys(atDelete)).containsExactly(P + "r/a", P + "r/c");
    assertThat(store.range(P + "r/b", null, b1.modRevision(), 0).kvs()).hasSize(1);
    assertThat(store.range(P + "r/b", null, bDeleted, 0).kvs()).isEmpty();

    long current = store.currentRevision();
    assertThat(store.range(P + "r/", Store.prefixEnd(P + "r/"), current, 0).count()).isEqualTo(3);
    assertThatThrownBy(() -> store.range(P + "r/", Store.prefixEnd(P + "r/"), current + 1, 0))
        .isInstanceOf(FutureRevisionException.class);
  }

  // ---- watches

  @Test
  void watchFromNowSeesOnlyLaterWrites() {
    put(P + "w/before", "1");
    RecordingListener l = new RecordingListener();
    try (Watch w = store.watch(P + "w/", Store.prefixEnd(P + "w/"), 0, l)) {
      KeyValue after = put(P + "w/after", "2");
      List<Event> events = l.awaitEvents(1);
      assertThat(events).hasSize(1);
      assertThat(events.getFirst().type()).isEqualTo(Event.Type.PUT);
      assertThat(events.getFirst().kv()).usingRecursiveComparison().isEqualTo(after);
      assertThat(events.getFirst().prevKv()).isNull();
    }
  }

  @Test
  void watchFromAPastRevisionReplaysHistoryIncludingDeletes() {
    KeyValue a1 = store.create(P + "h/a", v("a1")).orElseThrow();
    store.create(P + "other", v("x")).orElseThrow();
    KeyValue a2 = store.update(P + "h/a", v("a2"), a1.modRevision()).orElseThrow();
    KeyValue b1 = store.create(P + "h/b", v("b1")).orElseThrow();
    long aDeleted = store.delete(P + "h/a", a2.modRevision()).orElseThrow();

    RecordingListener l = new RecordingListener();
    try (Watch w = store.watch(P + "h/", Store.prefixEnd(P + "h/"), a1.modRevision(), l)) {
      List<Event> replay = l.awaitEvents(4);
      assertThat(replay).extracting(Event::type, Event::revision).containsExactly(
          org.assertj.core.groups.Tuple.tuple(Event.Type.PUT, a1.modRevision()),
          org.assertj.core.groups.Tuple.tuple(Event.Type.PUT, a2.modRevision()),
          org.assertj.core.groups.Tuple.tuple(Event.Type.PUT, b1.modRevision()),
          org.assertj.core.groups.Tuple.tuple(Event.Type.DELETE, aDeleted));
      assertThat(replay.get(0).prevKv()).isNull();
      assertThat(replay.get(1).prevKv()).usingRecursiveComparison().isEqualTo(a1);
      assertThat(str(replay.get(1).kv())).isEqualTo("a2");
      Event del = replay.get(3);
      assertThat(del.kv().key()).isEqualTo(P + "h/a");
      assertThat(del.kv().version()).isZero();
      assertThat(del.kv().value()).isEmpty();
      assertThat(del.prevKv()).isNotNull();
      assertThat(str(del.prevKv())).isEqualTo("a2");
      assertThat(del.prevKv().modRevision()).isEqualTo(a2.modRevision());

      // Then live, without a gap or a repeat.
      KeyValue c = store.create(P + "h/c", v("c1")).orElseThrow();
      List<Event> all = l.awaitEvents(5);
      assertThat(all).hasSize(5);
      assertThat(all.getLast().kv()).usingRecursiveComparison().isEqualTo(c);
    }
  }

  @Test
  void liveEventsCarryPrevKv() {
    RecordingListener l = new RecordingListener();
    try (Watch w = store.watch(P, Store.prefixEnd(P), 0, l)) {
      KeyValue a1 = store.create(P + "a", v("1")).orElseThrow();
      KeyValue a2 = store.update(P + "a", v("2"), a1.modRevision()).orElseThrow();
      store.delete(P + "a", a2.modRevision()).orElseThrow();
      List<Event> events = l.awaitEvents(3);
      assertThat(events.get(0).prevKv()).isNull();
      assertThat(events.get(1).prevKv()).usingRecursiveComparison().isEqualTo(a1);
      assertThat(events.get(2).type()).isEqualTo(Event.Type.DELETE);
      assertThat(events.get(2).prevKv()).usingRecursiveComparison().isEqualTo(a2);
    }
  }

  @Test
  void oneTxnIsOneCall() {
    store.create(P + "t/z", v("z")).orElseThrow();
    RecordingListener l = new RecordingListener();
    try (Watch w = store.watch(P + "t/", Store.prefixEnd(P + "t/"), 0, l)) {
      TxnResult r = store.txn(List.of(),
          List.of(Op.put(P + "t/x", v("x")), Op.delete(P + "t/z"), Op.put(P + "t/y", v("y"))), List.of());
      List<Event> events = l.awaitEvents(3);
      assertThat(events).extracting(Event::revision).containsOnly(r.revision());
      assertThat(events).extracting(e -> e.kv().key()).containsExactly(P + "t/x", P + "t/z", P + "t/y");
      assertThat(l.calls()).hasSize(1);
    }
  }

  @Test
  void watchSeesOnlyItsRange() {
    RecordingListener l = new RecordingListener();
    try (Watch w = store.watch(P + "a/", Store.prefixEnd(P + "a/"), 0, l);
        Watch single = store.watch(P + "b/one", null, 0, new RecordingListener())) {
      put(P + "b/x", "1");
      put(P + "a/x", "1");
      put(P + "a", "1");
      put(P + "a0", "1");
      put(P + "a/y", "1");
      store.txn(List.of(), List.of(Op.put(P + "b/y", v("1")), Op.put(P + "a/z", v("1"))), List.of());
      List<Event> events = l.awaitEvents(3);
      put(P + "a/last", "1");
      events = l.awaitEvents(4);
      assertThat(events).extracting(e -> e.kv().key()).containsExactly(P + "a/x", P + "a/y", P + "a/z", P + "a/last");
    }
  }

  @Test
  void manyWritesArriveWithoutGapsOrDuplicates() {
    RecordingListener l = new RecordingListener();
    long start = store.currentRevision() + 1;
    int n = 1000;
    try (Watch w = store.watch(P, Store.prefixEnd(P), 0, l)) {
      long[] mod = new long[50];
      for (int i = 0; i < n; i++) {
        int k = i % 50;
        KeyValue kv = mod[k] == 0
            ? store.create(P + "m/" + k, json(i)).orElseThrow()
            : store.update(P + "m/" + k, json(i), mod[k]).orElseThrow();
        mod[k] = kv.modRevision();
      }
      List<Event> events = l.awaitEvents(n);
      assertThat(events).hasSize(n);
      for (int i = 0; i < n; i++) assertThat(events.get(i).revision()).isEqualTo(start + i);
    }
  }

  @Test
  void concurrentWritersAreSeenInStrictRevisionOrder() throws Exception {
    RecordingListener l = new RecordingListener();
    int threads = 8;
    int each = 250;
    try (Watch w = store.watch(P, Store.prefixEnd(P), 0, l);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int tt = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) store.create(P + "c/" + tt + "/" + i, json(i)).orElseThrow();
        }));
      }
      for (Future<?> f : fs) f.get();
      List<Event> events = l.awaitEvents(threads * each);
      assertThat(events).hasSize(threads * each);
      for (int i = 1; i < events.size(); i++) {
        assertThat(events.get(i).revision()).isEqualTo(events.get(i - 1).revision() + 1);
      }
      assertThat(events.stream().map(e -> e.kv().key()).distinct().count()).isEqualTo(threads * each);
    }
  }

  @Test
  void aSlowWatcherIsCaughtUpWithoutHoldingWritersBack() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingListener slow = new RecordingListener(gate);
    RecordingListener fast = new RecordingListener();
    long start = store.currentRevision() + 1;
    int n = 3000; // more revisions than a watcher's default queue holds
    try (Watch ws = store.watch(P, Store.prefixEnd(P), 0, slow);
        Watch wf = store.watch(P, Store.prefixEnd(P), 0, fast)) {
      createConcurrently(P + "s/", n);
      assertThat(fast.awaitEvents(n)).hasSize(n); // the writer went on while slow was stuck
      gate.countDown();
      List<Event> events = slow.awaitEvents(n);
      assertThat(events).hasSize(n);
      for (int i = 0; i < n; i++) assertThat(events.get(i).revision()).isEqualTo(start + i);
      // And it is live again afterwards.
      store.create(P + "s/last", v("x")).orElseThrow();
      assertThat(slow.awaitEvents(n + 1).getLast().kv().key()).isEqualTo(P + "s/last");
    }
  }

  @Test
  void watchFromAFutureRevisionWaitsForIt() {
    long r0 = store.currentRevision();
    RecordingListener l = new RecordingListener();
    try (Watch w = store.watch(P, Store.prefixEnd(P), r0 + 3, l)) {
      for (int i = 0; i < 4; i++) put(P + "f/" + i, "x");
      List<Event> events = l.awaitEvents(2);
      assertThat(events).extracting(Event::revision).containsExactly(r0 + 3, r0 + 4);
    }
  }

  @Test
  void closedWatchGetsNothingMore() throws Exception {
    RecordingListener closed = new RecordingListener();
    RecordingListener open = new RecordingListener();
    try (Watch w2 = store.watch(P, Store.prefixEnd(P), 0, open)) {
      Watch w1 = store.watch(P, Store.prefixEnd(P), 0, closed);
      put(P + "x", "1");
      closed.awaitEvents(1);
      w1.close();
      w1.close(); // idempotent
      put(P + "y", "1");
      open.awaitEvents(2);
      Thread.sleep(50); // give a wrong delivery a chance to show up
      assertThat(closed.events()).hasSize(1);
    }
  }

  @Test
  void closingTheStoreEndsWatches() {
    RecordingListener l = new RecordingListener();
    store.watch(P, Store.prefixEnd(P), 0, l);
    store.close();
    l.awaitClosed();
    assertThatThrownBy(() -> store.get(P + "x")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.create(P + "x", v("1"))).isInstanceOf(StoreException.class);
    store = null;
  }

  // ---- compaction

  @Test
  void compactionDropsOldRevisionsButKeepsTheState() {
    KeyValue a1 = store.create(P + "k/a", v("a1")).orElseThrow();
    KeyValue b1 = store.create(P + "k/b", v("b1")).orElseThrow();
    KeyValue a2 = store.update(P + "k/a", v("a2"), a1.modRevision()).orElseThrow();
    KeyValue c1 = store.create(P + "k/c", v("c1")).orElseThrow();
    long bDeleted = store.delete(P + "k/b", b1.modRevision()).orElseThrow(); // a deletion at the compaction point
    long compactAt = bDeleted;
    KeyValue a3 = store.update(P + "k/a", v("a3"), a2.modRevision()).orElseThrow();
    long cDeleted = store.delete(P + "k/c", c1.modRevision()).orElseThrow();
    RangeResult before = store.range(P + "k/", Store.prefixEnd(P + "k/"), compactAt, 0);

    store.compact(compactAt);
    assertThat(store.compactRevision()).isEqualTo(compactAt);

    assertThatThrownBy(() -> store.range(P + "k/", Store.prefixEnd(P + "k/"), a2.modRevision(), 0))
        .isInstanceOf(CompactedException.class)
        .satisfies(e -> assertThat(((CompactedException) e).compactRevision()).isEqualTo(compactAt));
    RangeResult at = store.range(P + "k/", Store.prefixEnd(P + "k/"), compactAt, 0);
    assertThat(at.kvs()).usingRecursiveComparison().isEqualTo(before.kvs());
    assertThat(keys(at)).containsExactly(P + "k/a", P + "k/c");
    assertThat(str(store.get(P + "k/a").orElseThrow())).isEqualTo("a3");
    assertThat(store.get(P + "k/c")).isEmpty();
    assertThat(keys(store.rangePrefix(P + "k/", 0))).containsExactly(P + "k/a");

    RecordingListener tooOld = new RecordingListener();
    store.watch(P + "k/", Store.prefixEnd(P + "k/"), compactAt, tooOld);
    assertThat(tooOld.awaitCompacted()).isEqualTo(compactAt);
    assertThat(tooOld.events()).isEmpty();

    RecordingListener after = new RecordingListener();
    try (Watch w = store.watch(P + "k/", Store.prefixEnd(P + "k/"), compactAt + 1, after)) {
      List<Event> events = after.awaitEvents(2);
      assertThat(events).extracting(Event::revision).containsExactly(a3.modRevision(), cDeleted);
      assertThat(events.get(0).prevKv()).usingRecursiveComparison().isEqualTo(a2);
      assertThat(events.get(1).prevKv()).usingRecursiveComparison().isEqualTo(c1);
    }

    // Compacting again at or below the point changes nothing; beyond the current revision is an error.
    store.compact(compactAt - 1);
    store.compact(compactAt);
    assertThat(store.compactRevision()).isEqualTo(compactAt);
    long current = store.currentRevision();
    assertThatThrownBy(() -> store.compact(current + 1)).isInstanceOf(FutureRevisionException.class);

    // Writes go on, and a second compaction (everything) keeps the live state.
    KeyValue d = store.create(P + "k/d", v("d1")).orElseThrow();
    store.compact(d.modRevision());
    assertThat(store.currentRevision()).isEqualTo(d.modRevision());
    assertThat(keys(store.rangePrefix(P + "k/", 0))).containsExactly(P + "k/a", P + "k/d");
    assertThat(store.get(P + "k/a").orElseThrow().createRevision()).isEqualTo(a1.modRevision());
    KeyValue a4 = store.update(P + "k/a", v("a4"), a3.modRevision()).orElseThrow();
    assertThat(a4.version()).isEqualTo(4);
  }

  @Test
  void aWatcherBehindACompactionIsToldSo() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingListener slow = new RecordingListener(gate);
    long start = store.currentRevision() + 1;
    try (Watch w = store.watch(P, Store.prefixEnd(P), start, slow)) {
      createConcurrently(P + "b/", 3000);
      store.compact(store.currentRevision());
      gate.countDown();
      long compacted = slow.awaitCompacted();
      assertThat(compacted).isEqualTo(store.compactRevision());
      List<Event> events = slow.events();
      for (int i = 0; i < events.size(); i++) assertThat(events.get(i).revision()).isEqualTo(start + i);
      assertThat(events.size()).isLessThan(3000);
    }
  }

  // ---- concurrency

  @Test
  void concurrentTxnsGetDistinctRevisions() throws Exception {
    long r0 = store.currentRevision();
    int threads = 16;
    int each = 100;
    ConcurrentLinkedQueue<Long> revisions = new ConcurrentLinkedQueue<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int tt = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            revisions.add(store.create(P + "p/" + tt + "/" + i, json(i)).orElseThrow().modRevision());
          }
        }));
      }
      for (Future<?> f : fs) f.get();
    }
    Set<Long> distinct = new HashSet<>(revisions);
    assertThat(distinct).hasSize(threads * each);
    assertThat(Collections.min(distinct)).isEqualTo(r0 + 1);
    assertThat(Collections.max(distinct)).isEqualTo(r0 + threads * each);
    assertThat(store.currentRevision()).isEqualTo(r0 + threads * each);
    assertThat(store.rangePrefix(P + "p/", 1).count()).isEqualTo(threads * each);
  }

  @Test
  void compareAndSwapCounterLosesNoIncrements() throws Exception {
    String key = P + "counter";
    store.create(key, v("0")).orElseThrow();
    int threads = 16;
    int each = 40;
    AtomicInteger conflicts = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            while (true) {
              KeyValue cur = store.get(key).orElseThrow();
              int n = Integer.parseInt(str(cur));
              if (store.update(key, v(Integer.toString(n + 1)), cur.modRevision()).isPresent()) break;
              conflicts.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> f : fs) f.get();
    }
    KeyValue end = store.get(key).orElseThrow();
    assertThat(str(end)).isEqualTo(Integer.toString(threads * each));
    assertThat(end.version()).isEqualTo(threads * each + 1);
  }

  // ---- persistence

  @Test
  void dataRevisionsAndHistorySurviveReopening() {
    assumeTrue(persistent(), "not a persistent backend");
    KeyValue a1 = store.create(P + "a", v("a1")).orElseThrow();
    KeyValue b1 = store.create(P + "b", v("b1")).orElseThrow();
    KeyValue a2 = store.update(P + "a", v("a2"), a1.modRevision()).orElseThrow();
    store.compact(b1.modRevision());
    long bDeleted = store.delete(P + "b", b1.modRevision()).orElseThrow();
    long rev = store.currentRevision();
    store.close();

    store = newStore(dir);
    assertThat(store.currentRevision()).isEqualTo(rev);
    assertThat(store.compactRevision()).isEqualTo(b1.modRevision());
    assertThat(store.get(P + "a").orElseThrow()).usingRecursiveComparison().isEqualTo(a2);
    assertThat(store.get(P + "b")).isEmpty();
    assertThat(keys(store.range(P, Store.prefixEnd(P), b1.modRevision(), 0))).containsExactly(P + "a", P + "b");

    RecordingListener l = new RecordingListener();
    try (Watch w = store.watch(P, Store.prefixEnd(P), b1.modRevision() + 1, l)) {
      List<Event> events = l.awaitEvents(2);
      assertThat(events).extracting(Event::revision).containsExactly(a2.modRevision(), bDeleted);
      assertThat(events.get(1).prevKv()).usingRecursiveComparison().isEqualTo(b1);
      KeyValue c = store.create(P + "c", v("c")).orElseThrow();
      assertThat(c.modRevision()).isEqualTo(rev + 1);
      assertThat(l.awaitEvents(3).getLast().kv()).usingRecursiveComparison().isEqualTo(c);
    }
  }

  @Test
  void aDeletionAsTheLastWriteBeforeCompactionKeepsTheRevision() {
    assumeTrue(persistent(), "not a persistent backend");
    KeyValue a = store.create(P + "a", v("1")).orElseThrow();
    long deleted = store.delete(P + "a", a.modRevision()).orElseThrow();
    store.compact(deleted);
    store.close();
    store = newStore(dir);
    assertThat(store.currentRevision()).isEqualTo(deleted);
    assertThat(store.create(P + "a", v("2")).orElseThrow().modRevision()).isEqualTo(deleted + 1);
  }
}
