package io.kava.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

  @Test
  void pemRoundTrip() {
    CertificateAuthority ca = CertificateAuthority.create("rt");
    CertificateAuthority back = CertificateAuthority.fromPem(ca.certificatePem(), ca.privateKeyPem());
    assertThat(back.certificate()).isEqualTo(ca.certificate());
    assertThat(ca.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
    assertThat(ca.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
    CertificateAndKey leaf = back.issueClient("u", List.of(), Duration.ofDays(1));
    assertThat(ca.signed(leaf.certificate())).isTrue();
    CertificateAndKey parsed = CertificateAndKey.fromPem(leaf.certificatePem(), leaf.privateKeyPem());
    assertThat(parsed.certificate()).isEqualTo(leaf.certificate());
  }

  @Test
  void mismatchedKeyIsRejected() {
    CertificateAuthority a = CertificateAuthority.create("a");
    CertificateAuthority b = CertificateAuthority.create("b");
    assertThatThrownBy(() -> CertificateAuthority.fromPem(a.certificatePem(), b.privateKeyPem()))
        .hasMessageContaining("does not match");
    CertificateAndKey leaf = a.issueClient("u", List.of(), Duration.ofDays(1));
    assertThatThrownBy(() -> CertificateAuthority.fromPem(leaf.certificatePem(), leaf.privateKeyPem()))
        .hasMessageContaining("not a CA");
  }

  /** Keys written by openssl or Go in the older formats are accepted (through BouncyCastle, loaded lazily). */
  @Test
  void readsSec1AndPkcs1Keys() throws Exception {
    var g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    var rsa = g.generateKeyPair();
    byte[] pkcs1 = Der.read(rsa.getPrivate().getEncoded()).children().get(2).content();
    assertThat(Pem.readPrivateKey(pem("RSA PRIVATE KEY", pkcs1))).isEqualTo(rsa.getPrivate());

    var ec = CertificateAuthority.newKeyPair();
    byte[] s = ((java.security.interfaces.ECPrivateKey) ec.getPrivate()).getS().toByteArray();
    byte[] scalar = new byte[32];
    System.arraycopy(s, Math.max(0, s.length - 32), scalar, Math.max(0, 32 - s.length), Math.min(32, s.length));
    byte[] sec1 = Der.sequence(Der.integer(1), Der.octetString(scalar), Der.tagged(0, true, Der.oid("1.2.840.10045.3.1.7")));
    var parsed = (java.security.interfaces.ECPrivateKey) Pem.readPrivateKey(pem("EC PRIVATE KEY", sec1));
    assertThat(parsed.getS()).isEqualTo(((java.security.interfaces.ECPrivateKey) ec.getPrivate()).getS());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  @Test
  void derNamedBitsAndOids() {
    // keyUsage digitalSignature|keyCertSign|cRLSign and digitalSignature|keyEncipherment, as other encoders write them
    assertThat(java.util.HexFormat.of().formatHex(Der.namedBits(0, 5, 6))).isEqualTo("03020186");
    assertThat(java.util.HexFormat.of().formatHex(Der.namedBits(0, 2))).isEqualTo("030205a0");
    assertThat(java.util.HexFormat.of().formatHex(Der.oid("1.2.840.10045.4.3.2"))).isEqualTo("06082a8648ce3d040302");
    assertThat(Der.read(Der.oid("0.9.2342.19200300.100.1.1")).oidString()).isEqualTo("0.9.2342.19200300.100.1.1");
    assertThat(Der.read(Der.oid("2.5.29.37")).oidString()).isEqualTo("2.5.29.37");
    byte[] big = new byte[300];
    assertThat(Der.read(Der.octetString(big)).content()).hasSize(300);
  }

  @Test
  void rejectsHostNamesAsIpSans() {
    CertificateAuthority ca = CertificateAuthority.create("x");
    assertThatThrownBy(() -> ca.issueServing("s", List.of(), List.of("example.com"), Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
