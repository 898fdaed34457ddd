package io.kava.bench;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load generator: {@code concurrency} slots, each with one request in flight; when a response has been
 * read to its end the slot sends the next request. Runs for a duration or a number of requests.
 */
final class LoadRunner {
  /** One request: completes with the response status once the whole body has been read. */
  interface Op {
    Future<Reply> run(long seq);
  }

  record Reply(int status, int bytes, String version) {}

  /**
   * @param ok       requests answered with an expected status
   * @param errors   failures and unexpected statuses
   * @param elapsed  first request sent → last response read
   * @param latency  per successful request, nanoseconds
   */
  record Result(long ok, long errors, String firstError, long elapsedNanos, Samples latency, long bytes, String version,
                long[] perSecondTimeline) {
    double perSecond() { return ok / (elapsedNanos / 1e9); }

    /** Completions in each second of the run, e.g. "5012 4980 120 4890": a stall shows as a dip. */
    String timeline() {
      StringBuilder sb = new StringBuilder();
      for (long c : perSecondTimeline) sb.append(sb.isEmpty() ? "" : " ").append(c);
      return sb.toString();
    }
  }

  private LoadRunner() {}

  /**
   * @param count when &gt; 0, send exactly this many requests (the duration is then only a safety limit)
   */
  static Result run(int concurrency, Duration duration, long count, Op op, int... expected) throws InterruptedException {
    AtomicLong seq = new AtomicLong();
    LongAdder ok = new LongAdder();
    LongAdder errors = new LongAdder();
    LongAdder bytes = new LongAdder();
    AtomicReference<String> firstError = new AtomicReference<>();
    AtomicReference<String> version = new AtomicReference<>("?");
    CountDownLatch done = new CountDownLatch(concurrency);
    List<Samples> perSlot = new ArrayList<>();
    long start = System.nanoTime();
    long deadline = start + (count > 0 ? TimeUnit.MINUTES.toNanos(30) : duration.toNanos());
    AtomicLong lastEnd = new AtomicLong(start);
    java.util.concurrent.atomic.AtomicLongArray timeline = new java.util.concurrent.atomic.AtomicLongArray(
        (int) Math.min(3600, TimeUnit.NANOSECONDS.toSeconds(deadline - start) + 2));
    for (int i = 0; i < concurrency; i++) {
      Samples samples = new Samples(4096);
      perSlot.add(samples);
      new Slot(op, seq, count, start, deadline, samples, ok, errors, bytes, firstError, version, done, lastEnd, timeline, expected).next();
    }
    long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadline - start) + 120_000;
    if (!done.await(waitMillis, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("load run did not finish: " + done.getCount() + " slots still busy");
    }
    int seconds = (int) Math.min(timeline.length(), Math.max(1, (lastEnd.get() - start + 999_999_999L) / 1_000_000_000L));
    long[] perSecond = new long[seconds];
    for (int i = 0; i < seconds; i++) perSecond[i] = timeline.get(i);
    return new Result(ok.sum(), errors.sum(), firstError.get(), lastEnd.get() - start, Samples.merge(perSlot), bytes.sum(), version.get(),
        perSecond);
  }

  private static final class Slot {
    private final Op op;
    private final AtomicLong seq;
    private final long count;
    private final long start;
    private final long deadline;
    private final java.util.concurrent.atomic.AtomicLongArray timeline;
    private final Samples samples;
    private final LongAdder ok, errors, bytes;
    private final AtomicReference<String> firstError, version;
    private final CountDownLatch done;
    private final AtomicLong lastEnd;
    private final int[] expected;

    Slot(Op op, AtomicLong seq, long count, long start, long deadline, Samples samples, LongAdder ok, LongAdder errors, LongAdder bytes,
         AtomicReference<String> firstError, AtomicReference<String> version, CountDownLatch done, AtomicLong lastEnd,
         java.util.concurrent.atomic.AtomicLongArray timeline, int[] expected) {
      this.op = op;
      this.seq = seq;
      this.count = count;
      this.start = start;
      this.deadline = deadline;
      this.timeline = timeline;
      this.samples = samples;
      this.ok = ok;
      this.errors = errors;
      this.bytes = bytes;
      this.firstError = firstError;
      this.version = version;
      this.done = done;
      this.lastEnd = lastEnd;
      this.expected = expected;
    }

    void next() {
      long t0 = System.nanoTime();
      if (t0 >= deadline) {
        finish();
        return;
      }
      long n = seq.getAndIncrement();
      if (count > 0 && n >= count) {
        finish();
        return;
      }
      Future<Reply> f;
      try {
        f = op.run(n);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        long t1 = System.nanoTime();
        if (ar.succeeded() && isExpected(ar.result().status())) {
          ok.increment();
          bytes.add(ar.result().bytes());
          samples.add(t1 - t0);
          int second = (int) ((t1 - start) / 1_000_000_000L);
          if (second < timeline.length()) timeline.incrementAndGet(second);
          if (version.get().equals("?")) version.set(ar.result().version());
        } else {
          errors.increment();
          firstError.compareAndSet(null, ar.succeeded() ? "HTTP " + ar.result().status() : String.valueOf(ar.cause()));
          if (ar.failed()) {
            // a refused or broken connection: do not spin
            try {
              Thread.sleep(1);
            } catch (InterruptedException ignored) {
              Thread.currentThread().interrupt();
            }
          }
        }
        lastEnd.accumulateAndGet(t1, Math::max);
        next();
      });
    }

    private boolean isExpected(int status) {
      for (int e : expected) if (e == status) return true;
      return false;
    }

    private void finish() { done.countDown(); }
  }
}
