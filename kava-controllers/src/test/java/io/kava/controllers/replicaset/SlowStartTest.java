package io.kava.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlowStartTest {
  @Test
  void runsEverythingWhenNothingFails() {
    AtomicInteger calls = new AtomicInteger();
    SlowStart.Outcome out = SlowStart.run(10, 1, calls::incrementAndGet);
    assertThat(out.successes()).isEqualTo(10);
    assertThat(out.error()).isNull();
    assertThat(calls.get()).isEqualTo(10);
  }

  @Test
  void stopsAfterTheBatchWithTheFirstFailure() {
    // Batches of 1, 2, 4, 8: the 4th call (in the third batch) fails, so the third batch is the last.
    AtomicInteger calls = new AtomicInteger();
    SlowStart.Outcome out = SlowStart.run(100, 1, () -> {
      if (calls.incrementAndGet() == 4) throw new IllegalStateException("quota");
    });
    assertThat(calls.get()).isEqualTo(7);
    assertThat(out.successes()).isEqualTo(6);
    assertThat(out.error()).hasMessage("quota");
  }

  @Test
  void aFailingFirstCallCostsOneCall() {
    AtomicInteger calls = new AtomicInteger();
    SlowStart.Outcome out = SlowStart.run(500, 1, () -> {
      calls.incrementAndGet();
      throw new IllegalStateException("forbidden");
    });
    assertThat(calls.get()).isEqualTo(1);
    assertThat(out.successes()).isZero();
  }

  @Test
  void zeroIsNothing() {
    assertThat(SlowStart.run(0, 1, () -> { throw new AssertionError(); }).successes()).isZero();
  }
}
