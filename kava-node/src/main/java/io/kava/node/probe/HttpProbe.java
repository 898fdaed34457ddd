package io.kava.node.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The httpGet probe, over a plain socket because probes need what JDK clients refuse: any {@code Host} header,
 * and TLS without verification (as upstream: {@code InsecureSkipVerify}). Sends {@code User-Agent:
 * kube-probe/1.33} and {@code Accept: *}{@code /*} unless the probe's headers replace them; follows redirects
 * to the same host (up to 10); a redirect elsewhere ends as WARNING, as upstream. Reads at most 10 KiB of body.
 */
final class HttpProbe {
  static final String USER_AGENT = "kube-probe/1.33";
  static final int MAX_BODY = 10 * 1024;
  static final int MAX_REDIRECTS = 10;

  private HttpProbe() {}

  record Response(int status, String location, String body) {}

  static ProbeOutcome get(boolean https, String host, int port, String path, List<String[]> headers, Duration timeout) {
    String url = (https ? "https" : "http") + "://" + hostPort(host, port) + path;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      URI current = URI.create(url);
      for (int redirects = 0; ; redirects++) {
        Response r = request(current, headers, deadline);
        if (r.status >= 300 && r.status < 400 && r.location != null) {
          URI next = current.resolve(r.location);
          if (!host(next).equalsIgnoreCase(host(current))) {
            return new ProbeOutcome(ProbeResult.WARNING, "Probe terminated redirects, Response body: " + r.body);
          }
          if (redirects + 1 >= MAX_REDIRECTS) return ProbeOutcome.failure("Get \"" + url + "\": stopped after 10 redirects");
          current = next;
          continue;
        }
        if (r.status >= 200 && r.status < 400) return ProbeOutcome.success(r.body);
        return ProbeOutcome.failure("HTTP probe failed with statuscode: " + r.status);
      }
    } catch (SocketTimeoutException e) {
      return ProbeOutcome.failure("Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
    } catch (ConnectException e) {
      return ProbeOutcome.failure("Get \"" + url + "\": dial tcp " + hostPort(host, port) + ": connect: connection refused");
    } catch (IOException | IllegalArgumentException e) {
      return ProbeOutcome.failure("Get \"" + url + "\": " + e.getMessage());
    }
  }

  private static String host(URI u) {
    String h = u.getHost();
    return h == null ? "" : h;
  }

  private static Response request(URI uri, List<String[]> headers, long deadline) throws IOException {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    String host = host(uri).replaceAll("^\\[|\\]$", "");
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    try (Socket socket = https ? tlsSocket() : new Socket()) {
      socket.connect(new InetSocketAddress(host, port), remainingMillis(deadline));
      socket.setSoTimeout(remainingMillis(deadline));
      if (socket instanceof SSLSocket tls) tls.startHandshake();
      String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (uri.getRawQuery() != null) target += "?" + uri.getRawQuery();
      StringBuilder req = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n");
      String hostHeader = hostPort(host, port);
      String userAgent = USER_AGENT;
      String accept = "*/*";
      List<String[]> extra = new ArrayList<>();
      for (String[] h : headers) {
        switch (h[0].toLowerCase(Locale.ROOT)) {
          case "host" -> hostHeader = h[1];
          case "user-agent" -> userAgent = h[1];
          case "accept" -> accept = h[1];
          default -> extra.add(h);
        }
      }
      req.append("Host: ").append(hostHeader).append("\r\n");
      if (!userAgent.isEmpty()) req.append("User-Agent: ").append(userAgent).append("\r\n");
      if (!accept.isEmpty()) req.append("Accept: ").append(accept).append("\r\n");
      for (String[] h : extra) req.append(h[0]).append(": ").append(h[1]).append("\r\n");
      req.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = readLine(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("malformed HTTP response \"" + statusLine + "\"");
      int status = Integer.parseInt(parts[1]);
      String location = null;
      long contentLength = -1;
      boolean chunked = false;
      for (String line; !(line = readLine(in)).isEmpty(); ) {
        int colon = line.indexOf(':');
        if (colon < 0) continue;
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        switch (name) {
          case "location" -> location = value;
          case "content-length" -> contentLength = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          default -> { }
        }
      }
      String body = chunked ? "" : readBody(in, contentLength);
      return new Response(status, location, body);
    }
  }

  private static String readBody(InputStream in, long contentLength) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    long limit = contentLength < 0 ? MAX_BODY : Math.min(contentLength, MAX_BODY);
    byte[] buf = new byte[1024];
    while (b.size() < limit) {
      int n;
      try {
        n = in.read(buf, 0, (int) Math.min(buf.length, limit - b.size()));
      } catch (SocketTimeoutException e) {
        break; // the status is what counts; a slow body is not a failure
      }
      if (n < 0) break;
      b.write(buf, 0, n);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) >= 0; ) {
      if (c == '\n') break;
      if (c != '\r') b.append((char) c);
      if (b.length() > 16 * 1024) throw new IOException("HTTP header line too long");
    }
    return b.toString();
  }

  private static int remainingMillis(long deadline) throws SocketTimeoutException {
    long ms = (deadline - System.nanoTime()) / 1_000_000;
    if (ms <= 0) throw new SocketTimeoutException("timeout");
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  static String hostPort(String host, int port) {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  private static Socket tlsSocket() throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
      }}, new SecureRandom());
      return ctx.getSocketFactory().createSocket();
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("TLS unavailable: " + e.getMessage(), e);
    }
  }
}
