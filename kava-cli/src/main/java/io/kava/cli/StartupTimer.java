package io.kava.cli;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where start-up time goes, logged at debug level (KAVA_LOG_LEVEL=DEBUG). */
final class StartupTimer {
  private static final Logger log = LoggerFactory.getLogger(StartupTimer.class);
  private final List<String> steps = new ArrayList<>();
  private final boolean enabled = log.isDebugEnabled();
  // the process's start (as the kernel counts it), without loading JMX for it; -1 when unknown
  private final long processStartMillis = enabled
      ? ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L) : -1;
  private long last = System.nanoTime();
  private final long startedAt = processStartMillis < 0 ? -1 : System.currentTimeMillis() - processStartMillis;

  void step(String name) {
    long now = System.nanoTime();
    if (enabled) {
      // each step's duration and when it ended, counted from the process's start (class loading before main included)
      String at = processStartMillis < 0 ? "" : " (at " + (System.currentTimeMillis() - processStartMillis) + " ms)";
      steps.add(name + " " + (now - last) / 1_000_000 + " ms" + at);
    }
    last = now;
  }

  /** Each step's duration and end, then the time since the process started. */
  void log() {
    if (enabled) {
      long sinceStart = processStartMillis < 0 ? -1 : System.currentTimeMillis() - processStartMillis;
      log.debug("start-up from {} ms after the process started: {}; {} ms since the process started", startedAt,
          String.join(", ", steps), sinceStart);
    }
  }
}
