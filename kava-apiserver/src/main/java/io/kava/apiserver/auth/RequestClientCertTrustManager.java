package io.kava.apiserver.auth;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Server-side trust manager that asks for a client certificate and accepts whatever chain the client sends, leaving
 * the decision to {@link ClientCertAuthenticator}. This is upstream's {@code tls.RequestClientCert}: a client with a
 * bad certificate completes the handshake and then gets 401 Unauthorized instead of a TLS alert, and a client without
 * one proceeds anonymously. The TLS engine still checks the client's CertificateVerify, so the client has proven it
 * holds the key. The CA list sent in the CertificateRequest ({@link #getAcceptedIssuers}) tells clients which
 * certificate to present, as kube-apiserver's ClientCAs does.
 *
 * <p>Use only on servers: as a client trust manager it would accept any server.
 */
public final class RequestClientCertTrustManager extends X509ExtendedTrustManager {
  private final X509Certificate[] acceptedIssuers;

  public RequestClientCertTrustManager(List<X509Certificate> clientCas) {
    this.acceptedIssuers = clientCas.toArray(X509Certificate[]::new);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("RequestClientCertTrustManager verifies no servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() { return acceptedIssuers.clone(); }
}
