package io.kava.node.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.Deflater;

/**
 * The client half of SPDY/3.1 that Kubernetes' remote-command protocol needs: an HTTP/1.1 upgrade, streams opened by
 * the client with a header block, data frames with FIN (that is how stdin is half-closed, which the WebSocket
 * v4 protocol cannot say), and PING replies. The CRI runtime's streaming server (containerd) speaks it.
 *
 * <p>Header blocks are zlib streams shared by the whole connection; kava writes them without the SPDY dictionary
 * (the zlib header then has no FDICT flag and the peer inflates them plainly) and never needs to read the peer's
 * reply headers, so it keeps no inflater. Blocking; writes are serialised by a lock, reads come from one thread.
 */
final class SpdyClient implements AutoCloseable {
  static final int FLAG_FIN = 0x01;
  static final int TYPE_SYN_STREAM = 1;
  static final int TYPE_SYN_REPLY = 2;
  static final int TYPE_RST_STREAM = 3;
  static final int TYPE_SETTINGS = 4;
  static final int TYPE_PING = 6;
  static final int TYPE_GOAWAY = 7;
  static final int TYPE_HEADERS = 8;
  static final int TYPE_WINDOW_UPDATE = 9;
  private static final int VERSION = 3;
  /** Data frames kava writes are at most this long. */
  static final int MAX_DATA = 32 * 1024;

  /** A frame read from the peer. */
  sealed interface Frame permits DataFrame, ControlFrame {}

  record DataFrame(int streamId, int flags, byte[] data) implements Frame {
    boolean fin() { return (flags & FLAG_FIN) != 0; }
  }

  record ControlFrame(int type, int flags, byte[] data) implements Frame {
    /** The stream id at the start of SYN_REPLY, RST_STREAM and HEADERS frames. */
    int streamId() { return ((data[0] & 0x7f) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff); }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final ReentrantLock writeLock = new ReentrantLock(); // guards out, deflater and nextStreamId
  private final Deflater deflater = new Deflater();
  private int nextStreamId = 1;
  private final String protocol;

  private SpdyClient(Socket socket, InputStream in, String protocol) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(in);
    this.out = socket.getOutputStream();
    this.protocol = protocol;
  }

  /**
   * Connects to a plain-HTTP streaming URL (as containerd hands out by default) and upgrades to SPDY/3.1 asking for
   * {@code protocol} (e.g. {@code v4.channel.k8s.io}).
   *
   * @throws UpgradeException when the server answers anything but 101 (its status and body are kept)
   */
  static SpdyClient connect(URI url, String protocol, Duration timeout) throws IOException {
    if (!"http".equals(url.getScheme())) throw new IOException("unsupported streaming URL scheme (only http): " + url);
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()), (int) timeout.toMillis());
      s.setTcpNoDelay(true);
      String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
      String request = "POST " + target + " HTTP/1.1\r\n"
          + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
          + "Connection: Upgrade\r\n"
          + "Upgrade: SPDY/3.1\r\n"
          + "X-Stream-Protocol-Version: " + protocol + "\r\n"
          + "Content-Length: 0\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      s.setSoTimeout((int) timeout.toMillis());
      BufferedInputStream bin = new BufferedInputStream(s.getInputStream(), 64 * 1024);
      Response r = readResponseHead(bin);
      if (r.status != 101) {
        byte[] body = bin.readNBytes((int) Math.min(64 * 1024, Math.max(0, r.contentLength(64 * 1024))));
        throw new UpgradeException(r.status, new String(body, StandardCharsets.UTF_8));
      }
      String agreed = r.headers.getOrDefault("x-stream-protocol-version", "");
      if (!agreed.equals(protocol)) throw new IOException("the streaming server did not agree to " + protocol + " (it chose \"" + agreed + "\")");
      s.setSoTimeout(0);
      return new SpdyClient(s, bin, protocol);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  String protocol() { return protocol; }

  /** A non-101 answer to the upgrade. */
  static final class UpgradeException extends IOException {
    final int status;
    final String body;

    UpgradeException(int status, String body) {
      super("the streaming server answered " + status + ": " + body.strip());
      this.status = status;
      this.body = body;
    }
  }

  private record Response(int status, Map<String, String> headers) {
    long contentLength(long dflt) {
      String v = headers.get("content-length");
      try {
        return v == null ? dflt : Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        return dflt;
      }
    }
  }

  private static Response readResponseHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new EOFException("the streaming server closed the connection during the upgrade");
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 64 * 1024) throw new IOException("response head too large");
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2) throw new IOException("bad status line: " + lines[0]);
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      if (c > 0) headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
    }
    return new Response(status, headers);
  }

  /** Opens a stream with the given headers (names are lower-cased, as SPDY requires); returns its id. */
  int openStream(Map<String, String> headers) throws IOException {
    writeLock.lock();
    try {
      int id = nextStreamId;
      nextStreamId += 2;
      byte[] block = compress(encodeHeaders(headers));
      byte[] frame = new byte[8 + 10 + block.length];
      controlHeader(frame, TYPE_SYN_STREAM, 0, 10 + block.length);
      putInt(frame, 8, id);
      putInt(frame, 12, 0); // associated stream
      frame[16] = 0;        // priority
      frame[17] = 0;        // slot
      System.arraycopy(block, 0, frame, 18, block.length);
      out.write(frame);
      out.flush();
      return id;
    } finally {
      writeLock.unlock();
    }
  }

  /** Writes data on a stream, split into frames; {@code fin} half-closes the stream after it. */
  void data(int streamId, byte[] data, int off, int len, boolean fin) throws IOException {
    writeLock.lock();
    try {
      do {
        int n = Math.min(len, MAX_DATA);
        boolean last = n == len;
        byte[] head = new byte[8];
        putInt(head, 0, streamId & 0x7fffffff);
        head[4] = (byte) (last && fin ? FLAG_FIN : 0);
        head[5] = (byte) (n >>> 16);
        head[6] = (byte) (n >>> 8);
        head[7] = (byte) n;
        out.write(head);
        out.write(data, off, n);
        off += n;
        len -= n;
      } while (len > 0);
      out.flush();
    } finally {
      writeLock.unlock();
    }
  }

  /** Answers a PING with the same id. */
  void pong(byte[] pingData) throws IOException {
    writeLock.lock();
    try {
      byte[] frame = new byte[8 + pingData.length];
      controlHeader(frame, TYPE_PING, 0, pingData.length);
      System.arraycopy(pingData, 0, frame, 8, pingData.length);
      out.write(frame);
      out.flush();
    } finally {
      writeLock.unlock();
    }
  }

  /** The next frame, or null at the end of the connection. */
  Frame read() throws IOException {
    int w0;
    try {
      w0 = in.readInt();
    } catch (EOFException e) {
      return null;
    }
    int w1 = in.readInt();
    int flags = (w1 >>> 24) & 0xff;
    int length = w1 & 0xffffff;
    byte[] data = new byte[length];
    in.readFully(data);
    if ((w0 & 0x80000000) != 0) return new ControlFrame(w0 & 0xffff, flags, data);
    return new DataFrame(w0 & 0x7fffffff, flags, data);
  }

  static byte[] encodeHeaders(Map<String, String> headers) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeInt(b, headers.size());
    headers.forEach((k, v) -> {
      byte[] name = k.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
      byte[] value = v.getBytes(StandardCharsets.UTF_8);
      writeInt(b, name.length);
      b.writeBytes(name);
      writeInt(b, value.length);
      b.writeBytes(value);
    });
    return b.toByteArray();
  }

  /** Compresses with the connection's zlib stream, flushed so the peer can read this block on its own. */
  private byte[] compress(byte[] raw) {
    deflater.setInput(raw);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    int n;
    do {
      n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
      b.write(buf, 0, n);
    } while (n == buf.length); // SYNC_FLUSH is complete once the output buffer is not filled
    return b.toByteArray();
  }

  private static void controlHeader(byte[] frame, int type, int flags, int length) {
    frame[0] = (byte) (0x80 | (VERSION >>> 8));
    frame[1] = (byte) VERSION;
    frame[2] = (byte) (type >>> 8);
    frame[3] = (byte) type;
    frame[4] = (byte) flags;
    frame[5] = (byte) (length >>> 16);
    frame[6] = (byte) (length >>> 8);
    frame[7] = (byte) length;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static void writeInt(ByteArrayOutputStream b, int v) {
    b.write(v >>> 24);
    b.write(v >>> 16);
    b.write(v >>> 8);
    b.write(v);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    writeLock.lock();
    try {
      deflater.end();
    } finally {
      writeLock.unlock();
    }
  }
}
