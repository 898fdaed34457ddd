package io.kava.apiserver.auth;

import io.vertx.core.net.KeyCertOptions;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;

/**
 * Key managers built straight from parsed keys, for Vert.x and JDK TLS.
 *
 * <p>Why not {@code PemKeyCertOptions} or a PKCS12 key store: both put the private key into a PKCS12 store, which
 * encrypts it on insertion and decrypts it again for the key manager, each a PBKDF2 of 10,000 HMAC-SHA256 rounds.
 * Vert.x does that for every server and client it builds a TLS context for (each event loop's server, the node proxy,
 * the node's streaming server), which cost over a second of CPU during start-up, before the first request was
 * answered, on this 2-core machine. A key store that lives only in memory needs no such protection: the in-memory
 * {@code JKS} type keeps the key behind a cheap single-pass obfuscation.
 */
public final class KeyMaterial {
  private static final char[] IN_MEMORY_PASSWORD = "kava".toCharArray();

  private KeyMaterial() {}

  /** A key manager factory holding one key and its certificate chain (leaf first). */
  public static KeyManagerFactory keyManagerFactory(CertificateAndKey own, List<X509Certificate> chainAfterLeaf) {
    try {
      KeyStore ks = KeyStore.getInstance("JKS");
      ks.load(null, null);
      X509Certificate[] chain = new X509Certificate[1 + chainAfterLeaf.size()];
      chain[0] = own.certificate();
      for (int i = 0; i < chainAfterLeaf.size(); i++) chain[i + 1] = chainAfterLeaf.get(i);
      ks.setKeyEntry("key", own.privateKey(), IN_MEMORY_PASSWORD, chain);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, IN_MEMORY_PASSWORD);
      return kmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a key manager for " + own.certificate().getSubjectX500Principal(), e);
    }
  }

  /** Vert.x key material for {@code own} (its certificate alone as the chain, as the PEM form carries it). */
  public static KeyCertOptions vertx(CertificateAndKey own) {
    return KeyCertOptions.wrap(keyManagerFactory(own, List.of()));
  }
}
