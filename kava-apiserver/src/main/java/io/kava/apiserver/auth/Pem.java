package io.kava.apiserver.auth;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM encoding and decoding of certificates and private keys, on the JDK alone (see {@link Der} for why not
 * BouncyCastle). Keys are written as PKCS#8 ("PRIVATE KEY"), which Go's tls.X509KeyPair (kubectl, client-go),
 * Vert.x/Netty, the JDK and fabric8 all read. Reading also accepts the older SEC1 ("EC PRIVATE KEY") and PKCS#1
 * ("RSA PRIVATE KEY") forms, which operators may bring with their own CA.
 */
public final class Pem {
  private Pem() {}

  private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, new byte[] {'\n'});

  /** One PEM block: its type ("CERTIFICATE", "PRIVATE KEY"...) and DER bytes. */
  record Block(String type, byte[] der) {}

  /** One certificate as a PEM block. */
  public static String encode(X509Certificate cert) {
    try {
      return block("CERTIFICATE", cert.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A private key as a PKCS#8 PEM block. */
  public static String encode(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) throw new IllegalArgumentException("key is not PKCS#8 encodable: " + key.getFormat());
    return block("PRIVATE KEY", key.getEncoded());
  }

  /** A public key as a PEM "PUBLIC KEY" block (X.509 SubjectPublicKeyInfo), as openssl and upstream's sa.pub hold it. */
  public static String encode(java.security.PublicKey key) { return block("PUBLIC KEY", key.getEncoded()); }

  /** The first "PUBLIC KEY" block of a PEM text as an EC public key. */
  public static java.security.PublicKey readEcPublicKey(String pem) {
    for (Block b : blocks(pem)) {
      if (!b.type().equals("PUBLIC KEY")) continue;
      try {
        return KeyFactory.getInstance("EC").generatePublic(new java.security.spec.X509EncodedKeySpec(b.der()));
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("invalid EC public key: " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException("no public key found in PEM data");
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + MIME.encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  /** The blocks of a PEM text; text outside blocks is ignored; encrypted blocks (with headers) are rejected. */
  static List<Block> blocks(String pem) {
    List<Block> out = new ArrayList<>();
    String type = null;
    StringBuilder body = null;
    for (String raw : pem.split("\n")) {
      String line = raw.strip();
      if (type == null) {
        if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
          type = line.substring(11, line.length() - 5);
          body = new StringBuilder();
        }
      } else if (line.equals("-----END " + type + "-----")) {
        try {
          out.add(new Block(type, Base64.getMimeDecoder().decode(body.toString())));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("invalid base64 in PEM block " + type, e);
        }
        type = null;
      } else if (line.contains(":")) {
        throw new IllegalArgumentException("encrypted or annotated PEM blocks are not supported (" + type + ")");
      } else {
        body.append(line);
      }
    }
    if (type != null) throw new IllegalArgumentException("unterminated PEM block " + type);
    return out;
  }

  /** All certificates in a PEM text, in order. */
  public static List<X509Certificate> readCertificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(pem)) {
        if (b.type().equals("CERTIFICATE")) out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("invalid PEM certificate data: " + e.getMessage(), e);
    }
    if (out.isEmpty()) throw new IllegalArgumentException("no certificate found in PEM data");
    return out;
  }

  /** The first certificate of a PEM text. */
  public static X509Certificate readCertificate(String pem) { return readCertificates(pem).get(0); }

  /** The first private key of a PEM text (PKCS#8, SEC1 EC or PKCS#1 RSA; not encrypted). */
  public static PrivateKey readPrivateKey(String pem) {
    byte[] ecParameters = null; // openssl may put an "EC PARAMETERS" block (the curve OID) before the key
    for (Block b : blocks(pem)) {
      try {
        switch (b.type()) {
          case "PRIVATE KEY" -> {
            return pkcs8(b.der());
          }
          case "RSA PRIVATE KEY" -> {
            return pkcs1(b.der());
          }
          case "EC PRIVATE KEY" -> {
            return sec1(b.der(), ecParameters);
          }
          case "EC PARAMETERS" -> ecParameters = Der.read(b.der()).tag() == Der.OID ? b.der() : null;
          default -> {
            // skip certificates and the like
          }
        }
      } catch (IndexOutOfBoundsException e) {
        throw new IllegalArgumentException("malformed " + b.type() + " block", e);
      }
    }
    throw new IllegalArgumentException("no private key found in PEM data");
  }

  private static PrivateKey pkcs8(byte[] der) {
    String alg = switch (Der.read(Der.read(der).children().get(1).content()).oidString()) {
      case "1.2.840.10045.2.1" -> "EC";
      case "1.2.840.113549.1.1.1" -> "RSA";
      case "1.3.101.112" -> "Ed25519";
      case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
      default -> null;
    };
    if (alg == null) throw new IllegalArgumentException("unsupported private key algorithm in PKCS#8 data");
    try {
      return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid PKCS#8 private key: " + e.getMessage(), e);
    }
  }

  /** Base64 of the PEM text, as kubeconfig's {@code *-data} fields hold it. */
  public static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** PKCS#1 RSAPrivateKey wrapped as PKCS#8. */
  private static PrivateKey pkcs1(byte[] der) {
    return pkcs8(Der.sequence(Der.integer(0), Der.sequence(Der.oid("1.2.840.113549.1.1.1"), Der.nul()), Der.octetString(der)));
  }

  /** SEC1 ECPrivateKey wrapped as PKCS#8; the curve comes from its [0] parameters (openssl and Go write them). */
  private static PrivateKey sec1(byte[] der, byte[] curveOidFromParameters) {
    byte[] curve = curveOidFromParameters;
    for (Der.Element e : Der.read(der).children()) {
      if (e.tag() == 0xa0) curve = Der.tlv(Der.OID, Der.read(e.content()).content());
    }
    if (curve == null) throw new IllegalArgumentException("EC private key without curve parameters");
    return pkcs8(Der.sequence(Der.integer(0), Der.sequence(Der.oid("1.2.840.10045.2.1"), curve), Der.octetString(der)));
  }
}
