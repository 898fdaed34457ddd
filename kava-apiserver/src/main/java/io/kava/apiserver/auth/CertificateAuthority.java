package io.kava.apiserver.auth;

import io.kava.api.validation.IpValidation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's certificate authority: a self-signed ECDSA P-256 CA (10 years) that issues the API server's serving
 * certificate and client certificates (CN = user name, O = groups, as upstream's x509 authenticator reads them).
 *
 * <p>ECDSA P-256 is handled by Go's crypto/tls (kubectl, client-go, containerd), the JDK and Netty/Vert.x, and a key
 * costs about a millisecond to generate where RSA-2048 costs tens to hundreds.
 *
 * <p>Certificates are encoded with the small {@link Der} writer and signed by the JDK; BouncyCastle is not used on
 * this path. Measured on the 2-core build VM: the first BouncyCastle class load alone took 1.6 to 2.9 s (verifying
 * its signed 8 MB provider jar), which broke the 1.5 s first-start budget; the JDK-only path creates the CA, the
 * serving and the admin certificate in well under that (see the report in PkiTest). Thread-safe.
 */
public final class CertificateAuthority {
  /** CA lifetime, as kubeadm and k3s use. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Lifetime of issued leaf certificates. */
  public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  /** Certificates start this long before "now", so peers with slightly late clocks accept them. */
  static final Duration BACKDATE = Duration.ofHours(1);

  static final String OID_CN = "2.5.4.3";
  static final String OID_O = "2.5.4.10";
  private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String OID_KEY_USAGE = "2.5.29.15";
  private static final String OID_EXT_KEY_USAGE = "2.5.29.37";
  private static final String OID_SUBJECT_KEY_ID = "2.5.29.14";
  private static final String OID_AUTHORITY_KEY_ID = "2.5.29.35";
  private static final String OID_SAN = "2.5.29.17";
  private static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  // KeyUsage bit numbers (RFC 5280)
  private static final int KU_DIGITAL_SIGNATURE = 0;
  private static final int KU_KEY_ENCIPHERMENT = 2;
  private static final int KU_KEY_CERT_SIGN = 5;
  private static final int KU_CRL_SIGN = 6;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final Clock clock;

  private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.clock = clock;
  }

  /** Creates a new self-signed CA named {@code commonName}. */
  public static CertificateAuthority create(String commonName) { return create(commonName, Clock.systemUTC()); }

  static CertificateAuthority create(String commonName, Clock clock) {
    KeyPair kp = newKeyPair();
    byte[] name = name(List.<String[]>of(new String[] {OID_CN, commonName}));
    Instant now = clock.instant();
    byte[] spki = kp.getPublic().getEncoded();
    List<byte[]> ext = new ArrayList<>();
    ext.add(extension(OID_BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))));
    ext.add(extension(OID_KEY_USAGE, true, Der.namedBits(KU_DIGITAL_SIGNATURE, KU_KEY_CERT_SIGN, KU_CRL_SIGN)));
    ext.add(extension(OID_SUBJECT_KEY_ID, false, Der.octetString(keyId(spki))));
    X509Certificate cert = sign(name, name, now.minus(BACKDATE), now.plus(CA_VALIDITY), spki, ext, kp.getPrivate());
    return new CertificateAuthority(cert, kp.getPrivate(), clock);
  }

  /** A CA from PEM text; the key must match the certificate. */
  public static CertificateAuthority fromPem(String certPem, String keyPem) {
    return fromPem(certPem, keyPem, Clock.systemUTC());
  }

  static CertificateAuthority fromPem(String certPem, String keyPem, Clock clock) {
    return fromPem(certPem, keyPem, clock, true);
  }

  /** @param checkKey whether to prove that the key matches (a signature); false for files verified before */
  static CertificateAuthority fromPem(String certPem, String keyPem, Clock clock, boolean checkKey) {
    X509Certificate cert = Pem.readCertificate(certPem);
    PrivateKey key = Pem.readPrivateKey(keyPem);
    if (cert.getBasicConstraints() < 0) throw new IllegalArgumentException("certificate is not a CA: " + cert.getSubjectX500Principal());
    if (checkKey && !keyMatches(cert, key)) throw new IllegalArgumentException("CA private key does not match the CA certificate");
    return new CertificateAuthority(cert, key, clock);
  }

  /** A CA from PEM files. */
  public static CertificateAuthority load(Path certFile, Path keyFile) throws IOException {
    return load(certFile, keyFile, Clock.systemUTC());
  }

  static CertificateAuthority load(Path certFile, Path keyFile, Clock clock) throws IOException {
    return load(certFile, keyFile, clock, true);
  }

  static CertificateAuthority load(Path certFile, Path keyFile, Clock clock, boolean checkKey) throws IOException {
    return fromPem(Files.readString(certFile, StandardCharsets.US_ASCII), Files.readString(keyFile, StandardCharsets.US_ASCII), clock, checkKey);
  }

  public X509Certificate certificate() { return certificate; }

  public PrivateKey privateKey() { return privateKey; }

  public PublicKey publicKey() { return certificate.getPublicKey(); }

  public String certificatePem() { return Pem.encode(certificate); }

  public String privateKeyPem() { return Pem.encode(privateKey); }

  /**
   * Issues a TLS serving certificate (EKU serverAuth) with the given subject alternative names.
   *
   * @param ipAddresses IP literals (v4 or v6, optionally in brackets); host names are rejected, never resolved
   */
  public CertificateAndKey issueServing(String commonName, List<String> dnsNames, List<String> ipAddresses, Duration validity) {
    List<byte[]> sans = new ArrayList<>();
    for (String d : dnsNames) sans.add(Der.tlv(0x82, d.getBytes(StandardCharsets.US_ASCII)));       // [2] dNSName
    for (String ip : ipAddresses) sans.add(Der.tlv(0x87, ipLiteral(ip)));                              // [7] iPAddress
    return issue(name(List.<String[]>of(new String[] {OID_CN, commonName})), EKU_SERVER_AUTH, sans, validity);
  }

  /**
   * Issues a client certificate for {@code user} in {@code groups} (EKU clientAuth): one O per group, then CN = user,
   * the subject upstream's x509 authenticator maps to a user.
   */
  public CertificateAndKey issueClient(String user, List<String> groups, Duration validity) {
    List<String[]> rdns = new ArrayList<>();
    for (String g : groups) rdns.add(new String[] {OID_O, g});
    rdns.add(new String[] {OID_CN, user});
    return issue(name(rdns), EKU_CLIENT_AUTH, List.of(), validity);
  }

  private CertificateAndKey issue(byte[] subject, String eku, List<byte[]> sans, Duration validity) {
    KeyPair kp = newKeyPair();
    Instant now = clock.instant();
    byte[] spki = kp.getPublic().getEncoded();
    List<byte[]> ext = new ArrayList<>();
    ext.add(extension(OID_BASIC_CONSTRAINTS, true, Der.sequence()));
    ext.add(extension(OID_KEY_USAGE, true, Der.namedBits(KU_DIGITAL_SIGNATURE, KU_KEY_ENCIPHERMENT)));
    ext.add(extension(OID_EXT_KEY_USAGE, false, Der.sequence(Der.oid(eku))));
    ext.add(extension(OID_SUBJECT_KEY_ID, false, Der.octetString(keyId(spki))));
    ext.add(extension(OID_AUTHORITY_KEY_ID, false, Der.sequence(Der.tlv(0x80, keyId(certificate.getPublicKey().getEncoded())))));
    if (!sans.isEmpty()) ext.add(extension(OID_SAN, false, Der.sequence(sans.toArray(byte[][]::new))));
    byte[] issuer = certificate.getSubjectX500Principal().getEncoded();
    X509Certificate cert = sign(issuer, subject, now.minus(BACKDATE), now.plus(validity), spki, ext, privateKey);
    return new CertificateAndKey(cert, kp.getPrivate());
  }

  /** True if {@code cert} names this CA as issuer and carries its signature. */
  public boolean signed(X509Certificate cert) {
    if (!cert.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) return false;
    try {
      cert.verify(certificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  // ---- encoding --------------------------------------------------------------------------------------------------

  /** An X.500 Name: one RDN per (oid, value), PrintableString when the value allows it, else UTF8String (as Go). */
  private static byte[] name(List<String[]> rdns) {
    List<byte[]> sets = new ArrayList<>();
    for (String[] r : rdns) {
      byte[] value = isPrintable(r[1]) ? Der.tlv(Der.PRINTABLE_STRING, r[1].getBytes(StandardCharsets.US_ASCII)) : Der.utf8(r[1]);
      sets.add(Der.set(Der.sequence(Der.oid(r[0]), value)));
    }
    return Der.sequence(sets.toArray(byte[][]::new));
  }

  private static boolean isPrintable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || " '()+,-./:=?".indexOf(c) >= 0;
      if (!ok) return false;
    }
    return true;
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  /** RFC 5280 method 1 key identifier: SHA-1 of the subjectPublicKey bits. */
  private static byte[] keyId(byte[] spki) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(Der.subjectPublicKeyBits(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(byte[] issuer, byte[] subject, Instant notBefore, Instant notAfter, byte[] spki,
      List<byte[]> extensions, PrivateKey key) {
    byte[] alg = signatureAlgorithmIdentifier(key);
    byte[] tbs = Der.sequence(
        Der.tagged(0, true, Der.integer(2)),                       // version v3
        Der.integer(serial()),
        alg,
        issuer,
        Der.sequence(Der.time(notBefore), Der.time(notAfter)),
        subject,
        spki,
        Der.tagged(3, true, Der.sequence(extensions.toArray(byte[][]::new))));
    try {
      Signature s = Signature.getInstance(signatureAlgorithm(key));
      s.initSign(key);
      s.update(tbs);
      byte[] der = Der.sequence(tbs, alg, Der.bitString(s.sign()));
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign certificate", e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new IllegalArgumentException("unsupported CA key algorithm " + key.getAlgorithm());
    };
  }

  private static byte[] signatureAlgorithmIdentifier(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> Der.sequence(Der.oid("1.2.840.10045.4.3.2"));                 // ecdsa-with-SHA256
      case "RSA" -> Der.sequence(Der.oid("1.2.840.113549.1.1.11"), Der.nul());   // sha256WithRSAEncryption
      case "Ed25519", "EdDSA" -> Der.sequence(Der.oid("1.3.101.112"));           // id-Ed25519
      default -> throw new IllegalArgumentException("unsupported CA key algorithm " + key.getAlgorithm());
    };
  }

  static boolean keyMatches(X509Certificate cert, PrivateKey key) {
    try {
      String alg = signatureAlgorithm(key);
      byte[] probe = "kava".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available", e);
    }
  }

  /** A positive random serial of 127 bits (Go rejects negative serials; RFC 5280 allows at most 20 octets). */
  private static BigInteger serial() { return new BigInteger(126, RANDOM).setBit(126); }

  /** The bytes of an IP literal; rejects host names (no DNS lookups here). */
  static byte[] ipLiteral(String ip) {
    byte[] b = IpValidation.parse(stripBrackets(ip), false);
    if (b == null) throw new IllegalArgumentException("not an IP address: " + ip);
    return b;
  }

  static String stripBrackets(String s) {
    return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
  }
}
