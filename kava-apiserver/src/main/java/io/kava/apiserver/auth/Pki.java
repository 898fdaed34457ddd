package io.kava.apiserver.auth;

import io.kava.api.validation.IpValidation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's certificates and the admin kubeconfig under a data directory.
 *
 * <pre>
 * DATA/pki/ca.crt        cluster CA (ECDSA P-256, 10 years)          0644
 * DATA/pki/ca.key        its key (PKCS#8 PEM)                        0600
 * DATA/pki/server.crt    API server serving certificate (1 year)     0644
 * DATA/pki/server.key                                                0600
 * DATA/pki/admin.crt     client certificate CN=kava-admin, O=system:masters (1 year)
 * DATA/pki/admin.key                                                 0600
 * DATA/kubeconfig.yaml   cluster "kava", user "kava-admin", context "kava" (current)   0600
 * </pre>
 *
 * {@link #ensure} creates what is missing on first start and reuses it later. A leaf certificate is issued again when
 * it is missing, unreadable, not signed by the CA, within {@link #RENEW_BEFORE} of expiry, or (serving certificate)
 * when its SANs no longer cover the current bind address, service IP and extra SANs. The kubeconfig is rewritten when
 * its content would change. Files are replaced atomically; keys are never world-readable, not even briefly.
 *
 * <p>If {@code ca.crt} and {@code ca.key} exist they are used as they are, so an operator can provide a CA (and HA
 * servers must share one: copy {@code pki/ca.*} to every server's data directory before its first start).
 */
public final class Pki {
  private static final Logger log = LoggerFactory.getLogger(Pki.class);

  public static final String CLUSTER_NAME = "kava";
  public static final String ADMIN_USER = "kava-admin";
  public static final List<String> ADMIN_GROUPS = List.of(UserInfo.SYSTEM_MASTERS);
  /** Leaf certificates are re-issued at start when they expire within this. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(90);

  /**
   * What to build the certificates for.
   *
   * @param dataDir       kava's data directory
   * @param bindAddress   the API server's bind address ("0.0.0.0" or "::" for all)
   * @param port          the API server's port
   * @param extraSans     extra subject alternative names (DNS names or IP literals), like k3s's --tls-san
   * @param serviceCidr   the service CIDR(s), comma-separated; the first IP of each is the {@code kubernetes} Service IP
   * @param clusterDomain the cluster DNS domain
   * @param advertiseHost host for the kubeconfig's server URL; null picks the bind address, or 127.0.0.1 for all
   */
  public record Options(Path dataDir, String bindAddress, int port, List<String> extraSans, String serviceCidr,
      String clusterDomain, String advertiseHost) {
    public Options {
      Objects.requireNonNull(dataDir, "dataDir");
      bindAddress = bindAddress == null || bindAddress.isBlank() ? "0.0.0.0" : bindAddress;
      extraSans = extraSans == null ? List.of() : List.copyOf(extraSans);
      serviceCidr = serviceCidr == null ? "10.96.0.0/12" : serviceCidr;
      clusterDomain = clusterDomain == null ? "cluster.local" : clusterDomain;
    }

    /** Defaults: all addresses, port 6443, service CIDR 10.96.0.0/12, domain cluster.local. */
    public static Options defaults(Path dataDir) {
      return new Options(dataDir, "0.0.0.0", 6443, List.of(), "10.96.0.0/12", "cluster.local", null);
    }

    public Options withBindAddress(String v) { return new Options(dataDir, v, port, extraSans, serviceCidr, clusterDomain, advertiseHost); }

    public Options withPort(int v) { return new Options(dataDir, bindAddress, v, extraSans, serviceCidr, clusterDomain, advertiseHost); }

    public Options withExtraSans(List<String> v) { return new Options(dataDir, bindAddress, port, v, serviceCidr, clusterDomain, advertiseHost); }

    public Options withServiceCidr(String v) { return new Options(dataDir, bindAddress, port, extraSans, v, clusterDomain, advertiseHost); }

    public Options withClusterDomain(String v) { return new Options(dataDir, bindAddress, port, extraSans, serviceCidr, v, advertiseHost); }

    public Options withAdvertiseHost(String v) { return new Options(dataDir, bindAddress, port, extraSans, serviceCidr, clusterDomain, v); }
  }

  private final Path pkiDir;
  private final Path kubeconfigFile;
  private final CertificateAuthority ca;
  private final CertificateAndKey server;
  private final CertificateAndKey admin;
  private final String serverUrl;
  private final boolean caCreated;
  private final boolean serverIssued;
  private final boolean adminIssued;

  private Pki(Path pkiDir, Path kubeconfigFile, CertificateAuthority ca, CertificateAndKey server, CertificateAndKey admin,
      String serverUrl, boolean caCreated, boolean serverIssued, boolean adminIssued) {
    this.pkiDir = pkiDir;
    this.kubeconfigFile = kubeconfigFile;
    this.ca = ca;
    this.server = server;
    this.admin = admin;
    this.serverUrl = serverUrl;
    this.caCreated = caCreated;
    this.serverIssued = serverIssued;
    this.adminIssued = adminIssued;
  }

  /** Creates or loads the PKI and writes the kubeconfig. Blocking file I/O: call it off the event loop. */
  public static Pki ensure(Options options) throws IOException { return ensure(options, Clock.systemUTC()); }

  static Pki ensure(Options o, Clock clock) throws IOException {
    Path pki = o.dataDir().resolve("pki");
    createPrivateDir(o.dataDir(), false);
    createPrivateDir(pki, true);
    Path caCrt = pki.resolve("ca.crt");
    Path caKey = pki.resolve("ca.key");
    Path srvCrt = pki.resolve("server.crt");
    Path srvKey = pki.resolve("server.key");
    Path admCrt = pki.resolve("admin.crt");
    Path admKey = pki.resolve("admin.key");
    VerifiedFiles verifiedFiles = new VerifiedFiles(pki.resolve("verified.sha256"), List.of(caCrt, caKey, srvCrt, srvKey, admCrt, admKey));
    // Files exactly as verified on an earlier start skip the signature checks; dates and names are checked always.
    boolean verified = verifiedFiles.unchanged();

    // the CA
    boolean caCreated = false;
    CertificateAuthority ca;
    boolean crtExists = Files.exists(caCrt);
    boolean keyExists = Files.exists(caKey);
    if (crtExists && keyExists) {
      ca = CertificateAuthority.load(caCrt, caKey, clock, !verified);
    } else if (!crtExists && !keyExists) {
      ca = CertificateAuthority.create("kava-ca@" + clock.instant().getEpochSecond(), clock);
      writeAtomically(caKey, ca.privateKeyPem(), true, true);
      writeAtomically(caCrt, ca.certificatePem(), false, true);
      caCreated = true;
      log.info("Created cluster CA {}", caCrt);
    } else {
      throw new IOException((crtExists ? caCrt + " exists without " + caKey : caKey + " exists without " + caCrt)
          + "; provide both or remove the one present");
    }
    Instant now = clock.instant();

    // the serving certificate
    Sans sans = requiredSans(o);
    CertificateAndKey server = readPair(srvCrt, srvKey);
    String why = server == null ? "missing" : staleness(server, ca, now, verified);
    if (why == null && !covers(server.certificate(), sans)) why = "its SANs do not cover " + sans;
    boolean serverIssued = why != null;
    if (serverIssued) {
      server = ca.issueServing("kava-apiserver", List.copyOf(sans.dns), List.copyOf(sans.ips),
          CertificateAuthority.LEAF_VALIDITY);
      writeAtomically(srvKey, server.privateKeyPem(), true);
      writeAtomically(srvCrt, server.certificatePem(), false);
      log.info("Issued API server certificate ({}) for DNS {} and IP {}", why, sans.dns, sans.ips);
    }

    // the admin client certificate
    CertificateAndKey admin = readPair(admCrt, admKey);
    String adminWhy = admin == null ? "missing" : staleness(admin, ca, now, verified);
    if (adminWhy == null && !admin.certificate().getSubjectX500Principal().getName().equals("CN=" + ADMIN_USER + ",O=system:masters")) {
      adminWhy = "unexpected subject " + admin.certificate().getSubjectX500Principal();
    }
    boolean adminIssued = adminWhy != null;
    if (adminIssued) {
      admin = ca.issueClient(ADMIN_USER, ADMIN_GROUPS, CertificateAuthority.LEAF_VALIDITY);
      writeAtomically(admKey, admin.privateKeyPem(), true);
      writeAtomically(admCrt, admin.certificatePem(), false);
      log.info("Issued admin client certificate ({})", adminWhy);
    }

    if (!verified || caCreated || serverIssued || adminIssued) verifiedFiles.recordVerified();

    // the kubeconfig
    String url = serverUrl(o);
    Path kubeconfig = o.dataDir().resolve("kubeconfig.yaml");
    String text = Kubeconfig.withClientCertificate(CLUSTER_NAME, url, ca.certificatePem(), ADMIN_USER, admin.certificatePem(),
        admin.privateKeyPem());
    if (!Files.exists(kubeconfig) || !Files.readString(kubeconfig, StandardCharsets.UTF_8).equals(text)) {
      writeAtomically(kubeconfig, text, true);
      log.info("Wrote {} for {}", kubeconfig, url);
    }
    return new Pki(pki, kubeconfig, ca, server, admin, url, caCreated, serverIssued, adminIssued);
  }

  // ---- accessors -------------------------------------------------------------------------------------------------

  public CertificateAuthority ca() { return ca; }

  public CertificateAndKey serverCertificate() { return server; }

  public CertificateAndKey adminCertificate() { return admin; }

  /** The kubeconfig's server URL, e.g. {@code https://127.0.0.1:6443}. */
  public String serverUrl() { return serverUrl; }

  /** True if this start created the CA (a fresh data directory). */
  public boolean caCreated() { return caCreated; }

  /** True if this start issued the serving certificate. */
  public boolean serverCertificateIssued() { return serverIssued; }

  /** True if this start issued the admin certificate. */
  public boolean adminCertificateIssued() { return adminIssued; }

  public Path pkiDir() { return pkiDir; }

  public Path caCertFile() { return pkiDir.resolve("ca.crt"); }

  public Path caKeyFile() { return pkiDir.resolve("ca.key"); }

  public Path serverCertFile() { return pkiDir.resolve("server.crt"); }

  public Path serverKeyFile() { return pkiDir.resolve("server.key"); }

  public Path adminCertFile() { return pkiDir.resolve("admin.crt"); }

  public Path adminKeyFile() { return pkiDir.resolve("admin.key"); }

  public Path kubeconfigFile() { return kubeconfigFile; }

  public String caCertPem() { return ca.certificatePem(); }

  public String serverCertPem() { return server.certificatePem(); }

  public String serverKeyPem() { return server.privateKeyPem(); }

  public String adminCertPem() { return admin.certificatePem(); }

  public String adminKeyPem() { return admin.privateKeyPem(); }

  /** The kubeconfig text (as written to {@link #kubeconfigFile()}). */
  public String kubeconfig() {
    return Kubeconfig.withClientCertificate(CLUSTER_NAME, serverUrl, caCertPem(), ADMIN_USER, adminCertPem(), adminKeyPem());
  }

  /** Vert.x server key material: the serving certificate and key (see {@link KeyMaterial} for why not PEM options). */
  public KeyCertOptions vertxKeyCertOptions() {
    return KeyMaterial.vertx(server);
  }

  /**
   * Vert.x trust material that verifies client certificates in the handshake against the cluster CA (with
   * {@code ClientAuth.REQUEST} a bad certificate then fails the handshake).
   */
  public PemTrustOptions vertxClientTrustOptions() {
    return new PemTrustOptions().addCertValue(Buffer.buffer(caCertPem()));
  }

  /**
   * Vert.x trust material for upstream's behaviour ({@code tls.RequestClientCert}): with {@code ClientAuth.REQUEST}
   * every client certificate passes the handshake and {@link #clientCertAuthenticator()} decides (401 for a bad one).
   */
  public TrustOptions vertxRequestClientCertTrustOptions() {
    return TrustOptions.wrap(new RequestClientCertTrustManager(List.of(ca.certificate())));
  }

  /** An authenticator for client certificates issued by the cluster CA. */
  public ClientCertAuthenticator clientCertAuthenticator() { return new ClientCertAuthenticator(ca.certificate()); }

  /** A client TLS context for in-JVM callers: the admin certificate, trusting the cluster CA. */
  public SSLContext adminSslContext() { return sslContext(admin, List.of(ca.certificate())); }

  /** A server TLS context (the serving certificate; client certificates verified against the cluster CA). */
  public SSLContext serverSslContext() { return sslContext(server, List.of(ca.certificate())); }

  /**
   * A TLS context from key material (may be null: no own certificate) and trusted CAs (may be empty: the JDK
   * defaults).
   */
  public static SSLContext sslContext(CertificateAndKey own, Collection<X509Certificate> trusted) {
    try {
      KeyManagerFactory kmf = null;
      if (own != null) {
        kmf = KeyMaterial.keyManagerFactory(own, List.of());
      }
      TrustManagerFactory tmf = null;
      if (!trusted.isEmpty()) {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (X509Certificate c : trusted) ts.setCertificateEntry("ca" + i++, c);
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build TLS context", e);
    }
  }

  // ---- SANs ------------------------------------------------------------------------------------------------------

  /** DNS names and canonical IP literals a serving certificate must carry. */
  record Sans(Set<String> dns, Set<String> ips) {
    @Override
    public String toString() { return "DNS " + dns + " IP " + ips; }
  }

  private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  static Sans requiredSans(Options o) {
    Set<String> dns = new LinkedHashSet<>();
    Set<String> ips = new LinkedHashSet<>();
    dns.add("localhost");
    dns.add("kubernetes");
    dns.add("kubernetes.default");
    dns.add("kubernetes.default.svc");
    dns.add("kubernetes.default.svc." + o.clusterDomain());
    String host = hostname();
    if (host != null) dns.add(host);
    ips.add("127.0.0.1");
    ips.add("::1");
    for (String cidr : o.serviceCidr().split(",")) {
      IpValidation.Cidr c = IpValidation.parseCidr(cidr.strip(), false);
      if (c == null) throw new IllegalArgumentException("invalid service CIDR: " + cidr);
      byte[] first = c.network();
      first[first.length - 1] |= 1;
      ips.add(IpValidation.format(first));
    }
    String bind = CertificateAuthority.stripBrackets(o.bindAddress());
    byte[] bindIp = IpValidation.parse(bind, false);
    if (bindIp == null) throw new IllegalArgumentException("bind address is not an IP address: " + o.bindAddress());
    if (isUnspecified(bindIp)) {
      ips.addAll(interfaceAddresses());
    } else {
      ips.add(IpValidation.format(bindIp));
    }
    if (o.advertiseHost() != null) addSan(o.advertiseHost(), dns, ips);
    for (String san : o.extraSans()) addSan(san, dns, ips);
    return new Sans(dns, ips);
  }

  private static void addSan(String san, Set<String> dns, Set<String> ips) {
    String s = CertificateAuthority.stripBrackets(san.strip());
    if (s.isEmpty()) return;
    byte[] ip = IpValidation.parse(s, false);
    if (ip != null) {
      ips.add(IpValidation.format(ip));
    } else if (DNS_NAME.matcher(s.toLowerCase(Locale.ROOT)).matches()) {
      dns.add(s.toLowerCase(Locale.ROOT));
    } else {
      throw new IllegalArgumentException("not a DNS name or IP address: " + san);
    }
  }

  private static boolean isUnspecified(byte[] ip) {
    for (byte b : ip) if (b != 0) return false;
    return true;
  }

  /** Addresses of the machine's interfaces, without loopback and link-local ones. */
  private static List<String> interfaceAddresses() {
    List<String> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
        if (!ni.isUp() || ni.isLoopback()) continue;
        for (InetAddress a : ni.inetAddresses().toList()) {
          if (a.isLoopbackAddress() || a.isLinkLocalAddress()) continue;
          byte[] raw = a.getAddress();
          out.add(IpValidation.format(raw));
        }
      }
    } catch (SocketException e) {
      log.debug("cannot list network interfaces: {}", e.toString());
    }
    return out;
  }

  /** The machine's host name (lower-cased) when it is a valid DNS name, read without any DNS lookup. */
  static String hostname() {
    String h = null;
    try {
      Path p = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(p)) h = Files.readString(p).strip();
    } catch (IOException e) {
      // fall through
    }
    if (h == null || h.isEmpty()) h = System.getenv("HOSTNAME");
    if (h == null) return null;
    h = h.strip().toLowerCase(Locale.ROOT);
    return !h.isEmpty() && h.length() <= 253 && DNS_NAME.matcher(h).matches() ? h : null;
  }

  static boolean covers(X509Certificate cert, Sans required) {
    Set<String> dns = new LinkedHashSet<>();
    Set<String> ips = new LinkedHashSet<>();
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          int type = (Integer) n.get(0);
          if (type == 2) dns.add(((String) n.get(1)).toLowerCase(Locale.ROOT));
          if (type == 7) {
            byte[] ip = IpValidation.parse((String) n.get(1), false);
            if (ip != null) ips.add(IpValidation.format(ip));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return false;
    }
    return dns.containsAll(required.dns) && ips.containsAll(required.ips);
  }

  static String serverUrl(Options o) {
    String host = o.advertiseHost();
    if (host == null) {
      String bind = CertificateAuthority.stripBrackets(o.bindAddress());
      byte[] ip = IpValidation.parse(bind, false);
      host = ip == null || isUnspecified(ip) ? (ip != null && ip.length == 16 ? "::1" : "127.0.0.1") : IpValidation.format(ip);
    }
    host = CertificateAuthority.stripBrackets(host);
    if (host.indexOf(':') >= 0) host = "[" + host + "]";
    return "https://" + host + ":" + o.port();
  }

  // ---- files -----------------------------------------------------------------------------------------------------

  /** Why a leaf must be re-issued, or null if it is fine. */
  private static String staleness(CertificateAndKey pair, CertificateAuthority ca, Instant now, boolean verified) {
    X509Certificate c = pair.certificate();
    if (!verified && !ca.signed(c)) return "not signed by the current CA";
    if (now.isBefore(c.getNotBefore().toInstant())) return "not valid yet";
    if (now.plus(RENEW_BEFORE).isAfter(c.getNotAfter().toInstant())) return "expires " + c.getNotAfter().toInstant();
    if (!verified && !CertificateAuthority.keyMatches(c, pair.privateKey())) return "key does not match";
    return null;
  }

  private static CertificateAndKey readPair(Path crt, Path key) {
    if (!Files.exists(crt) || !Files.exists(key)) return null;
    try {
      return CertificateAndKey.fromPem(Files.readString(crt, StandardCharsets.US_ASCII), Files.readString(key, StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      log.warn("Ignoring unreadable {} / {}: {}", crt, key, e.toString());
      return null;
    }
  }

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void createPrivateDir(Path dir, boolean ownerOnly) throws IOException {
    if (Files.isDirectory(dir)) return;
    if (posix(dir.toAbsolutePath().getParent() == null ? dir : dir.toAbsolutePath().getParent()) && ownerOnly) {
      try {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return;
      } catch (FileAlreadyExistsException e) {
        return;
      }
    }
    Files.createDirectories(dir);
  }

  /** Writes via a temporary file created with the final permissions, then renames over the target. */
  static void writeAtomically(Path target, String content, boolean secret) throws IOException {
    writeAtomically(target, content, secret, false);
  }

  /**
   * {@code durable} also forces the data to disk before the rename: used for the CA, which cannot be recreated
   * without invalidating every credential; leaf certificates and the kubeconfig are re-issued if a crash leaves them
   * unreadable.
   */
  static void writeAtomically(Path target, String content, boolean secret, boolean durable) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp;
    if (posix(dir)) {
      Set<PosixFilePermission> perms = PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--");
      FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(perms);
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attr);
      Files.setPosixFilePermissions(tmp, perms); // the umask may have removed bits from the creation mode
    } else {
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    }
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      if (durable) {
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
