package io.kava.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;

class KeyMaterialTest {
  private final CertificateAuthority ca = CertificateAuthority.create("test-ca");
  private final CertificateAndKey leaf = ca.issueServing("server", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));

  @Test
  void keyManagerServesTheKeyAndChainForTheKeysAlgorithm() throws Exception {
    X509KeyManager km = only(KeyMaterial.keyManagerFactory(leaf, List.of(ca.certificate())).getKeyManagers());
    String alias = km.chooseServerAlias(leaf.privateKey().getAlgorithm(), null, null);
    assertThat(alias).isNotNull();
    assertThat(km.getPrivateKey(alias)).isEqualTo(leaf.privateKey());
    assertThat(km.getCertificateChain(alias)).containsExactly(leaf.certificate(), ca.certificate());
    // a key type the key is not of gets no alias (the handshake then picks another signature scheme)
    String other = leaf.privateKey().getAlgorithm().equals("EC") ? "RSA" : "EC";
    assertThat(km.chooseServerAlias(other, null, null)).isNull();
  }

  @Test
  void vertxOptionsKeepTheKeyAcrossCopies() throws Exception {
    KeyCertOptions options = KeyMaterial.vertx(leaf);
    Vertx vertx = Vertx.vertx();
    try {
      // Vert.x copies the options of every server and client it creates
      X509KeyManager km = only(options.copy().getKeyManagerFactory(vertx).getKeyManagers());
      String alias = km.chooseServerAlias(leaf.privateKey().getAlgorithm(), null, null);
      assertThat(km.getCertificateChain(alias)).containsExactly(leaf.certificate());
      assertThat(km.getPrivateKey(alias)).isEqualTo(leaf.privateKey());
    } finally {
      vertx.close().await();
    }
  }

  private static X509KeyManager only(KeyManager[] managers) {
    assertThat(managers).hasSize(1);
    return (X509KeyManager) managers[0];
  }
}
