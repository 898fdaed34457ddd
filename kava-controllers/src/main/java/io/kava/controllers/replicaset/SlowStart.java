package io.kava.controllers.replicaset;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Upstream's slowStartBatch: runs {@code count} calls in batches of 1, 2, 4, … (each batch in parallel) and stops
 * after the first batch with a failure. A request that fails for all (quota, admission, a terminating namespace)
 * therefore costs a handful of calls rather than {@code count}.
 */
public final class SlowStart {
  /** Upstream's SlowStartInitialBatchSize. */
  public static final int INITIAL_BATCH_SIZE = 1;

  /** One call of the batch. */
  @FunctionalInterface
  public interface Call {
    void run() throws Exception;
  }

  /** How many calls succeeded, and the first failure of the batch that stopped the run (null if none did). */
  public record Outcome(int successes, Exception error) {}

  private SlowStart() {}

  public static Outcome run(int count, int initialBatchSize, Call call) {
    int remaining = count;
    int successes = 0;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
        List<Future<?>> calls = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          calls.add(pool.submit(() -> {
            call.run();
            return null;
          }));
        }
        Exception first = null;
        int failed = 0;
        for (Future<?> f : calls) {
          try {
            f.get();
          } catch (ExecutionException e) {
            failed++;
            if (first == null) first = e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed++;
            if (first == null) first = e;
          }
        }
        successes += batch - failed;
        if (first != null) return new Outcome(successes, first);
        remaining -= batch;
      }
    }
    return new Outcome(successes, null);
  }
}
