package io.kava.node.sim;

import io.kava.client.ApiException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step (register, unregister, resume) for many simulated nodes, a few at a time, retrying API errors with
 * back-off. It stops as soon as the leadership term it runs for has ended: a term that lost its lease under CPU
 * starvation must not go on writing thousands of nodes (the next term starts over), nor fail on each of them.
 */
final class NodeSteps {
  private static final Logger log = LoggerFactory.getLogger(NodeSteps.class);
  static final int MAX_ATTEMPTS = 6;
  /** First retry delay; doubled on each further attempt. Tests lower it. */
  static volatile long retryMillis = 200;

  private NodeSteps() {}

  interface Step<T> {
    void run(T t) throws Exception;
  }

  /**
   * Runs {@code step} for each item, at most {@code concurrency} at once; returns when all started steps ended.
   * No new step starts, and no failed step is retried, once {@code live} answers false.
   */
  static <T> void runAll(List<T> items, int concurrency, Step<T> step, BooleanSupplier live) throws InterruptedException {
    if (items.isEmpty()) return;
    Semaphore permits = new Semaphore(concurrency);
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (T item : items) {
        permits.acquire();
        if (!live.getAsBoolean()) {
          permits.release();
          break;
        }
        ex.submit(() -> {
          try {
            for (int attempt = 0; live.getAsBoolean(); attempt++) {
              try {
                step.run(item);
                return;
              } catch (ApiException e) {
                if (attempt + 1 >= MAX_ATTEMPTS) {
                  log.warn("simulated node {}: {}", item, e.getMessage());
                  return;
                }
                TimeUnit.MILLISECONDS.sleep(retryMillis << attempt);
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            log.warn("simulated node {}", item, e);
          } finally {
            permits.release();
          }
        });
      }
    }
  }
}
