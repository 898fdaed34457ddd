package io.kava.node.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/** Manual time: {@link #advance} runs due tasks in order on the calling thread. */
final class FakeProbeClock implements ProbeClock {
  private record Task(Instant at, long seq, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
  private Instant now;
  private long seq;

  FakeProbeClock(Instant now) { this.now = now; }

  @Override public synchronized Instant now() { return now; }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(now.plus(delay), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  void advance(Duration d) {
    Instant end;
    synchronized (this) { end = now.plus(d); }
    while (true) {
      Task t;
      synchronized (this) {
        t = tasks.peek();
        if (t == null || t.at.isAfter(end)) { now = end; return; }
        tasks.poll();
        now = t.at;
      }
      if (!t.cancelled[0]) t.run.run();
    }
  }

  void advanceSeconds(long s) { advance(Duration.ofSeconds(s)); }

  synchronized int pending() { return (int) tasks.stream().filter(t -> !t.cancelled[0]).count(); }
}
