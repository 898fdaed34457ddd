package io.kava.node.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLeftoversTest {
  final ContainerdLayout layout = ContainerdLayout.under(Path.of("/tmp/netns/d"));
  static final String NS1 = "cni-20dc05f3-3e6d-ac88-cc67-b24f325796d9";
  static final String NS2 = "cni-ec3f0ea1-ab1e-6776-005f-bc8a20cc4bba";

  @Test
  void hostNetnsPathsAreFoundInBinaryMetadataAndInABundleSpec() {
    // bbolt stores the CRI's sandbox metadata as raw bytes between binary page data.
    byte[] meta = ("\0\u0001\u00ffNetNSPath\"\u0000/var/run/netns/" + NS1 + "\u0012\u0003xyz\"NetNSPath\":\"/run/netns/" + NS2
        + "\",\"x\":\"/run/netns/cni-not-a-uuid\"").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(NodeLeftovers.hostNetnsPaths(new String(meta, StandardCharsets.ISO_8859_1)))
        .containsExactly("/var/run/netns/" + NS1, "/run/netns/" + NS2);
    String spec = "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/var/run/netns/" + NS1 + "\"}]}}";
    assertThat(NodeLeftovers.hostNetnsPaths(spec)).containsExactly("/var/run/netns/" + NS1);
    assertThat(NodeLeftovers.hostNetnsPaths("{\"type\":\"network\",\"path\":\"/proc/32352/ns/net\"}")).isEmpty();
  }

  @Test
  void mountsUnderTheDataDirAreItsOwnNotThoseOfADirWithALongerName() {
    List<NodeLeftovers.Mount> mounts = NodeLeftovers.parseMounts(List.of(
        "/dev/sda1 / ext4 rw 0 0",
        "/dev/sda1 /tmp/netns/d ext4 rw 0 0",
        "nsfs /tmp/netns/d/containerd/state/io.containerd.grpc.v1.cri/netns/" + NS1 + " nsfs rw 0 0",
        "tmpfs /tmp/netns/d/pods/a\\040b/volumes/scratch tmpfs rw 0 0",
        "overlay /tmp/netns/d2/containerd/state/x/rootfs overlay rw 0 0",
        "nsfs /run/netns/" + NS2 + " nsfs rw 0 0"));
    assertThat(NodeLeftovers.pointsUnder(mounts, Path.of("/tmp/netns/d"))).containsExactly("/tmp/netns/d",
        "/tmp/netns/d/containerd/state/io.containerd.grpc.v1.cri/netns/" + NS1, "/tmp/netns/d/pods/a b/volumes/scratch");
    assertThat(NodeLeftovers.isMounted(mounts, "/run/netns/" + NS2)).isTrue();
    assertThat(NodeLeftovers.isMounted(mounts, "/run/netns/" + NS1)).isFalse();
    assertThat(NodeLeftovers.unescape("a\\011b\\134c\\012")).isEqualTo("a\tb\\c\n");
  }

  @Test
  void shimsAndContainerdAreTheNodesOnlyWhenTheyNameItsSocketAndConfig() {
    String socket = layout.socket().toString();
    assertThat(NodeLeftovers.isShimOf(List.of("/usr/bin/containerd-shim-runc-v2", "-namespace", "k8s.io", "-id", "abc",
        "-address", socket), layout.socket())).isTrue();
    assertThat(NodeLeftovers.isShimOf(List.of("containerd-shim-runc-v2", "-namespace", "k8s.io", "-address=" + socket),
        layout.socket())).isTrue();
    // Another node whose data dir starts with this one's, the system containerd, a shim named only in an argument.
    assertThat(NodeLeftovers.isShimOf(List.of("/usr/bin/containerd-shim-runc-v2", "-address", "/tmp/netns/d2/containerd/containerd.sock"),
        layout.socket())).isFalse();
    assertThat(NodeLeftovers.isShimOf(List.of("/usr/bin/containerd-shim-runc-v2", "-address", "/run/containerd/containerd.sock"),
        layout.socket())).isFalse();
    assertThat(NodeLeftovers.isShimOf(List.of("/bin/sh", "-c", "containerd-shim-runc-v2 -address " + socket), layout.socket())).isFalse();

    assertThat(NodeLeftovers.isContainerdOf(List.of("/usr/bin/containerd", "--config", layout.config().toString()), layout.config())).isTrue();
    assertThat(NodeLeftovers.isContainerdOf(List.of("containerd", "-c", layout.config().toString()), layout.config())).isTrue();
    assertThat(NodeLeftovers.isContainerdOf(List.of("/usr/bin/containerd"), layout.config())).isFalse();
    assertThat(NodeLeftovers.isContainerdOf(List.of("/usr/bin/containerd", "--config", "/tmp/netns/d2/containerd/config.toml"),
        layout.config())).isFalse();
    assertThat(NodeLeftovers.isContainerdOf(List.of("/usr/bin/tail", "--config", layout.config().toString()), layout.config())).isFalse();
  }

  @Test
  void shimSocketsComeFromTheBundlesAddressFile() {
    assertThat(NodeLeftovers.shimSocket("unix:///run/containerd/s/f0d8021434c2\n")).contains(Path.of("/run/containerd/s/f0d8021434c2"));
    assertThat(NodeLeftovers.shimSocket("")).isEmpty();
    assertThat(NodeLeftovers.shimSocket("ttrpc+vsock://3:1024")).isEmpty();
  }

  @Test
  void ipReservationsAreTheFilesNamedByAnAddress() {
    assertThat(NodeLeftovers.isIpReservation("10.247.61.2")).isTrue();
    assertThat(NodeLeftovers.isIpReservation("fd00::2")).isTrue();
    assertThat(NodeLeftovers.isIpReservation("last_reserved_ip.0")).isFalse();
    assertThat(NodeLeftovers.isIpReservation("lock")).isFalse();
  }

  @Test
  void cniResultsAndTheirHostVethsAreThoseOfTheNodesNetwork() {
    String net = layout.networkName();
    assertThat(NodeLeftovers.isCniResultOf(net + "-c0346033c107-eth0", net)).isTrue();
    assertThat(NodeLeftovers.isCniResultOf("kava-00000000-c0346033c107-eth0", net)).isFalse();
    assertThat(NodeLeftovers.isCniResultOf("cbr0-c0346033c107-eth0", net)).isFalse();
    byte[] cached = ("{\"kind\":\"cniCacheV1\",\"result\":{\"cniVersion\":\"0.4.0\",\"interfaces\":[{\"name\":\"" + layout.bridgeName()
        + "\"},{\"mac\":\"9a:57\",\"name\":\"veth834101b2\"},{\"name\":\"eth0\",\"sandbox\":\"/var/run/netns/" + NS1 + "\"}]}}")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(NodeLeftovers.hostVeths(cached, layout.bridgeName())).containsExactly("veth834101b2");
    assertThat(NodeLeftovers.hostVeths("{\"kind\":".getBytes(StandardCharsets.UTF_8), layout.bridgeName())).isEmpty();
  }

  @Test
  void natRulesAreThoseWhoseCommentNamesTheNodesNetworkWithTheirPerPodChains() {
    String save = """
        # Generated by iptables-save
        *nat
        :PREROUTING ACCEPT [0:0]
        :CNI-HOSTPORT-DNAT - [0:0]
        :CNI-DN-4a2b3c4d5e6f708192a3b - [0:0]
        :CNI-f163d16aea40c62dcac90def - [0:0]
        -A POSTROUTING -s 10.247.61.2/32 -m comment --comment "name: \\"kava-4185e6fd\\" id: \\"c034\\"" -j CNI-f163d16aea40c62dcac90def
        -A POSTROUTING -s 10.244.0.2/32 -m comment --comment "name: \\"kava-fce2dc37\\" id: \\"2cbc\\"" -j CNI-d5d605f4cc78c72dff25df3f
        -A POSTROUTING -s 10.247.61.0/24 ! -d 10.247.61.0/24 -m comment --comment "kava pod network kava-4185e6fd" -j MASQUERADE
        -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"kava-4185e6fd\\" id: \\"deba\\"" -m multiport --dports 8080 -j CNI-DN-4a2b3c4d5e6f708192a3b
        -A CNI-DN-4a2b3c4d5e6f708192a3b -s 10.247.61.0/24 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK
        -A CNI-f163d16aea40c62dcac90def -d 10.247.61.0/24 -m comment --comment "name: \\"kava-4185e6fd\\" id: \\"c034\\"" -j ACCEPT
        COMMIT
        """;
    NodeLeftovers.NatRules nat = NodeLeftovers.natRulesOf(save, "kava-4185e6fd");
    assertThat(nat.rules()).hasSize(3).allMatch(r -> r.contains("kava-4185e6fd")).noneMatch(r -> r.contains("MASQUERADE"));
    assertThat(nat.chains()).containsExactly("CNI-f163d16aea40c62dcac90def", "CNI-DN-4a2b3c4d5e6f708192a3b");
    assertThat(nat.restoreScript()).startsWith("*nat\n-D POSTROUTING -s 10.247.61.2/32 -m comment")
        .contains("-F CNI-DN-4a2b3c4d5e6f708192a3b\n", "-X CNI-f163d16aea40c62dcac90def\n").endsWith("COMMIT\n")
        .doesNotContain("kava-fce2dc37", "CNI-HOSTPORT-DNAT\n");
    assertThat(NodeLeftovers.natRulesOf(save, "kava-41").isEmpty()).isTrue();
  }
}
