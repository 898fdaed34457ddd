package io.kava.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where start-up time goes, logged at debug level (KAVA_LOG_LEVEL=DEBUG): each step's wall time and the CPU time of
 * the thread that ran it. On a busy machine wall time mostly measures the neighbours; the thread's CPU time does not.
 */
final class StartupTimer {
  private static final Logger log = LoggerFactory.getLogger(StartupTimer.class);
  private static final Path THREAD_SCHEDSTAT = Path.of("/proc/thread-self/schedstat");
  private final List<String> steps = new ArrayList<>();
  private final boolean enabled = log.isDebugEnabled();
  // the process's start (as the kernel counts it), without loading JMX for it; -1 when unknown
  private final long processStartMillis = enabled
      ? ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L) : -1;
  private long last = System.nanoTime();
  private final long startedAt = processStartMillis < 0 ? -1 : System.currentTimeMillis() - processStartMillis;
  // CPU this thread used before the timer started (the JVM's own start-up and the command line's parsing, on main)
  private final long[] before = enabled ? threadSchedstat() : null;
  private long[] lastSched = before;

  void step(String name) {
    long now = System.nanoTime();
    if (enabled) {
      long[] sched = threadSchedstat();
      // each step's duration and when it ended, counted from the process's start (class loading before main included)
      List<String> notes = new ArrayList<>(2);
      if (sched != null && lastSched != null) {
        notes.add("CPU " + (sched[0] - lastSched[0]) / 1_000_000 + " ms");
        notes.add("waiting for a CPU " + (sched[1] - lastSched[1]) / 1_000_000 + " ms");
      }
      if (processStartMillis >= 0) notes.add("at " + (System.currentTimeMillis() - processStartMillis) + " ms");
      steps.add(name + " " + (now - last) / 1_000_000 + " ms" + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")"));
      lastSched = sched;
    }
    last = now;
  }

  /** Each step's duration and end, then the time since the process started. */
  void log() {
    if (enabled) {
      long sinceStart = processStartMillis < 0 ? -1 : System.currentTimeMillis() - processStartMillis;
      String cpuBefore = before == null ? "" : " (" + before[0] / 1_000_000 + " ms CPU on this thread before, "
          + before[1] / 1_000_000 + " ms waiting for a CPU)";
      log.debug("start-up from {} ms after the process started{}: {}; {} ms since the process started", startedAt, cpuBefore,
          String.join(", ", steps), sinceStart);
    }
  }

  /**
   * This thread's time on a CPU and time runnable but waiting for one, in nanoseconds (Linux's schedstat: its first
   * two fields); null where there is none. What is neither was spent blocked (I/O, locks, waiting for other threads).
   */
  static long[] threadSchedstat() {
    try {
      String[] f = Files.readString(THREAD_SCHEDSTAT).strip().split(" ");
      return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
