package io.kava.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The client-go work queue contract, on a hand-moved clock: no assertion depends on how fast this machine is. */
class WorkQueueTest {
  final FakeTicker clock = new FakeTicker();
  final WorkQueue<String> q = new WorkQueue<>("test", RateLimiter.controllerDefault(clock), clock);

  @Test
  void handsOutItemsInOrderAndMergesDuplicatesWhileWaiting() {
    q.add("a");
    q.add("b");
    q.add("a");
    assertThat(q.len()).isEqualTo(2);
    assertThat(q.poll()).isEqualTo("a");
    assertThat(q.poll()).isEqualTo("b");
    assertThat(q.poll()).isNull();
  }

  @Test
  void anItemIsNeverHandedToTwoWorkersAtOnce() {
    q.add("a");
    String held = q.poll();
    q.add("a"); // changed again while a worker holds it
    assertThat(q.len()).isZero();
    assertThat(q.poll()).as("second worker must not get the held item").isNull();
    q.done(held);
    assertThat(q.poll()).as("re-queued once the first worker is done").isEqualTo("a");
  }

  @Test
  void addsWhileProcessingMergeIntoOneRequeue() {
    q.add("a");
    String held = q.poll();
    q.add("a");
    q.add("a");
    q.add("a");
    q.done(held);
    assertThat(q.len()).isEqualTo(1);
    q.done(q.poll());
    assertThat(q.len()).isZero();
  }

  @Test
  void doneWithoutChangesDoesNotRequeue() {
    q.add("a");
    q.done(q.poll());
    assertThat(q.len()).isZero();
    assertThat(q.poll()).isNull();
  }

  @Test
  void addAfterWaitsForItsTime() {
    q.addAfter("a", Duration.ofSeconds(10));
    assertThat(q.poll()).isNull();
    assertThat(q.waitingLen()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(9));
    assertThat(q.poll()).isNull();
    clock.advance(Duration.ofSeconds(1));
    assertThat(q.poll()).isEqualTo("a");
    assertThat(q.waitingLen()).isZero();
  }

  @Test
  void addAfterKeepsTheEarlierTimeForTheSameItem() {
    q.addAfter("a", Duration.ofSeconds(10));
    q.addAfter("a", Duration.ofSeconds(2));
    q.addAfter("a", Duration.ofSeconds(30));
    assertThat(q.waitingLen()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    assertThat(q.poll()).isEqualTo("a");
    clock.advance(Duration.ofSeconds(60));
    assertThat(q.poll()).as("the later requests were merged, not kept").isNull();
  }

  @Test
  void delayedItemsBecomeReadyInTimeOrder() {
    q.addAfter("late", Duration.ofSeconds(3));
    q.addAfter("early", Duration.ofSeconds(1));
    q.addAfter("middle", Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(5));
    assertThat(List.of(q.poll(), q.poll(), q.poll())).containsExactly("early", "middle", "late");
  }

  @Test
  void zeroDelayAddsAtOnce() {
    q.addAfter("a", Duration.ZERO);
    assertThat(q.poll()).isEqualTo("a");
  }

  @Test
  void delayedAddOfAHeldItemRequeuesAfterDone() {
    q.add("a");
    String held = q.poll();
    q.addAfter("a", Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(q.poll()).isNull();
    q.done(held);
    assertThat(q.poll()).isEqualTo("a");
  }

  @Test
  void rateLimitedRequeuesBackOffExponentiallyPerItem() {
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      q.addRateLimited("a");
      delays.add(delayUntilReady("a"));
    }
    assertThat(delays).containsExactly(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
        Duration.ofMillis(40), Duration.ofMillis(80));
    assertThat(q.numRequeues("a")).isEqualTo(5);
    q.addRateLimited("b");
    assertThat(delayUntilReady("b")).as("other items have their own backoff").isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void forgetResetsTheBackoff() {
    q.addRateLimited("a");
    delayUntilReady("a");
    q.addRateLimited("a");
    delayUntilReady("a");
    q.forget("a");
    assertThat(q.numRequeues("a")).isZero();
    q.addRateLimited("a");
    assertThat(delayUntilReady("a")).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void backoffIsCappedAtOneThousandSeconds() {
    ExponentialBackoffRateLimiter<String> l = new ExponentialBackoffRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    Duration last = Duration.ZERO;
    for (int i = 0; i < 100; i++) last = l.when("a");
    assertThat(last).isEqualTo(Duration.ofSeconds(1000));
  }

  @Test
  void theTokenBucketLimitsRetriesOverAllItems() {
    TokenBucketRateLimiter<String> bucket = new TokenBucketRateLimiter<>(10, 100, clock);
    for (int i = 0; i < 100; i++) assertThat(bucket.when("item-" + i)).isEqualTo(Duration.ZERO);
    // The burst is spent: each further retry waits for its own token, 100 ms apart at 10 per second.
    assertThat(bucket.when("x")).isEqualTo(Duration.ofMillis(100));
    assertThat(bucket.when("y")).isEqualTo(Duration.ofMillis(200));
    clock.advance(Duration.ofSeconds(10));
    assertThat(bucket.when("z")).as("refilled").isEqualTo(Duration.ZERO);
  }

  @Test
  void theDefaultLimiterTakesTheLongerOfBackoffAndBucket() {
    RateLimiter<String> l = RateLimiter.controllerDefault(clock);
    for (int i = 0; i < 100; i++) l.when("burst-" + i);
    assertThat(l.when("fresh")).as("bucket empty: the bucket's wait wins over 5 ms").isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void shutdownDropsPendingItemsAndIgnoresAdds() {
    q.add("a");
    q.addAfter("b", Duration.ofSeconds(1));
    q.shutdown();
    q.add("c");
    clock.advance(Duration.ofSeconds(2));
    assertThat(q.isShuttingDown()).isTrue();
    assertThat(q.len()).isZero();
    assertThat(q.poll()).isNull();
  }

  @Test
  void shutdownWakesABlockedTaker() throws Exception {
    AtomicReference<String> got = new AtomicReference<>("not returned");
    CountDownLatch returned = new CountDownLatch(1);
    Thread worker = Thread.ofVirtual().start(() -> {
      try {
        got.set(q.take());
      } catch (InterruptedException e) {
        got.set("interrupted");
      }
      returned.countDown();
    });
    q.shutdown();
    assertThat(returned.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(got.get()).isNull();
    worker.join();
  }

  @Test
  void takeBlocksUntilAnItemIsAdded() throws Exception {
    AtomicReference<String> got = new AtomicReference<>();
    CountDownLatch returned = new CountDownLatch(1);
    Thread worker = Thread.ofVirtual().start(() -> {
      try {
        got.set(q.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      returned.countDown();
    });
    q.add("a");
    assertThat(returned.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(got.get()).isEqualTo("a");
    worker.join();
  }

  @Test
  void concurrentWorkersNeverShareAnItem() throws Exception {
    WorkQueue<String> real = WorkQueue.withDefaultRateLimiter("concurrent");
    java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger processed = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      workers.add(Thread.ofVirtual().start(() -> {
        try {
          for (String k; (k = real.take()) != null; ) {
            if (!inFlight.add(k)) overlaps.incrementAndGet();
            Thread.yield();
            inFlight.remove(k);
            processed.incrementAndGet();
            real.done(k);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    for (int i = 0; i < 2000; i++) real.add("key-" + (i % 5));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((real.len() > 0 || processed.get() < 5) && System.nanoTime() < deadline) Thread.sleep(5);
    real.shutdown();
    for (Thread t : workers) t.join();
    assertThat(overlaps.get()).isZero();
    assertThat(processed.get()).isBetween(5, 2000);
  }

  /** Moves the clock until {@code item} is handed out, returning how far it had to move; releases the item. */
  private Duration delayUntilReady(String item) {
    long start = clock.now;
    for (int ms = 0; ms <= 2_000_000; ms++) {
      String got = q.poll();
      if (got != null) {
        assertThat(got).isEqualTo(item);
        q.done(got);
        return Duration.ofNanos(clock.now - start);
      }
      clock.advance(Duration.ofMillis(1));
    }
    throw new AssertionError(item + " never became ready");
  }

  static final class FakeTicker implements Ticker {
    volatile long now = 1_000_000_000L;

    @Override
    public long nanoTime() { return now; }

    void advance(Duration d) { now += d.toNanos(); }
  }
}
