package io.kava.node.containerd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where kava's own containerd keeps everything, all under {@code DATA_DIR/containerd}, so that two kava instances on
 * one machine (a server and a test cluster) never share a socket, a root, a CNI bridge or an IP allocation file.
 * {@link #instanceId()} is a short hash of the data dir, used for the names that live outside it (the bridge, the
 * pod cgroups).
 */
public record ContainerdLayout(Path dir) {
  public static ContainerdLayout under(Path dataDir) { return new ContainerdLayout(dataDir.toAbsolutePath().resolve("containerd")); }

  public Path config() { return dir.resolve("config.toml"); }

  public Path root() { return dir.resolve("root"); }

  public Path state() { return dir.resolve("state"); }

  public Path socket() { return dir.resolve("containerd.sock"); }

  public String endpoint() { return "unix://" + socket(); }

  public Path log() { return dir.resolve("containerd.log"); }

  public Path cniConfDir() { return dir.resolve("cni/net.d"); }

  /** host-local IPAM's allocation files. */
  public Path cniIpamDir() { return dir.resolve("cni/ipam"); }

  /** containerd's registry {@code config_path}: one {@code HOST/hosts.toml} per registry. */
  public Path registryHostsDir() { return dir.resolve("certs.d"); }

  /** Where the CRI mounts the pods' network namespaces ({@code netns_mounts_under_state_dir}). */
  public Path netnsDir() { return state().resolve("io.containerd.grpc.v1.cri/netns"); }

  /** The runc v2 shims' bundles, one {@code NAMESPACE/ID} dir per container and sandbox. */
  public Path taskBundles() { return state().resolve("io.containerd.runtime.v2.task"); }

  /** containerd's metadata (bbolt): the CRI keeps each sandbox's network namespace path there. */
  public Path metadataDb() { return root().resolve("io.containerd.metadata.v1.bolt/meta.db"); }

  public Path pauseArchive() { return dir.resolve("pause.tar"); }

  /** 8 hex digits naming this instance outside its data dir. */
  public String instanceId() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(dir.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CNI bridge: "kava" plus the instance id (Linux allows 15 characters). */
  public String bridgeName() { return "kava" + instanceId(); }

  /** The CNI network name, also the name of the conflist. */
  public String networkName() { return "kava-" + instanceId(); }

  /** The cgroup (in every v1 hierarchy) that holds this instance's pod cgroups. */
  public String cgroupRoot() { return "/kava-" + instanceId(); }
}
