package io.kava.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port free right now on the given address (for tests and --port 0). */
final class FreePort {
  private FreePort() {}

  static int find(String bindAddress) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByAddress(parse(bindAddress)))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] parse(String ip) {
    String[] p = ip.split("\\.");
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) b[i] = (byte) Integer.parseInt(p[i]);
    return b;
  }
}
