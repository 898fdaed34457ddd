package io.kava.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the benchmark ran on, and how busy the rest of the machine was meanwhile, from /proc. */
final class Machine {
  /** USER_HZ: the unit of /proc/stat and /proc/PID/stat times on Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  private Machine() {}

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  static String memory() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
          .map(l -> String.format(Locale.ROOT, "%.0f GB RAM", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
          .findFirst().orElse("");
    } catch (IOException | NumberFormatException e) {
      return "";
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** CPU time used so far by the whole machine (busy, all CPUs) and by this process, in ticks. */
  record Cpu(long nanoTime, long machineBusy, long self) {
    /**
     * The share of the machine's CPU capacity that other processes used between {@code earlier} and this sample:
     * 0.0 means the benchmark had the machine to itself, 0.5 that others took half of all cores.
     */
    double foreignShare(Cpu earlier) {
      double seconds = (nanoTime - earlier.nanoTime) / 1e9;
      if (seconds <= 0 || machineBusy < 0 || self < 0) return Double.NaN;
      double foreignTicks = (machineBusy - earlier.machineBusy) - (self - earlier.self);
      return Math.max(0, foreignTicks / (seconds * TICKS_PER_SECOND * Runtime.getRuntime().availableProcessors()));
    }
  }

  static Cpu cpu() {
    return cpu(new long[0]);
  }

  /**
   * As {@link #cpu()}, counting the CPU time of the given child processes (a kava server this benchmark started) as
   * this process's own: they are what is measured, not other processes.
   */
  static Cpu cpu(long... ours) {
    long busy = -1;
    long self = -1;
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0); // cpu user nice system idle iowait irq softirq steal ...
      String[] f = first.trim().split("\\s+");
      busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] s = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+"); // fields from 3 (state) on
      self = Long.parseLong(s[11]) + Long.parseLong(s[12]) + Long.parseLong(s[13]) + Long.parseLong(s[14]); // utime stime cutime cstime
      for (long pid : ours) self += processTicks(pid);
    } catch (IOException | RuntimeException e) {
      // not Linux: no figure
    }
    return new Cpu(System.nanoTime(), busy, self);
  }

  /** User + system CPU time of a process so far, in ticks (0 once it is gone). */
  static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] s = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
      return Long.parseLong(s[11]) + Long.parseLong(s[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Waits until the rest of the machine is quiet: a benchmark shares 2 cores with whatever else runs (builds, tests),
   * and a measurement taken while another process takes half the CPUs measures that process.
   *
   * @param quietBelow percentage of the CPUs other processes may use; 100 or more never waits
   */
  static void awaitQuiet(java.io.PrintStream log, String what, double quietBelow, java.time.Duration maxWait, long... ours)
      throws InterruptedException {
    if (quietBelow >= 100) return;
    long deadline = System.nanoTime() + maxWait.toNanos();
    boolean told = false;
    while (true) {
      Cpu a = cpu(ours);
      Thread.sleep(1000);
      double foreign = cpu(ours).foreignShare(a);
      if (Double.isNaN(foreign) || foreign * 100 < quietBelow) {
        if (told) log.printf("  ... quiet now (%.0f%%)%n", foreign * 100);
        return;
      }
      if (System.nanoTime() > deadline) {
        log.printf("  ... still busy after %d s (%.0f%%; load average %s): measuring anyway%n", maxWait.toSeconds(), foreign * 100, loadAverage());
        return;
      }
      if (!told) {
        log.printf("  waiting for other processes to calm down before %s (they use %.0f%% of the CPUs; load average %s) ...%n", what,
            foreign * 100, loadAverage());
        told = true;
      }
    }
  }
}
