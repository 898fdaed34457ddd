package io.kava.cli;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where start-up time goes, logged at debug level (KAVA_LOG_LEVEL=DEBUG). */
final class StartupTimer {
  private static final Logger log = LoggerFactory.getLogger(StartupTimer.class);
  private final List<String> steps = new ArrayList<>();
  private long last = System.nanoTime();

  void step(String name) {
    long now = System.nanoTime();
    steps.add(name + " " + (now - last) / 1_000_000 + " ms");
    last = now;
  }

  /** Each step's duration, then the time since the JVM started (class loading before main included). */
  void log() {
    if (log.isDebugEnabled()) {
      // the process's start (as the kernel counts it), without loading JMX for it
      long sinceStart = ProcessHandle.current().info().startInstant()
          .map(t -> System.currentTimeMillis() - t.toEpochMilli()).orElse(-1L);
      log.debug("start-up: {}; {} ms since the process started", String.join(", ", steps), sinceStart);
    }
  }
}
