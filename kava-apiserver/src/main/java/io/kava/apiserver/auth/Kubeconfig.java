package io.kava.apiserver.auth;

import io.kava.apiserver.wire.GoJson;

/**
 * Renders kubeconfig files (clientcmd's v1 Config) that the stock kubectl, client-go and fabric8 accept: one cluster,
 * one user, one context, the context current. Certificates and keys are embedded as base64 {@code *-data}.
 */
public final class Kubeconfig {
  private Kubeconfig() {}

  /** A kubeconfig that authenticates with a client certificate. */
  public static String withClientCertificate(String name, String serverUrl, String caPem, String userName, String clientCertPem,
      String clientKeyPem) {
    return render(name, serverUrl, caPem, userName,
        "    client-certificate-data: " + Pem.base64(clientCertPem) + "\n"
            + "    client-key-data: " + Pem.base64(clientKeyPem) + "\n");
  }

  /** A kubeconfig that authenticates with a bearer token. */
  public static String withToken(String name, String serverUrl, String caPem, String userName, String token) {
    return render(name, serverUrl, caPem, userName, "    token: " + quote(token) + "\n");
  }

  private static String render(String name, String serverUrl, String caPem, String userName, String userBody) {
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- cluster:\n"
        + "    certificate-authority-data: " + Pem.base64(caPem) + "\n"
        + "    server: " + quote(serverUrl) + "\n"
        + "  name: " + quote(name) + "\n"
        + "contexts:\n"
        + "- context:\n"
        + "    cluster: " + quote(name) + "\n"
        + "    user: " + quote(userName) + "\n"
        + "  name: " + quote(name) + "\n"
        + "current-context: " + quote(name) + "\n"
        + "preferences: {}\n"
        + "users:\n"
        + "- name: " + quote(userName) + "\n"
        + "  user:\n"
        + userBody;
  }

  /** A YAML double-quoted scalar (JSON string escaping is valid YAML). */
  static String quote(String s) {
    return GoJson.literal(s);
  }
}
