package io.kava.apiserver.auth;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A leaf certificate and its private key, with their PEM forms. */
public record CertificateAndKey(X509Certificate certificate, PrivateKey privateKey) {
  public String certificatePem() { return Pem.encode(certificate); }

  public String privateKeyPem() { return Pem.encode(privateKey); }

  /** Parses PEM text (certificate first in {@code certPem}). */
  public static CertificateAndKey fromPem(String certPem, String keyPem) {
    return new CertificateAndKey(Pem.readCertificate(certPem), Pem.readPrivateKey(keyPem));
  }
}
