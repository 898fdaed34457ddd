package io.kava.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsWarmUpTest {
  @TempDir Path dir;

  @Test
  void handshakesWithTheClustersOwnCertificates() throws Exception {
    Pki pki = Pki.ensure(Pki.Options.defaults(dir));
    assertThatCode(() -> TlsWarmUp.handshake(pki.serverSslContext(), pki.adminSslContext())).doesNotThrowAnyException();
  }

  @Test
  void aClientThatDoesNotTrustTheServerFails() throws Exception {
    Pki pki = Pki.ensure(Pki.Options.defaults(dir));
    Pki other = Pki.ensure(Pki.Options.defaults(dir.resolve("other")));
    // the other cluster's admin trusts only its own CA: the handshake must fail, not report success
    assertThatThrownBy(() -> TlsWarmUp.handshake(pki.serverSslContext(), Pki.sslContext(null, List.of(other.ca().certificate()))))
        .isInstanceOf(SSLException.class);
  }
}
