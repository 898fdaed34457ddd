package io.kava.node.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * One line of a CRI container log file: {@code <RFC3339Nano time> <stdout|stderr> <F|P> <content>}. {@code P} marks a
 * partial line (the runtime split a long line, or the process wrote no newline yet); the next lines of the same
 * stream continue it until an {@code F}.
 *
 * @param content the bytes after the tag, without the line's newline
 */
public record CriLogLine(Instant time, String stream, boolean partial, byte[] content) {
  /** How kubelet prints timestamps: always nine fraction digits (RFC3339NanoFixed). */
  static final DateTimeFormatter OUTPUT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX").withZone(ZoneOffset.UTC);

  /** Parses one raw line (without its trailing newline); null when it is not in the CRI format. */
  public static CriLogLine parse(byte[] line, int from, int to) {
    int sp1 = indexOf(line, (byte) ' ', from, to);
    if (sp1 < 0) return null;
    int sp2 = indexOf(line, (byte) ' ', sp1 + 1, to);
    if (sp2 < 0) return null;
    Instant time;
    try {
      // ISO_OFFSET_DATE_TIME takes 0-9 fraction digits and either Z or an offset, as RFC3339Nano writes them.
      time = OffsetDateTime.parse(new String(line, from, sp1 - from, StandardCharsets.US_ASCII), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
    String stream = new String(line, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII);
    if (!stream.equals("stdout") && !stream.equals("stderr")) return null;
    // The tag is "F" or "P", possibly followed by more ':'-separated flags in future runtimes; a line from an old
    // runtime may lack it, in which case the rest is content of a full line.
    int sp3 = indexOf(line, (byte) ' ', sp2 + 1, to);
    int tagEnd = sp3 < 0 ? to : sp3;
    String tag = new String(line, sp2 + 1, tagEnd - sp2 - 1, StandardCharsets.US_ASCII);
    String first = tag.split(":", 2)[0];
    if (first.equals("P") || first.equals("F")) {
      int contentStart = sp3 < 0 ? to : sp3 + 1;
      return new CriLogLine(time, stream, first.equals("P"), Arrays.copyOfRange(line, contentStart, to));
    }
    return new CriLogLine(time, stream, false, Arrays.copyOfRange(line, sp2 + 1, to));
  }

  public static CriLogLine parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  static String formatTime(Instant t) { return OUTPUT_TIME.format(t); }

  private static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) if (b[i] == c) return i;
    return -1;
  }
}
