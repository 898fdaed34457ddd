package io.kava.apiserver.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's x509 request authenticator with CommonNameUserConversion: verifies a client's certificate chain against
 * the client CA(s) (validity period, signatures up to a trusted CA, the clientAuth extended key usage when the leaf
 * names any), then maps the leaf to a user: name = subject CN, groups = subject O values, uid = the subject UID
 * attribute (0.9.2342.19200300.100.1.1) if present, extra {@code authentication.kubernetes.io/credential-id =
 * X509SHA256=<hex>}, plus {@code system:authenticated}.
 *
 * <p>Use it on the chain the TLS layer received; it verifies on its own, so the TLS server may request client
 * certificates without rejecting bad ones in the handshake (upstream's behaviour: a bad certificate gets 401, not a
 * TLS alert). Results are cached by certificate fingerprint; thread-safe.
 */
public final class ClientCertAuthenticator {
  private static final String OID_UID = "0.9.2342.19200300.100.1.1";
  private static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String EKU_ANY = "2.5.29.37.0";
  private static final int MAX_PATH = 10;
  private static final int CACHE_LIMIT = 4096;

  private final List<X509Certificate> trusted;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(UserInfo user, Instant notBefore, Instant notAfter) {}

  public ClientCertAuthenticator(X509Certificate clientCa) { this(List.of(clientCa)); }

  public ClientCertAuthenticator(Collection<X509Certificate> clientCas) { this(clientCas, Clock.systemUTC()); }

  ClientCertAuthenticator(Collection<X509Certificate> clientCas, Clock clock) {
    if (clientCas.isEmpty()) throw new IllegalArgumentException("no client CA");
    this.trusted = List.copyOf(clientCas);
    this.clock = clock;
  }

  /** {@link #authenticate(X509Certificate[])} for what {@code SSLSession.getPeerCertificates()} returns. */
  public Optional<UserInfo> authenticate(Certificate[] chain) {
    if (chain == null) return Optional.empty();
    List<X509Certificate> x = new ArrayList<>(chain.length);
    for (Certificate c : chain) {
      if (!(c instanceof X509Certificate xc)) return Optional.empty();
      x.add(xc);
    }
    return authenticate(x.toArray(X509Certificate[]::new));
  }

  /**
   * The user of a client certificate chain (leaf first).
   *
   * @return empty when there is no certificate or the leaf has no CN (another authenticator may try)
   * @throws AuthenticationException when the chain does not verify, with upstream's message
   *     ({@code verifying certificate SN=..., SKID=..., AKID=... failed: x509: ...})
   */
  public Optional<UserInfo> authenticate(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) return Optional.empty();
    X509Certificate leaf = chain[0];
    Instant now = clock.instant();
    String fingerprint = sha256Hex(leaf);
    Cached hit = cache.get(fingerprint);
    if (hit != null && !now.isBefore(hit.notBefore) && !now.isAfter(hit.notAfter)) return Optional.ofNullable(hit.user);

    String failure = verify(chain, now);
    if (failure != null) {
      throw new AuthenticationException("verifying certificate " + identifier(leaf) + " failed: " + failure);
    }
    UserInfo user = toUser(leaf, fingerprint);
    if (cache.size() >= CACHE_LIMIT) cache.clear();
    cache.put(fingerprint, new Cached(user, leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()));
    return Optional.ofNullable(user);
  }

  /** Null when the chain verifies, else Go's x509 error text. */
  private String verify(X509Certificate[] chain, Instant now) {
    X509Certificate current = chain[0];
    String eku = ekuProblem(current);
    if (eku != null) return eku;
    for (int depth = 0; depth < MAX_PATH; depth++) {
      String time = timeProblem(current, now);
      if (time != null) return time;
      for (X509Certificate ca : trusted) {
        if (issuedBy(current, ca)) return timeProblem(ca, now);
      }
      X509Certificate next = null;
      for (int i = 1; i < chain.length && next == null; i++) {
        X509Certificate cand = chain[i];
        if (cand != current && cand.getBasicConstraints() >= 0 && issuedBy(current, cand) && ekuProblem(cand) == null) next = cand;
      }
      if (next == null) break;
      current = next;
    }
    return "x509: certificate signed by unknown authority";
  }

  private static boolean issuedBy(X509Certificate cert, X509Certificate issuer) {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) return false;
    try {
      cert.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String timeProblem(X509Certificate c, Instant now) {
    Instant nb = c.getNotBefore().toInstant();
    Instant na = c.getNotAfter().toInstant();
    if (now.isBefore(nb)) return "x509: certificate has expired or is not yet valid: current time " + rfc3339(now) + " is before " + rfc3339(nb);
    if (now.isAfter(na)) return "x509: certificate has expired or is not yet valid: current time " + rfc3339(now) + " is after " + rfc3339(na);
    return null;
  }

  private static String ekuProblem(X509Certificate c) {
    try {
      List<String> eku = c.getExtendedKeyUsage();
      if (eku == null || eku.isEmpty() || eku.contains(EKU_CLIENT_AUTH) || eku.contains(EKU_ANY)) return null;
      return "x509: certificate specifies an incompatible key usage";
    } catch (CertificateParsingException e) {
      return "x509: " + e.getMessage();
    }
  }

  private UserInfo toUser(X509Certificate leaf, String fingerprint) {
    String cn = "";
    List<String> orgs = new ArrayList<>();
    List<String> uids = new ArrayList<>();
    try {
      for (Der.Element rdn : Der.read(leaf.getSubjectX500Principal().getEncoded()).children()) {
        for (Der.Element atv : rdn.children()) {
          List<Der.Element> tv = atv.children();
          String type = tv.get(0).oidString();
          String value = tv.get(1).string();
          switch (type) {
            case CertificateAuthority.OID_CN -> cn = value == null ? "" : value; // Go keeps the last CN
            case CertificateAuthority.OID_O -> {
              if (value != null) orgs.add(value);
            }
            case OID_UID -> {
              if (value == null) throw new AuthenticationException("unable to parse UID into a string");
              uids.add(value);
            }
            default -> {
              // other attributes are not part of the identity
            }
          }
        }
      }
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new AuthenticationException("cannot parse certificate subject: " + e.getMessage(), e);
    }
    if (cn.isEmpty()) return null;
    if (uids.size() > 1) throw new AuthenticationException("expected 1 UID, but found multiple: [" + String.join(" ", uids) + "]");
    if (uids.size() == 1 && uids.get(0).isEmpty()) throw new AuthenticationException("UID cannot be an empty string");
    String uid = uids.isEmpty() ? "" : uids.get(0);
    return new UserInfo(cn, uid, orgs, Map.of(UserInfo.CREDENTIAL_ID_KEY, List.of("X509SHA256=" + fingerprint)))
        .withAuthenticatedGroup();
  }

  /** Upstream's certificateIdentifier: {@code SN=<decimal>, SKID=AB:CD..., AKID=...}. */
  static String identifier(X509Certificate c) {
    return "SN=" + c.getSerialNumber() + ", SKID=" + colonHex(subjectKeyId(c)) + ", AKID=" + colonHex(authorityKeyId(c));
  }

  private static byte[] subjectKeyId(X509Certificate c) {
    byte[] ext = c.getExtensionValue("2.5.29.14");
    if (ext == null) return new byte[0];
    try {
      return Der.read(Der.read(ext).content()).content();
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private static byte[] authorityKeyId(X509Certificate c) {
    byte[] ext = c.getExtensionValue("2.5.29.35");
    if (ext == null) return new byte[0];
    try {
      for (Der.Element e : Der.read(Der.read(ext).content()).children()) {
        if (e.tag() == 0x80) return e.content();
      }
    } catch (IllegalArgumentException e) {
      // no usable key identifier
    }
    return new byte[0];
  }

  private static String colonHex(byte[] b) {
    String h = HexFormat.of().withUpperCase().formatHex(b);
    StringBuilder sb = new StringBuilder(h.length() * 3 / 2);
    for (int i = 0; i < h.length(); i++) {
      sb.append(h.charAt(i));
      if (i % 2 == 1 && i != h.length() - 1) sb.append(':');
    }
    return sb.toString();
  }

  private static String sha256Hex(X509Certificate c) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String rfc3339(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
