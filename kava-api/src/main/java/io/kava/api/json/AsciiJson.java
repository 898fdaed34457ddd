package io.kava.api.json;

/**
 * UTF-8 JSON rewritten with every character outside ASCII as a {@code \\uXXXX} escape: the same JSON value, in bytes
 * any reader can decode chunk by chunk. Text outside ASCII can only stand inside JSON strings, where the escape is
 * valid, so no parse is needed. For fabric8's HTTP watch reader, which decodes each received chunk on its own and
 * appends the decoded buffer's whole backing array (multi-byte characters left NULs behind, and a character split
 * between two chunks became U+FFFD).
 */
public final class AsciiJson {
  private AsciiJson() {}

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** {@code utf8} itself when it is all ASCII (the common case: one scan), else an escaped copy. */
  public static byte[] escapeNonAscii(byte[] utf8) {
    int first = -1;
    for (int i = 0; i < utf8.length; i++) {
      if (utf8[i] < 0) {
        first = i;
        break;
      }
    }
    if (first < 0) return utf8;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(utf8.length + 64);
    out.write(utf8, 0, first);
    int i = first;
    while (i < utf8.length) {
      int b = utf8[i] & 0xff;
      if (b < 0x80) {
        out.write(b);
        i++;
        continue;
      }
      int length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
      int cp = length == 4 ? b & 0x07 : length == 3 ? b & 0x0f : b & 0x1f;
      boolean valid = length > 0 && i + length <= utf8.length;
      for (int k = 1; valid && k < length; k++) {
        int c = utf8[i + k] & 0xff;
        if ((c & 0xc0) != 0x80) valid = false;
        else cp = (cp << 6) | (c & 0x3f);
      }
      if (!valid) {
        escape(out, 0xfffd); // not UTF-8: what a decoder would make of it
        i++;
        continue;
      }
      if (cp >= 0x10000) {
        escape(out, Character.highSurrogate(cp));
        escape(out, Character.lowSurrogate(cp));
      } else {
        escape(out, cp);
      }
      i += length;
    }
    return out.toByteArray();
  }

  private static void escape(java.io.ByteArrayOutputStream out, int c) {
    out.write('\\');
    out.write('u');
    out.write(HEX[(c >> 12) & 0xf]);
    out.write(HEX[(c >> 8) & 0xf]);
    out.write(HEX[(c >> 4) & 0xf]);
    out.write(HEX[c & 0xf]);
  }
}
