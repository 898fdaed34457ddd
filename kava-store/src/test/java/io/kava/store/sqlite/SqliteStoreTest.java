package io.kava.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.store.Event;
import io.kava.store.KeyValue;
import io.kava.store.RecordingListener;
import io.kava.store.Store;
import io.kava.store.StoreContractTest;
import io.kava.store.StoreException;
import io.kava.store.Watch;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqliteStoreTest extends StoreContractTest {
  @Override
  protected Store newStore(Path dir) {
    return new SqliteStore(dir.resolve("kava.db"));
  }

  @Override
  protected boolean persistent() { return true; }

  private long historyRows() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kava.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM history")) {
      return rs.getLong(1);
    }
  }

  private void awaitCompactionDone() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (((SqliteStore) store).compacting() && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(((SqliteStore) store).compacting()).isFalse();
  }

  @Test
  void compactionRemovesSupersededRowsFromTheFile() throws Exception {
    createConcurrently(P + "c/", 10);
    for (int round = 0; round < 60; round++) {
      for (int k = 0; k < 10; k++) {
        KeyValue kv = store.get(P + "c/" + k).orElseThrow();
        store.update(kv.key(), json(round), kv.modRevision()).orElseThrow();
      }
    }
    KeyValue gone = store.create(P + "gone", json(0)).orElseThrow();
    store.delete(P + "gone", gone.modRevision()).orElseThrow();
    long keep = store.currentRevision();
    store.create(P + "after", json(1)).orElseThrow();
    assertThat(historyRows()).isEqualTo(10 + 600 + 2 + 1);

    store.compact(keep);
    awaitCompactionDone();
    assertThat(historyRows()).isEqualTo(10 + 1); // one row per live key at the point, plus the later write
    assertThat(store.rangePrefix(P + "c/", 0).count()).isEqualTo(10);
    assertThat(store.range(P, Store.prefixEnd(P), keep, 0).count()).isEqualTo(10);
  }

  @Test
  void anInterruptedCompactionResumesOnOpen() throws Exception {
    KeyValue a = store.create(P + "a", json(0)).orElseThrow();
    for (int i = 1; i <= 50; i++) a = store.update(P + "a", json(i), a.modRevision()).orElseThrow();
    long point = store.currentRevision();
    store.close();
    store = null;
    // As if the process died right after persisting the compaction point, before removing anything.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kava.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE meta SET value = " + point + " WHERE name = 'compact_rev'");
    }
    assertThat(historyRows()).isEqualTo(51);
    store = newStore(dir);
    assertThat(store.compactRevision()).isEqualTo(point);
    awaitCompactionDone();
    assertThat(historyRows()).isEqualTo(1);
    assertThat(store.get(P + "a").orElseThrow().version()).isEqualTo(51);
  }

  @Test
  void oneStoreOpensAFileAtATime() {
    assertThatThrownBy(() -> new SqliteStore(dir.resolve("kava.db"))).isInstanceOf(StoreException.class)
        .hasMessageContaining("already open");
  }

  @Test
  void normalSyncModeKeepsTheSameSemantics() {
    store.close();
    store = new SqliteStore(dir.resolve("normal.db"), SqliteStore.Options.defaults().withSync(SqliteStore.Sync.NORMAL));
    RecordingListener l = new RecordingListener();
    try (Watch w = store.watch(P, Store.prefixEnd(P), 0, l)) {
      KeyValue kv = store.create(P + "n", json(1)).orElseThrow();
      assertThat(store.get(P + "n").orElseThrow().modRevision()).isEqualTo(kv.modRevision());
      List<Event> events = l.awaitEvents(1);
      assertThat(events.getFirst().revision()).isEqualTo(kv.modRevision());
    }
  }
}
