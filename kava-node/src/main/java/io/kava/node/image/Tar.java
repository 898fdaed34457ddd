package io.kava.node.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal POSIX ustar writer: directories, regular files and symbolic links, which is all an image layer or an
 * image archive needs. Entries carry a fixed modification time so that the same content always makes the same
 * bytes (and so the same digest). Not thread-safe.
 */
public final class Tar implements AutoCloseable {
  private static final int BLOCK = 512;
  /** 2000-01-01T00:00:00Z: a fixed time keeps layers reproducible. */
  public static final long MTIME = 946684800L;

  private final OutputStream out;
  private boolean closed;

  public Tar(OutputStream out) { this.out = out; }

  public void directory(String name, int mode) throws IOException {
    header(name.endsWith("/") ? name : name + "/", mode, 0, '5', "");
  }

  public void file(String name, int mode, byte[] content) throws IOException {
    header(name, mode, content.length, '0', "");
    out.write(content);
    pad(content.length);
  }

  public void symlink(String name, String target) throws IOException {
    header(name, 0777, 0, '2', target);
  }

  private void pad(long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) out.write(new byte[BLOCK - rest]);
  }

  private void header(String name, int mode, long size, char type, String link) throws IOException {
    byte[] h = new byte[BLOCK];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length <= 100) {
      System.arraycopy(n, 0, h, 0, n.length);
    } else {
      // ustar splits a long path at a slash: prefix (155 bytes) + name (100 bytes).
      int cut = name.lastIndexOf('/', Math.min(name.length() - 1, 155));
      byte[] prefix = name.substring(0, Math.max(cut, 0)).getBytes(StandardCharsets.UTF_8);
      byte[] rest = name.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
      if (cut < 0 || prefix.length > 155 || rest.length > 100) throw new IOException("path too long for ustar: " + name);
      System.arraycopy(rest, 0, h, 0, rest.length);
      System.arraycopy(prefix, 0, h, 345, prefix.length);
    }
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, MTIME);
    h[156] = (byte) type;
    byte[] l = link.getBytes(StandardCharsets.UTF_8);
    if (l.length > 100) throw new IOException("link target too long for ustar: " + link);
    System.arraycopy(l, 0, h, 157, l.length);
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) sum += b & 0xff;
    octal(h, 148, 7, sum);
    out.write(h);
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    if (s.length() > len - 1) throw new IllegalArgumentException("value too large for a tar header: " + v);
    s = "0".repeat(len - 1 - s.length()) + s;
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
    h[off + len - 1] = 0;
  }

  /** Writes the two zero blocks that end an archive; does not close the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    out.write(new byte[BLOCK * 2]);
    out.flush();
  }
}
