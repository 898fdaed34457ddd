package io.kava.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class PkiTest {
  @TempDir
  Path dir;

  private Pki.Options options() {
    return Pki.Options.defaults(dir).withBindAddress("127.0.0.1").withPort(16443);
  }

  @Test
  void firstStartCreatesFilesAndKubeconfig() throws Exception {
    // Its cost is measured by bench/'s start-up benchmark, not here: a timed assertion flakes on a shared 2-core machine.
    Pki pki = Pki.ensure(options());

    assertThat(pki.caCreated()).isTrue();
    assertThat(pki.serverCertificateIssued()).isTrue();
    assertThat(pki.adminCertificateIssued()).isTrue();
    for (String f : List.of("ca.crt", "ca.key", "server.crt", "server.key", "admin.crt", "admin.key")) {
      assertThat(dir.resolve("pki").resolve(f)).isRegularFile();
    }
    for (Path secret : List.of(pki.caKeyFile(), pki.serverKeyFile(), pki.adminKeyFile(), pki.kubeconfigFile())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).as(secret.toString()).isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.pkiDir()))).isEqualTo("rwx------");
    assertThat(Files.list(pki.pkiDir()).filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();

    JsonNode kc = new YAMLMapper().readTree(Files.readString(dir.resolve("kubeconfig.yaml")));
    assertThat(kc.path("kind").asString()).isEqualTo("Config");
    assertThat(kc.path("current-context").asString()).isEqualTo("kava");
    JsonNode cluster = kc.path("clusters").get(0);
    assertThat(cluster.path("name").asString()).isEqualTo("kava");
    assertThat(cluster.path("cluster").path("server").asString()).isEqualTo("https://127.0.0.1:16443");
    assertThat(decode(cluster.path("cluster").path("certificate-authority-data").asString())).isEqualTo(Files.readString(pki.caCertFile()));
    JsonNode ctx = kc.path("contexts").get(0);
    assertThat(ctx.path("name").asString()).isEqualTo("kava");
    assertThat(ctx.path("context").path("cluster").asString()).isEqualTo("kava");
    assertThat(ctx.path("context").path("user").asString()).isEqualTo("kava-admin");
    JsonNode user = kc.path("users").get(0);
    assertThat(user.path("name").asString()).isEqualTo("kava-admin");
    assertThat(decode(user.path("user").path("client-certificate-data").asString())).isEqualTo(Files.readString(pki.adminCertFile()));
    assertThat(decode(user.path("user").path("client-key-data").asString())).isEqualTo(Files.readString(pki.adminKeyFile()));

    X509Certificate admin = pki.adminCertificate().certificate();
    assertThat(admin.getSubjectX500Principal().getName()).isEqualTo("CN=kava-admin,O=system:masters");
    assertThat(admin.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    X509Certificate ca = pki.ca().certificate();
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant())).isGreaterThan(Duration.ofDays(3649));
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void secondStartReusesEverything() throws Exception {
    Pki first = Pki.ensure(options());
    byte[] ca = Files.readAllBytes(first.caCertFile());
    byte[] server = Files.readAllBytes(first.serverCertFile());
    byte[] kubeconfig = Files.readAllBytes(first.kubeconfigFile());
    Instant kubeconfigTime = Files.getLastModifiedTime(first.kubeconfigFile()).toInstant();

    Pki second = Pki.ensure(options());
    assertThat(second.caCreated()).isFalse();
    assertThat(second.serverCertificateIssued()).isFalse();
    assertThat(second.adminCertificateIssued()).isFalse();
    assertThat(Files.readAllBytes(second.caCertFile())).isEqualTo(ca);
    assertThat(Files.readAllBytes(second.serverCertFile())).isEqualTo(server);
    assertThat(Files.readAllBytes(second.kubeconfigFile())).isEqualTo(kubeconfig);
    assertThat(Files.getLastModifiedTime(second.kubeconfigFile()).toInstant()).isEqualTo(kubeconfigTime);
    assertThat(second.caCertPem()).isEqualTo(first.caCertPem());
  }

  @Test
  void filesChangedSinceTheyWereVerifiedAreCheckedAgain() throws Exception {
    Pki first = Pki.ensure(options());
    Path record = first.pkiDir().resolve("verified.sha256");
    assertThat(record).isRegularFile();
    String verified = Files.readString(record);
    assertThat(Pki.ensure(options()).serverCertificateIssued()).isFalse();
    assertThat(Files.readString(record)).isEqualTo(verified);

    // a serving key swapped by hand for one that does not match: the record no longer names the files, so the
    // signature checks run and the certificate is issued again
    Files.writeString(first.serverKeyFile(), CertificateAuthority.create("other").privateKeyPem());
    Pki second = Pki.ensure(options());
    assertThat(second.serverCertificateIssued()).isTrue();
    assertThat(CertificateAuthority.keyMatches(second.serverCertificate().certificate(), second.serverCertificate().privateKey())).isTrue();
    assertThat(Files.readString(record)).isNotEqualTo(verified);

    // a CA whose key does not match is refused even with a record that a tampered file no longer matches
    Files.writeString(first.caKeyFile(), CertificateAuthority.create("other").privateKeyPem());
    assertThatThrownBy(() -> Pki.ensure(options())).hasMessageContaining("does not match");
  }

  @Test
  void servingCertificateIsReissuedWhenSansChange() throws Exception {
    Pki first = Pki.ensure(options());
    Pki second = Pki.ensure(options().withExtraSans(List.of("10.1.2.3", "kava.example.com", "[fd00::5]")));
    assertThat(second.serverCertificateIssued()).isTrue();
    assertThat(second.caCertPem()).isEqualTo(first.caCertPem());
    assertThat(sans(second.serverCertificate().certificate())).contains("10.1.2.3", "kava.example.com", "fd00:0:0:0:0:0:0:5");
    // still covered: no new certificate
    assertThat(Pki.ensure(options().withExtraSans(List.of("kava.example.com"))).serverCertificateIssued()).isFalse();
    // a new bind address is not covered
    Pki third = Pki.ensure(options().withBindAddress("127.0.0.2").withPort(7443));
    assertThat(third.serverCertificateIssued()).isTrue();
    assertThat(third.serverUrl()).isEqualTo("https://127.0.0.2:7443");
    assertThat(Files.readString(third.kubeconfigFile())).contains("https://127.0.0.2:7443");
  }

  @Test
  void servingCertificateCoversTheClusterNames() throws Exception {
    Pki pki = Pki.ensure(Pki.Options.defaults(dir).withServiceCidr("10.43.0.0/16,fd00:10:96::/108"));
    List<String> sans = sans(pki.serverCertificate().certificate());
    assertThat(sans).contains("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local", "127.0.0.1", "0:0:0:0:0:0:0:1", "10.43.0.1", "fd00:10:96:0:0:0:0:1");
    if (Pki.hostname() != null) assertThat(sans).contains(Pki.hostname());
    assertThat(pki.serverUrl()).isEqualTo("https://127.0.0.1:6443");
    assertThat(pki.serverCertificate().certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(pki.ca().signed(pki.serverCertificate().certificate())).isTrue();
    pki.serverCertificate().certificate().verify(pki.ca().publicKey());
  }

  @Test
  void expiringLeafCertificatesAreRenewed() throws Exception {
    Instant start = Instant.parse("2030-01-01T00:00:00Z");
    Pki first = Pki.ensure(options(), Clock.fixed(start, ZoneOffset.UTC));
    Pki later = Pki.ensure(options(), Clock.fixed(start.plus(Duration.ofDays(300)), ZoneOffset.UTC));
    assertThat(later.caCreated()).isFalse();
    assertThat(later.serverCertificateIssued()).isTrue();
    assertThat(later.adminCertificateIssued()).isTrue();
    assertThat(later.caCertPem()).isEqualTo(first.caCertPem());
    assertThat(Files.readString(later.kubeconfigFile())).isEqualTo(later.kubeconfig()).isNotEqualTo(first.kubeconfig());
  }

  @Test
  void halfACaIsAnError() throws Exception {
    Pki pki = Pki.ensure(options());
    Files.delete(pki.caKeyFile());
    assertThatThrownBy(() -> Pki.ensure(options())).isInstanceOf(IOException.class).hasMessageContaining("exists without");
  }

  @Test
  void providedCaIsUsed() throws Exception {
    CertificateAuthority mine = CertificateAuthority.create("my-ca");
    Files.createDirectories(dir.resolve("pki"));
    Files.writeString(dir.resolve("pki/ca.crt"), mine.certificatePem());
    Files.writeString(dir.resolve("pki/ca.key"), mine.privateKeyPem());
    Pki pki = Pki.ensure(options());
    assertThat(pki.caCreated()).isFalse();
    assertThat(pki.ca().certificate()).isEqualTo(mine.certificate());
    assertThat(mine.signed(pki.serverCertificate().certificate())).isTrue();
  }

  /** A real TLS 1.3 handshake with client authentication, JDK on both sides, host name checked as HTTPS does. */
  @Test
  void tlsHandshakeWithClientCertificate() throws Exception {
    Pki pki = Pki.ensure(options());
    ClientCertAuthenticator authn = pki.clientCertAuthenticator();
    for (String host : List.of("localhost", "127.0.0.1")) {
      try (SSLServerSocket ss = (SSLServerSocket) pki.serverSslContext().getServerSocketFactory()
          .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        ss.setNeedClientAuth(true);
        CompletableFuture<Optional<UserInfo>> seen = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
          try (SSLSocket s = (SSLSocket) ss.accept()) {
            s.startHandshake();
            seen.complete(authn.authenticate(s.getSession().getPeerCertificates()));
            s.getOutputStream().write('k');
            s.getOutputStream().flush();
            s.getInputStream().read();
          } catch (Exception e) {
            seen.completeExceptionally(e);
          }
        });
        try (SSLSocket c = (SSLSocket) pki.adminSslContext().getSocketFactory().createSocket(host, ss.getLocalPort())) {
          SSLParameters p = c.getSSLParameters();
          p.setEndpointIdentificationAlgorithm("HTTPS"); // checks the SANs against the host
          c.setSSLParameters(p);
          c.startHandshake();
          assertThat(c.getInputStream().read()).isEqualTo('k');
          c.getOutputStream().write('x');
          c.getOutputStream().flush();
          assertThat(c.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        UserInfo user = seen.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(user.name()).isEqualTo("kava-admin");
        assertThat(user.groups()).containsExactly("system:masters", "system:authenticated");
      }
    }
  }

  /** The stock kubectl reads the kubeconfig, trusts the server certificate and presents the admin certificate. */
  @Test
  void kubectlAcceptsKubeconfigAndCertificates() throws Exception {
    Path kubectl = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.33");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(kubectl), "kubectl 1.33 not installed at " + kubectl);
    Pki pki = Pki.ensure(options());

    String view = run(kubectl.toString(), "--kubeconfig", pki.kubeconfigFile().toString(), "config", "view", "--raw",
        "-o", "jsonpath={.clusters[0].cluster.server} {.current-context} {.users[0].name}");
    assertThat(view.strip()).isEqualTo("https://127.0.0.1:16443 kava kava-admin");

    // a tiny HTTPS server answering /version, requiring a client certificate, on the kubeconfig's port
    var server = com.sun.net.httpserver.HttpsServer.create(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ClientCertAuthenticator authn = pki.clientCertAuthenticator();
    CompletableFuture<UserInfo> seen = new CompletableFuture<>();
    server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(pki.serverSslContext()) {
      @Override
      public void configure(com.sun.net.httpserver.HttpsParameters params) {
        SSLParameters p = getSSLContext().getDefaultSSLParameters();
        p.setNeedClientAuth(true);
        params.setSSLParameters(p);
      }
    });
    server.createContext("/version", ex -> {
      try {
        var session = ((com.sun.net.httpserver.HttpsExchange) ex).getSSLSession();
        authn.authenticate(session.getPeerCertificates()).ifPresent(seen::complete);
      } catch (Exception e) {
        seen.completeExceptionally(e);
      }
      byte[] body = "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0-kava\",\"platform\":\"linux/amd64\"}"
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    });
    server.start();
    try {
      Pki atPort = Pki.ensure(options().withPort(server.getAddress().getPort()));
      String out = run(kubectl.toString(), "--kubeconfig", atPort.kubeconfigFile().toString(), "version", "-o", "json",
          "--request-timeout=10s");
      assertThat(out).contains("\"gitVersion\": \"v1.33.0-kava\"");
      UserInfo user = seen.get(10, TimeUnit.SECONDS);
      assertThat(user.name()).isEqualTo("kava-admin");
      assertThat(user.groups()).containsExactly("system:masters", "system:authenticated");
    } finally {
      server.stop(0);
    }
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static String decode(String b64) { return new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII); }

  private static List<String> sans(X509Certificate c) throws Exception {
    return c.getSubjectAlternativeNames().stream().map(l -> (String) l.get(1)).toList();
  }
}
