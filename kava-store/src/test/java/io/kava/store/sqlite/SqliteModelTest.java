package io.kava.store.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.store.Compare;
import io.kava.store.Event;
import io.kava.store.KeyValue;
import io.kava.store.Op;
import io.kava.store.RangeResult;
import io.kava.store.RecordingListener;
import io.kava.store.Store;
import io.kava.store.TxnResult;
import io.kava.store.Watch;
import io.kava.store.memory.MemoryStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random txns against the SQLite store and the memory store side by side: every read at every revision, every
 * watch replay and every compaction must agree. The memory store is the simpler model (all versions in a map), the
 * SQLite one reconstructs past states from prev_id links.
 */
class SqliteModelTest {
  @TempDir Path dir;

  private static String show(KeyValue kv) {
    return kv == null ? "null" : kv.key() + "=" + new String(kv.value(), UTF_8) + "@" + kv.createRevision() + "/"
        + kv.modRevision() + "/v" + kv.version();
  }

  private static List<String> show(RangeResult r) {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : r.kvs()) out.add(show(kv));
    out.add("rev=" + r.revision() + " more=" + r.more() + " count=" + r.count());
    return out;
  }

  private static List<String> showEvents(List<Event> events) {
    return events.stream().map(e -> e.type() + " " + show(e.kv()) + " prev " + show(e.prevKv())).toList();
  }

  private static List<String> showResult(TxnResult r) {
    List<String> out = new ArrayList<>();
    out.add(r.succeeded() + " rev=" + r.revision());
    for (KeyValue kv : r.results()) out.add(show(kv));
    return out;
  }

  @Test
  void randomTxnsAgreeWithTheMemoryModel() {
    Random rnd = new Random(42);
    try (Store sqlite = new SqliteStore(dir.resolve("kava.db"),
            SqliteStore.Options.defaults().withSync(SqliteStore.Sync.NORMAL));
        Store model = new MemoryStore()) {
      String[] keys = new String[24];
      for (int i = 0; i < keys.length; i++) keys[i] = "/r/" + (char) ('a' + i % 6) + "/" + i;
      for (int step = 0; step < 400; step++) {
        List<Compare> compares = new ArrayList<>();
        List<Op> ok = new ArrayList<>();
        List<Op> fail = new ArrayList<>();
        Set<String> used = new HashSet<>();
        int ops = 1 + rnd.nextInt(3);
        for (int i = 0; i < ops; i++) {
          String key = keys[rnd.nextInt(keys.length)];
          if (!used.add(key)) continue;
          int kind = rnd.nextInt(10);
          if (kind < 6) ok.add(Op.put(key, ("v" + step + "-" + i).getBytes(UTF_8)));
          else if (kind < 9) ok.add(Op.delete(key));
          else ok.add(Op.get(key));
        }
        if (rnd.nextInt(3) == 0) {
          String key = keys[rnd.nextInt(keys.length)];
          long mod = model.get(key).map(KeyValue::modRevision).orElse(0L);
          compares.add(Compare.modRevision(key, rnd.nextBoolean() ? mod : mod + 1));
          fail.add(Op.get(key));
        }
        assertThat(showResult(sqlite.txn(compares, ok, fail))).isEqualTo(showResult(model.txn(compares, ok, fail)));
        if (step % 100 == 99) {
          long target = model.compactRevision() + rnd.nextInt((int) (model.currentRevision() - model.compactRevision()));
          sqlite.compact(target);
          model.compact(target);
        }
      }
      assertThat(sqlite.currentRevision()).isEqualTo(model.currentRevision());
      assertThat(sqlite.compactRevision()).isEqualTo(model.compactRevision());
      for (long rev = sqlite.compactRevision(); rev <= sqlite.currentRevision(); rev++) {
        for (String[] range : new String[][] {{"/r/", "/r0"}, {"/r/b/", "/r/b0"}, {"/r/c", "\0"}, {"/", "\0"}}) {
          for (long limit : new long[] {0, 2}) {
            assertThat(show(sqlite.range(range[0], range[1], rev, limit)))
                .as("range %s..%s at %d limit %d", range[0], range[1], rev, limit)
                .isEqualTo(show(model.range(range[0], range[1], rev, limit)));
          }
        }
      }
      for (String k : keys) assertThat(show(sqlite.get(k).orElse(null))).isEqualTo(show(model.get(k).orElse(null)));

      long from = sqlite.compactRevision() + 1;
      RecordingListener a = new RecordingListener();
      RecordingListener b = new RecordingListener();
      try (Watch wa = sqlite.watch("/r/", "/r0", from, a); Watch wb = model.watch("/r/", "/r0", from, b)) {
        sqlite.txn(List.of(), List.of(Op.put("/r/end", new byte[0])), List.of());
        model.txn(List.of(), List.of(Op.put("/r/end", new byte[0])), List.of());
        List<Event> fromModel = b.awaitEvents(1);
        while (fromModel.isEmpty() || !fromModel.getLast().kv().key().equals("/r/end")) {
          fromModel = b.awaitEvents(fromModel.size() + 1);
        }
        List<Event> fromSqlite = a.awaitEvents(fromModel.size());
        assertThat(showEvents(fromSqlite)).isEqualTo(showEvents(fromModel));
      }
    }
  }
}
