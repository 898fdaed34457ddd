package io.kava.node.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Reading CRI log files: lines of {@code <RFC3339Nano> <stdout|stderr> <F|P> <text>} (P: a partial line continues). */
final class CriLogs {
  private CriLogs() {}

  /** The text of the last {@code lines} lines, at most {@code maxBytes} (the end kept). */
  static String tail(Path file, int lines, int maxBytes) throws IOException {
    Deque<String> last = new ArrayDeque<>();
    StringBuilder partial = new StringBuilder();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] parts = l.split(" ", 4);
      if (parts.length < 3) continue;
      partial.append(parts.length == 4 ? parts[3] : "");
      if (parts[2].equals("P")) continue;
      last.addLast(partial.toString());
      partial.setLength(0);
      if (last.size() > lines) last.removeFirst();
    }
    String text = String.join("\n", List.copyOf(last));
    return text.length() > maxBytes ? text.substring(text.length() - maxBytes) : text;
  }
}
