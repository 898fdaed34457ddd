package io.kava.store.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.store.Op;
import io.kava.store.Store;
import io.kava.store.memory.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AutoCompactorTest {
  private final Store store = new MemoryStore();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @AfterEach
  void close() {
    store.close();
  }

  private void write(int n) {
    for (int i = 0; i < n; i++) store.txn(List.of(), List.of(Op.put("/k", new byte[] {1})), List.of());
  }

  private void advance(Duration d) { clock.addAndGet(d.toNanos()); }

  @Test
  void keepsTheLastRevisions() {
    AutoCompactor c = new AutoCompactor(store, AutoCompactor.Retention.revisions(10), Duration.ofMinutes(1),
        clock::get);
    write(5);
    assertThat(c.runOnce()).isZero(); // fewer than 10 revisions: nothing to drop
    write(20);
    assertThat(c.runOnce()).isEqualTo(15);
    assertThat(store.compactRevision()).isEqualTo(15);
    assertThat(c.runOnce()).isZero(); // nothing new
  }

  @Test
  void kubernetesStyleCompactsToTheRevisionOfTheTickBefore() {
    AutoCompactor c = new AutoCompactor(store, AutoCompactor.Retention.age(Duration.ofMinutes(5)),
        Duration.ofMinutes(5), clock::get);
    write(10);
    assertThat(c.runOnce()).isZero(); // remembers revision 10
    write(10);
    advance(Duration.ofMinutes(5));
    assertThat(c.runOnce()).isEqualTo(10); // compacts to what was current 5 minutes ago; remembers 20
    write(5);
    advance(Duration.ofMinutes(2));
    assertThat(c.runOnce()).isZero(); // 20 is not 5 minutes old yet
    advance(Duration.ofMinutes(3));
    assertThat(c.runOnce()).isEqualTo(20);
    assertThat(store.compactRevision()).isEqualTo(20);
  }

  @Test
  void startedCompactorTicksUntilClosed() throws Exception {
    write(30);
    try (AutoCompactor c = new AutoCompactor(store, AutoCompactor.Retention.revisions(5), Duration.ofMillis(10))) {
      c.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (store.compactRevision() != 25 && System.nanoTime() < deadline) Thread.sleep(5);
      assertThat(store.compactRevision()).isEqualTo(25);
    }
  }
}
