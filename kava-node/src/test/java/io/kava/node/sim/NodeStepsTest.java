package io.kava.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.client.ApiException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeStepsTest {
  long savedRetry;

  @BeforeEach
  void fastRetries() {
    savedRetry = NodeSteps.retryMillis;
    NodeSteps.retryMillis = 1;
  }

  @AfterEach
  void restore() { NodeSteps.retryMillis = savedRetry; }

  static List<Integer> items(int n) { return IntStream.range(0, n).boxed().toList(); }

  @Test
  void runsEveryItemAndRetriesApiErrors() throws Exception {
    Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
    NodeSteps.runAll(items(50), 4, i -> {
      int n = calls.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
      if (i % 10 == 0 && n < 3) throw new ApiException(500, "InternalError", "try again");
    }, () -> true);
    assertThat(calls).hasSize(50);
    assertThat(calls.get(10).get()).isEqualTo(3);
    assertThat(calls.get(11).get()).isEqualTo(1);
  }

  @Test
  void givesUpOnAnItemAfterMaxAttempts() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    NodeSteps.runAll(items(1), 1, i -> {
      calls.incrementAndGet();
      throw new ApiException(500, "InternalError", "always");
    }, () -> true);
    assertThat(calls.get()).isEqualTo(NodeSteps.MAX_ATTEMPTS);
  }

  @Test
  void stopsStartingStepsOnceTheTermEnded() throws Exception {
    AtomicBoolean live = new AtomicBoolean(true);
    AtomicInteger ran = new AtomicInteger();
    NodeSteps.runAll(items(1000), 1, i -> {
      if (ran.incrementAndGet() == 3) live.set(false); // e.g. the lease was lost while registering the third node
    }, live::get);
    assertThat(ran.get()).isEqualTo(3);
  }

  @Test
  void aFailedStepIsNotRetriedAfterTheTermEnded() throws Exception {
    AtomicBoolean live = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    NodeSteps.runAll(items(1), 1, i -> {
      calls.incrementAndGet();
      live.set(false);
      throw new ApiException(409, "Conflict", "lost");
    }, live::get);
    assertThat(calls.get()).isEqualTo(1);
  }
}
