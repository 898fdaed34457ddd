package io.kava.node.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistriesConfigTest {
  @TempDir Path dir;

  static final String YAML = """
      mirrors:
        docker.io:
          endpoint:
            - "http://127.0.0.1:5000"
            - "https://mirror.example.com/v2/dockerhub"
          rewrite:
            "^library/(.*)": "mirrored/$1"
        "*":
          endpoint: ["https://all.example.com"]
        127.0.0.1:5000:
          endpoint: ["http://127.0.0.1:5000"]
      configs:
        "mirror.example.com":
          auth:
            username: alice
            password: "p@ss"
          tls:
            ca_file: /etc/kava/ca.pem
            cert_file: /etc/kava/client.pem
            key_file: /etc/kava/client-key.pem
        "https://private.example.com:8443":
          auth:
            auth: Ym9iOnNlY3JldA==
          tls:
            insecure_skip_verify: true
        "ghcr.io":
          auth:
            identitytoken: tok
      """;

  @Test
  void parsesMirrorsConfigsAndWarnsAboutRewrite() {
    RegistriesConfig c = RegistriesConfig.parse(YAML, "registries.yaml");
    assertThat(c.mirrors().get("docker.io").endpoints()).containsExactly("http://127.0.0.1:5000", "https://mirror.example.com/v2/dockerhub");
    assertThat(c.mirrors().get("*").endpoints()).containsExactly("https://all.example.com");
    assertThat(c.warnings()).containsExactly("registries.yaml: mirrors.docker.io.rewrite is ignored: stock containerd's hosts.toml has no rewrite rules");
    var alice = c.credentialsFor("mirror.example.com").orElseThrow();
    assertThat(alice.effectiveUsername()).isEqualTo("alice");
    assertThat(alice.effectivePassword()).isEqualTo("p@ss");
    var bob = c.credentialsFor("private.example.com:8443").orElseThrow();
    assertThat(bob.effectiveUsername()).isEqualTo("bob");
    assertThat(bob.effectivePassword()).isEqualTo("secret");
    assertThat(c.credentialsFor("ghcr.io").orElseThrow().identityToken()).isEqualTo("tok");
    assertThat(c.credentialsFor("docker.io")).isEmpty();
    var cri = bob.toCri("private.example.com:8443");
    assertThat(cri.getUsername()).isEqualTo("bob");
    assertThat(cri.getPassword()).isEqualTo("secret");
    assertThat(cri.getServerAddress()).isEqualTo("private.example.com:8443");
  }

  @Test
  void loadMissingFileIsEmptyAndBadFilesSayWhy() throws Exception {
    assertThat(RegistriesConfig.loadFromDataDir(dir)).isEqualTo(RegistriesConfig.EMPTY);
    Files.writeString(dir.resolve("registries.yaml"), "mirrors:\n  docker.io:\n    endpoint: [\"http://127.0.0.1:5000\"]\n");
    assertThat(RegistriesConfig.loadFromDataDir(dir).mirrors()).containsOnlyKeys("docker.io");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "mirrors: [unclosed");
    assertThatThrownBy(() -> RegistriesConfig.load(bad)).hasMessageStartingWith(bad + ": not valid YAML");
    assertThatThrownBy(() -> RegistriesConfig.parse("configs:\n  h:\n    tls:\n      cert_file: /a\n", "r.yaml"))
        .hasMessage("r.yaml: configs.h.tls needs both cert_file and key_file");
    assertThat(RegistriesConfig.parse("", "r.yaml")).isEqualTo(RegistriesConfig.EMPTY);
  }

  @Test
  void registryOfImageReferences() {
    assertThat(RegistriesConfig.registryOf("busybox")).isEqualTo("docker.io");
    assertThat(RegistriesConfig.registryOf("someuser/app:1")).isEqualTo("docker.io");
    assertThat(RegistriesConfig.registryOf("docker.io/library/x")).isEqualTo("docker.io");
    assertThat(RegistriesConfig.registryOf("index.docker.io/library/x")).isEqualTo("docker.io");
    assertThat(RegistriesConfig.registryOf("127.0.0.1:5000/app")).isEqualTo("127.0.0.1:5000");
    assertThat(RegistriesConfig.registryOf("localhost/app")).isEqualTo("localhost");
    assertThat(RegistriesConfig.registryOf("ghcr.io/org/app@sha256:abc")).isEqualTo("ghcr.io");
  }
}
