package io.kava.apiserver.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The credential of the API server's loopback listener, which serves the components running in the same process
 * (controllers, scheduler, node agents) over plain HTTP on 127.0.0.1, as kube-apiserver's loopback client does: a
 * random bearer token made at start, never written to disk, and the user it stands for. It is the only credential that
 * listener accepts; without it a request gets 401, whatever the path.
 *
 * <p>Why not the HTTPS port: encrypting every watch event to the in-process informers, and decrypting it again in the
 * same JVM, was about a quarter of the CPU of a create (see docs/adr/0007-loopback-listener-for-in-process-clients.md).
 */
public final class LoopbackCredential {
  /** The user of the in-process components: an administrator, as the admin certificate they used before. */
  public static final String USER = "system:kava-in-process";

  private final byte[] header;
  private final String token;
  private final UserInfo user;

  private LoopbackCredential(String token) {
    this.token = token;
    this.header = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
    this.user = UserInfo.of(USER, List.of(UserInfo.SYSTEM_MASTERS)).withAuthenticatedGroup();
  }

  /** A new random token (256 bits). */
  public static LoopbackCredential generate() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return new LoopbackCredential(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  /** The token, for the in-process clients' configuration only. */
  public String token() { return token; }

  public UserInfo user() { return user; }

  /** Whether an {@code Authorization} header carries this token (compared in constant time). */
  public boolean matches(String authorization) {
    if (authorization == null) return false;
    return MessageDigest.isEqual(header, authorization.getBytes(StandardCharsets.US_ASCII));
  }
}
