package io.kava.node.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryHostsTest {
  @TempDir Path dir;
  final RegistriesConfig config = RegistriesConfig.parse(RegistriesConfigTest.YAML, "registries.yaml");

  @Test
  void rendersHostsTomlPerRegistry() {
    var files = RegistryHosts.hostsFiles(config);
    assertThat(files).containsOnlyKeys("docker.io", "_default", "127.0.0.1:5000", "mirror.example.com", "private.example.com:8443");
    assertThat(files.get("docker.io")).isEqualTo(RegistryHosts.MARKER + "\n" + """
        server = "https://registry-1.docker.io"

        [host."http://127.0.0.1:5000"]
          capabilities = ["pull", "resolve"]

        [host."https://mirror.example.com/v2/dockerhub"]
          capabilities = ["pull", "resolve"]
          override_path = true
          ca = "/etc/kava/ca.pem"
          client = [["/etc/kava/client.pem", "/etc/kava/client-key.pem"]]
        """);
    assertThat(files.get("_default")).isEqualTo(RegistryHosts.MARKER + "\n" + """

        [host."https://all.example.com"]
          capabilities = ["pull", "resolve"]
        """);
    // a plain-HTTP registry mirrored to itself
    assertThat(files.get("127.0.0.1:5000")).contains("server = \"https://127.0.0.1:5000\"", "[host.\"http://127.0.0.1:5000\"]");
    // TLS-only registries get their settings on the server
    assertThat(files.get("private.example.com:8443")).isEqualTo(RegistryHosts.MARKER + "\n"
        + "server = \"https://private.example.com:8443\"\nskip_verify = true\n");
  }

  @Test
  void writesFilesAndRemovesOnlyItsOwnStaleOnes() throws Exception {
    Path certs = dir.resolve("certs.d");
    Files.createDirectories(certs.resolve("stale.example"));
    Files.writeString(certs.resolve("stale.example/hosts.toml"), RegistryHosts.MARKER + "\nserver = \"https://stale.example\"\n");
    Files.createDirectories(certs.resolve("users.example"));
    Files.writeString(certs.resolve("users.example/hosts.toml"), "server = \"https://users.example\"\n");
    RegistryHosts.write(config, certs);
    assertThat(certs.resolve("docker.io/hosts.toml")).content().contains("[host.\"http://127.0.0.1:5000\"]");
    assertThat(certs.resolve("_default/hosts.toml")).exists();
    assertThat(certs.resolve("stale.example")).doesNotExist();
    assertThat(certs.resolve("users.example/hosts.toml")).exists();
  }

  @Test
  void criAuthTablesForContainerd() {
    assertThat(RegistryHosts.criAuthToml(config)).isEqualTo("""
        [plugins."io.containerd.grpc.v1.cri".registry.configs."ghcr.io".auth]
          identitytoken = "tok"
        [plugins."io.containerd.grpc.v1.cri".registry.configs."mirror.example.com".auth]
          username = "alice"
          password = "p@ss"
        [plugins."io.containerd.grpc.v1.cri".registry.configs."private.example.com:8443".auth]
          username = "bob"
          password = "secret"
        """);
    assertThat(RegistryHosts.credentialSummary(config)).containsEntry("ghcr.io", "identity token").containsEntry("mirror.example.com", "user alice");
    assertThat(RegistryHosts.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
  }
}
