package io.kava.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientCertAuthenticatorTest {
  static CertificateAuthority ca;
  static CertificateAuthority other;

  @BeforeAll
  static void setUp() {
    ca = CertificateAuthority.create("test-ca");
    other = CertificateAuthority.create("other-ca");
  }

  @Test
  void mapsCommonNameAndOrganizations() throws Exception {
    CertificateAndKey c = ca.issueClient("jane", List.of("dev", "ops"), Duration.ofDays(1));
    UserInfo u = new ClientCertAuthenticator(ca.certificate()).authenticate(new X509Certificate[] {c.certificate()}).orElseThrow();
    assertThat(u.name()).isEqualTo("jane");
    assertThat(u.uid()).isEmpty();
    assertThat(u.groups()).containsExactly("dev", "ops", "system:authenticated");
    String fp = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.certificate().getEncoded()));
    assertThat(u.extra()).containsEntry("authentication.kubernetes.io/credential-id", List.of("X509SHA256=" + fp));
  }

  @Test
  void noCertificateOrNoCommonNameIsNotAnIdentity() {
    ClientCertAuthenticator a = new ClientCertAuthenticator(ca.certificate());
    assertThat(a.authenticate((X509Certificate[]) null)).isEmpty();
    assertThat(a.authenticate(new X509Certificate[0])).isEmpty();
    CertificateAndKey noCn = ca.issueClient("", List.of("g"), Duration.ofDays(1));
    assertThat(a.authenticate(new X509Certificate[] {noCn.certificate()})).isEmpty();
  }

  @Test
  void unknownAuthority() {
    CertificateAndKey c = other.issueClient("mallory", List.of(UserInfo.SYSTEM_MASTERS), Duration.ofDays(1));
    assertThatThrownBy(() -> new ClientCertAuthenticator(ca.certificate()).authenticate(new X509Certificate[] {c.certificate()}))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageStartingWith("verifying certificate SN=" + c.certificate().getSerialNumber() + ", SKID=")
        .hasMessageEndingWith(" failed: x509: certificate signed by unknown authority")
        .hasMessageMatching("verifying certificate SN=\\d+, SKID=([0-9A-F]{2}:){19}[0-9A-F]{2}, AKID=([0-9A-F]{2}:){19}[0-9A-F]{2} failed: .*");
  }

  @Test
  void expiredAndNotYetValid() {
    CertificateAndKey c = ca.issueClient("jane", List.of(), Duration.ofDays(1));
    Instant later = Instant.now().plus(Duration.ofDays(3));
    ClientCertAuthenticator a = new ClientCertAuthenticator(List.of(ca.certificate()), Clock.fixed(later, ZoneOffset.UTC));
    assertThatThrownBy(() -> a.authenticate(new X509Certificate[] {c.certificate()}))
        .hasMessageContaining("failed: x509: certificate has expired or is not yet valid: current time ")
        .hasMessageContaining(" is after ");
    ClientCertAuthenticator early = new ClientCertAuthenticator(List.of(ca.certificate()),
        Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC));
    assertThatThrownBy(() -> early.authenticate(new X509Certificate[] {c.certificate()})).hasMessageContaining(" is before ");
  }

  @Test
  void servingCertificateIsNotAClientCertificate() {
    CertificateAndKey s = ca.issueServing("web", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    assertThatThrownBy(() -> new ClientCertAuthenticator(ca.certificate()).authenticate(new X509Certificate[] {s.certificate()}))
        .hasMessageEndingWith("failed: x509: certificate specifies an incompatible key usage");
  }

  @Test
  void cachedResultsStillRespectExpiry() {
    CertificateAndKey c = ca.issueClient("jane", List.of(), Duration.ofDays(1));
    ClientCertAuthenticator a = new ClientCertAuthenticator(ca.certificate());
    X509Certificate[] chain = {c.certificate()};
    assertThat(a.authenticate(chain)).isPresent();
    assertThat(a.authenticate(chain)).isPresent();
  }
}
