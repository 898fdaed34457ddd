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
 * pod cgroups, and the sockets of a data dir whose path is too long for them).
 */
public record ContainerdLayout(Path dir) {
  /** The longest unix socket path containerd accepts (it refuses to start beyond it). */
  static final int MAX_SOCKET_PATH = 104;
  /** Where the sockets go when the data dir's path is too long for them, one directory per instance. */
  static final Path SHORT_SOCKET_ROOT = Path.of("/run/kava");

  public static ContainerdLayout under(Path dataDir) { return new ContainerdLayout(dataDir.toAbsolutePath().resolve("containerd")); }

  public Path config() { return dir.resolve("config.toml"); }

  public Path root() { return dir.resolve("root"); }

  public Path state() { return dir.resolve("state"); }

  /**
   * containerd's socket: {@code containerd.sock} in {@link #dir()}, or, when that path with the ".ttrpc" of its second
   * socket is longer than containerd accepts, in {@link #socketDir()} under /run/kava.
   */
  public Path socket() { return socketDir().resolve("containerd.sock"); }

  /** The directory of containerd's sockets; outside the data dir only when the data dir's path is too long. */
  public Path socketDir() {
    return dir.resolve("containerd.sock.ttrpc").toString().length() <= MAX_SOCKET_PATH ? dir : SHORT_SOCKET_ROOT.resolve(instanceId());
  }

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
