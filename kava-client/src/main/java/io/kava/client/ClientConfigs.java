package io.kava.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * fabric8 client settings kava's components need. fabric8 reads a PKCS#8 client key ("BEGIN PRIVATE KEY") as RSA
 * unless told otherwise, and kava writes ECDSA keys that way, so the algorithm is taken from the key itself. Watches
 * are asked for as plain HTTP streams, which is what kava serves.
 */
public final class ClientConfigs {
  private ClientConfigs() {}

  public static Config fromKubeconfig(Path kubeconfig) throws IOException {
    return prepare(Config.fromKubeconfig(Files.readString(kubeconfig)));
  }

  /**
   * A configuration for a component in the API server's own process: its loopback URL and a bearer token, nothing read
   * from files, the environment or system properties. Built directly rather than from a kubeconfig: fabric8 parses a
   * kubeconfig through its YAML mapper, ~0.5 s of CPU the first time in a cold JVM (measured 2026-11-27), which
   * competed with the server's first clients at every start.
   */
  public static Config loopback(String url, String token) {
    return new ConfigBuilder(Config.empty()).withMasterUrl(url).withAutoOAuthToken(token).build();
  }

  public static Config prepare(Config config) {
    detectKeyAlgorithm(config);
    // Streamed HTTP watches, as client-go's. fabric8's WebSocket watches (its default; kava serves them too) were
    // measured for the in-process informers on 2026-11-27: they delivered later (pod create -> Running p50 +4 to +8 ms
    // with 1000 simulated nodes) for no less CPU than fabric8's HTTP watch, whose char-at-a-time line splitting the
    // busiest informers now avoid (io.kava.client.watch.LineWatches).
    config.setOnlyHttpWatches(true);
    return config;
  }

  static void detectKeyAlgorithm(Config config) {
    String pem = pem(config);
    if (pem == null || !pem.contains("-----BEGIN PRIVATE KEY-----")) return;
    String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27);
    int end = body.indexOf("-----END");
    byte[] der = Base64.getMimeDecoder().decode(end < 0 ? body : body.substring(0, end));
    for (String algorithm : new String[] {"EC", "RSA"}) {
      try {
        KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        config.setClientKeyAlgo(algorithm);
        return;
      } catch (GeneralSecurityException notThisOne) {
        // try the next one
      }
    }
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
