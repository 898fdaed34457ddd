package io.kava.node.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ContainerdConfigTest {
  final ContainerdLayout layout = ContainerdLayout.under(Path.of("/data/kava"));

  @Test
  void everyPathLivesUnderTheDataDirAndTheSettingsThatThisHostNeedsAreSet() {
    String toml = ContainerdConfig.render(layout, "kava.local/pause:1", "/usr/lib/cni");
    assertThat(toml).contains("root = \"/data/kava/containerd/root\"", "state = \"/data/kava/containerd/state\"",
        "address = \"/data/kava/containerd/containerd.sock\"", "sandbox_image = \"kava.local/pause:1\"", "restrict_oom_score_adj = true",
        "SystemdCgroup = false", "runtime_type = \"io.containerd.runc.v2\"", "bin_dir = \"/usr/lib/cni\"",
        "conf_dir = \"/data/kava/containerd/cni/net.d\"", "config_path = \"/data/kava/containerd/certs.d\"", "stream_server_port = \"0\"",
        "netns_mounts_under_state_dir = true");
  }

  @Test
  void tomlStringsAreEscaped() { assertThat(ContainerdConfig.q("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\""); }

  @Test
  void twoDataDirsGetDifferentBridgesAndTheNameFitsLinuxLimit() {
    ContainerdLayout other = ContainerdLayout.under(Path.of("/tmp/kava-test-1"));
    assertThat(layout.bridgeName()).isNotEqualTo(other.bridgeName()).hasSizeLessThanOrEqualTo(15);
    assertThat(layout.cgroupRoot()).isNotEqualTo(other.cgroupRoot());
  }

  @Test
  void theNetworkIsABridgeOverThePodCidrWithHostPorts() {
    var list = CniConfig.conflist(layout, "10.244.0.0/24");
    assertThat(list.path("plugins").get(0).path("type").asString()).isEqualTo("bridge");
    assertThat(list.path("plugins").get(0).path("bridge").asString()).isEqualTo(layout.bridgeName());
    assertThat(list.path("plugins").get(0).path("ipam").path("ranges").get(0).get(0).path("subnet").asString()).isEqualTo("10.244.0.0/24");
    assertThat(list.path("plugins").get(0).path("ipam").path("dataDir").asString()).isEqualTo("/data/kava/containerd/cni/ipam");
    assertThat(list.path("plugins").get(1).path("capabilities").path("portMappings").asBoolean()).isTrue();
  }

  @Test
  void missingPiecesAreNamedWithWhatToInstall() {
    assertThat(Prerequisites.problems(false, "/nonexistent")).contains("CNI plugin bridge is missing from /nonexistent")
        .anyMatch(p -> p.contains("must run as root"));
    try {
      Prerequisites.check(false, "/nonexistent");
    } catch (RuntimeUnavailableException e) {
      assertThat(e.getMessage()).contains(Prerequisites.INSTALL, "--runtime sim", "--container-runtime-endpoint");
      return;
    }
    throw new AssertionError("expected RuntimeUnavailableException");
  }
}
