package io.kava.apiserver.auth;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.spi.tls.DefaultSslContextFactory;
import io.vertx.core.spi.tls.SslContextFactory;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK TLS engine for kava's HTTPS servers, whose server contexts are plain {@link JdkSslContext}s over a JDK
 * {@link SSLContext} rather than what Netty's {@code SslContextBuilder} makes.
 *
 * <p>Why: the builder's server context class checks once per JVM, in its static initializer, whether the JDK's trust
 * managers can be wrapped, by loading a built-in RSA key and certificate into a password-protected PKCS#12 store (two
 * PBKDF2s of 10,000 HMAC-SHA256 rounds), a key manager and an {@code SSLContext}: 0.7–1.0 s of CPU in a cold JVM, the
 * PBKDF2s ~0.45 s of it (measured 2026-11-27), spent at every start of {@code kava server} on a 2-core machine with no
 * CPU to spare then. The wrapping only adds detail to a rejected client certificate's error. Client contexts (the node
 * proxy's) are built as Vert.x builds them.
 */
public final class ServerTlsEngine extends JdkSSLEngineOptions {
  public ServerTlsEngine() {}

  private ServerTlsEngine(ServerTlsEngine other) { super(other); }

  @Override
  public SslContextFactory sslContextFactory() { return new Factory(); }

  @Override
  public ServerTlsEngine copy() { return new ServerTlsEngine(this); }

  /** Collects Vert.x's settings; a server context is built here, a client context by Vert.x's own factory. */
  private static final class Factory implements SslContextFactory {
    private boolean server;
    private boolean alpn;
    private ClientAuth clientAuth = ClientAuth.NONE;
    private SNIServerName serverName;
    private String endpointIdentification;
    // as given (null when not set): the client path hands them to Vert.x's factory unchanged
    private Set<String> protocols;
    private Set<String> cipherSuites;
    private List<String> applicationProtocols;
    private KeyManagerFactory keyManagers;
    private TrustManagerFactory trustManagers;

    @Override public SslContextFactory useAlpn(boolean useAlpn) { alpn = useAlpn; return this; }

    @Override public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) { keyManagers = kmf; return this; }

    @Override public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) { trustManagers = tmf; return this; }

    @Override
    public SslContextFactory forServer(ClientAuth auth) {
      server = true;
      clientAuth = auth == null ? ClientAuth.NONE : auth;
      return this;
    }

    @Override
    public SslContextFactory forClient(SNIServerName name, String endpointIdentificationAlgorithm) {
      server = false;
      serverName = name;
      endpointIdentification = endpointIdentificationAlgorithm;
      return this;
    }

    @Override
    public SslContextFactory enabledProtocols(Set<String> enabled) {
      protocols = enabled;
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> enabled) {
      cipherSuites = enabled;
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> names) {
      applicationProtocols = names;
      return this;
    }

    @Override
    public SslContext create() throws SSLException {
      if (!server) {
        return new DefaultSslContextFactory(SslProvider.JDK, true).useAlpn(alpn).forClient(serverName, endpointIdentification)
            .enabledProtocols(protocols).enabledCipherSuites(cipherSuites).applicationProtocols(applicationProtocols)
            .keyMananagerFactory(keyManagers).trustManagerFactory(trustManagers).create();
      }
      if (keyManagers == null) throw new SSLException("a TLS server needs a key and certificate");
      SSLContext context;
      try {
        context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers == null ? null : trustManagers.getTrustManagers(), null);
      } catch (GeneralSecurityException e) {
        throw new SSLException("cannot set up the server's TLS context: " + e.getMessage(), e);
      }
      // As Vert.x configures the JDK provider: ALPN only when asked for and given protocols, and a fatal alert
      // when client and server share none.
      ApplicationProtocolConfig apn = alpn && applicationProtocols != null && !applicationProtocols.isEmpty()
          ? new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.FATAL_ALERT,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.FATAL_ALERT, applicationProtocols)
          : ApplicationProtocolConfig.DISABLED;
      return new JdkSslContext(context, false, cipherSuites == null || cipherSuites.isEmpty() ? null : cipherSuites,
          IdentityCipherSuiteFilter.INSTANCE, apn, clientAuth,
          protocols == null || protocols.isEmpty() ? null : protocols.toArray(String[]::new), false);
    }
  }
}
