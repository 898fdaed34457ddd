package io.kava.cli;

import io.kava.apiserver.auth.CertificateAndKey;
import io.kava.apiserver.auth.CertificateAuthority;
import io.kava.apiserver.auth.KeyMaterial;
import io.kava.apiserver.auth.Pki;
import io.kava.apiserver.auth.ServerTlsEngine;
import io.kava.node.server.NodeStreamingServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates between the API server and node streaming servers, issued by the cluster CA at start (in memory: they
 * cost a key pair each and nothing else depends on them): the API server's client certificate (as upstream's
 * apiserver-kubelet-client, in system:masters) and a node's serving certificate.
 */
public final class NodeCertificates {
  /** The user name the API server presents to nodes. */
  public static final String API_SERVER_CLIENT = "kube-apiserver-kubelet-client";

  private NodeCertificates() {}

  public static KeyCertOptions apiServerClient(Pki pki) {
    return pem(pki.ca().issueClient(API_SERVER_CLIENT, List.of("system:masters"), CertificateAuthority.LEAF_VALIDITY));
  }

  /** A node's streaming server configuration: serving certificate for its name and addresses; clients from the CA. */
  public static NodeStreamingServer.Config streamingServer(Pki pki, String nodeName, List<String> addresses) {
    List<String> ips = new ArrayList<>();
    List<String> dns = new ArrayList<>(List.of(nodeName));
    for (String a : addresses) {
      if (a.matches("[0-9.]+") || a.contains(":")) ips.add(a);
      else if (!dns.contains(a)) dns.add(a);
    }
    CertificateAndKey serving = pki.ca().issueServing(nodeName, dns, ips, CertificateAuthority.LEAF_VALIDITY);
    return NodeStreamingServer.Config.of(pem(serving), new PemTrustOptions().addCertValue(Buffer.buffer(pki.caCertPem())))
        .withTlsEngine(new ServerTlsEngine());
  }

  private static KeyCertOptions pem(CertificateAndKey c) {
    return KeyMaterial.vertx(c); // not PemKeyCertOptions: see KeyMaterial
  }
}
