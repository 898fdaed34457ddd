package io.kava.apiserver.openapi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The rendered OpenAPI documents are kept gzip-compressed: ~3 MB of JSON, about a tenth of that compressed, held for
 * the life of the server although clients ask for them once. kubectl (Go's HTTP transport) accepts gzip and gets the
 * compressed bytes as they are; other clients get them inflated.
 */
final class Gzip {
  private Gzip() {}

  static byte[] compress(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 8 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from memory streams
    }
    return out.toByteArray();
  }

  static byte[] decompress(byte[] gzip) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 8192)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // only bytes compress() made are read
    }
  }

  /**
   * Whether an {@code Accept-Encoding} header allows gzip: a {@code gzip} or {@code *} coding whose quality is not 0
   * (RFC 9110 12.5.3).
   */
  static boolean accepted(String acceptEncoding) {
    if (acceptEncoding == null) return false;
    for (String coding : acceptEncoding.split(",")) {
      String[] parts = coding.split(";");
      String name = parts[0].trim();
      if (!name.equalsIgnoreCase("gzip") && !name.equals("*")) continue;
      double q = 1;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.startsWith("q=") || p.startsWith("Q=")) {
          try {
            q = Double.parseDouble(p.substring(2).trim());
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (q > 0) return true;
    }
    return false;
  }
}
