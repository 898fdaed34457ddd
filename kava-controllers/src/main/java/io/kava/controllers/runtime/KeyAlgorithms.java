package io.kava.controllers.runtime;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * fabric8 reads a client key as RSA unless told otherwise, and cannot tell the algorithm of a PKCS#8
 * ("BEGIN PRIVATE KEY") key from its PEM header. kava writes ECDSA keys as PKCS#8 (what kubectl and client-go read),
 * so the algorithm is taken from the key itself before the client is built.
 */
final class KeyAlgorithms {
  private KeyAlgorithms() {}

  static Config detect(Config config) {
    String pem = pem(config);
    if (pem == null || !pem.contains("-----BEGIN PRIVATE KEY-----")) return config;
    String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27);
    int end = body.indexOf("-----END");
    byte[] der = Base64.getMimeDecoder().decode(end < 0 ? body : body.substring(0, end));
    for (String algorithm : new String[] {"EC", "RSA"}) {
      try {
        KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        config.setClientKeyAlgo(algorithm);
        return config;
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    return config;
  }

  private static String pem(Config config) {
    try {
      if (config.getClientKeyData() != null) {
        return new String(Base64.getMimeDecoder().decode(config.getClientKeyData()), StandardCharsets.US_ASCII);
      }
      if (config.getClientKeyFile() != null) return Files.readString(Path.of(config.getClientKeyFile()), StandardCharsets.US_ASCII);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    return null;
  }
}
