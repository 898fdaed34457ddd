package io.kava.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;

class ClientConfigsTest {
  static final String URL = "http://127.0.0.1:41234";

  /** The in-process components used to get their configuration from a kubeconfig like this one. */
  static final String KUBECONFIG = """
      apiVersion: v1
      kind: Config
      clusters:
      - cluster:
          server: "http://127.0.0.1:41234"
        name: "kava"
      contexts:
      - context:
          cluster: "kava"
          user: "kava-loopback"
        name: "kava"
      current-context: "kava"
      users:
      - name: "kava-loopback"
        user:
          token: "s3cret"
      """;

  @Test
  void aLoopbackConfigurationIsWhatTheEquivalentKubeconfigGave() {
    Config direct = ClientConfigs.prepare(ClientConfigs.loopback(URL, "s3cret"));
    Config parsed = ClientConfigs.prepare(Config.fromKubeconfig(KUBECONFIG));

    assertThat(direct.getMasterUrl()).isEqualTo(parsed.getMasterUrl()).isEqualTo(URL + "/");
    assertThat(direct.getAutoOAuthToken()).isEqualTo(parsed.getAutoOAuthToken()).isEqualTo("s3cret");
    assertThat(direct.getOauthToken()).isEqualTo(parsed.getOauthToken());
    assertThat(direct.getNamespace()).isEqualTo(parsed.getNamespace());
    assertThat(direct.getRequestTimeout()).isEqualTo(parsed.getRequestTimeout());
    assertThat(direct.getConnectionTimeout()).isEqualTo(parsed.getConnectionTimeout());
    assertThat(direct.getWatchReconnectInterval()).isEqualTo(parsed.getWatchReconnectInterval());
    assertThat(direct.getWatchReconnectLimit()).isEqualTo(parsed.getWatchReconnectLimit());
    assertThat(direct.getMaxConcurrentRequests()).isEqualTo(parsed.getMaxConcurrentRequests());
    assertThat(direct.getMaxConcurrentRequestsPerHost()).isEqualTo(parsed.getMaxConcurrentRequestsPerHost());
    assertThat(direct.getRequestRetryBackoffLimit()).isEqualTo(parsed.getRequestRetryBackoffLimit());
    assertThat(direct.isHttp2Disable()).isEqualTo(parsed.isHttp2Disable());
    assertThat(direct.isTrustCerts()).isEqualTo(parsed.isTrustCerts());
    assertThat(direct.isOnlyHttpWatches()).isTrue();
    assertThat(direct.getAutoConfigure()).isFalse();
  }

  @Test
  void aLoopbackConfigurationIgnoresTheEnvironmentsSettings() {
    String before = System.getProperty(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY);
    System.setProperty(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, "elsewhere");
    System.setProperty(Config.KUBERNETES_OAUTH_TOKEN_SYSTEM_PROPERTY, "someone-else");
    try {
      Config c = ClientConfigs.loopback(URL, "s3cret");
      assertThat(c.getNamespace()).isNull();
      assertThat(c.getOauthToken()).isNull();
      assertThat(c.getAutoOAuthToken()).isEqualTo("s3cret");
    } finally {
      if (before == null) System.clearProperty(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY);
      else System.setProperty(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, before);
      System.clearProperty(Config.KUBERNETES_OAUTH_TOKEN_SYSTEM_PROPERTY);
    }
  }
}
