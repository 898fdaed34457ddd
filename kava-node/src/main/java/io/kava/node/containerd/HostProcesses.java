package io.kava.node.containerd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The host's processes as /proc lists them: found by their command lines, which is how a node's leftovers are told apart. */
final class HostProcesses {
  static final Path PROC = Path.of("/proc");

  private HostProcesses() {}

  static List<Long> allPids() {
    try (Stream<Path> s = Files.list(PROC)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).map(Long::parseLong).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A process's arguments; empty when it is gone or a zombie (whose command line the kernel has already dropped). */
  static List<String> args(long pid) {
    try {
      String raw = new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline")), StandardCharsets.UTF_8);
      if (raw.isEmpty()) return List.of();
      return List.of(raw.split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  static String commandLine(long pid) { return String.join(" ", args(pid)); }

  /** The processes (this one excepted) whose arguments pass {@code test}. */
  static List<Long> withCommandLine(Predicate<List<String>> test) {
    long self = ProcessHandle.current().pid();
    List<Long> out = new ArrayList<>();
    for (long pid : allPids()) {
      if (pid == self) continue;
      List<String> a = args(pid);
      if (!a.isEmpty() && test.test(a)) out.add(pid);
    }
    return out;
  }

  /** Polls {@code done} every 100 ms for at most {@code max}; whether it became true. */
  static boolean waitUntil(BooleanSupplier done, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() >= deadline) return false;
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return true;
  }
}
