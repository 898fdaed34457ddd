package io.kava.node.containerd;

/**
 * The config.toml kava writes for its own containerd (version 2 format, containerd 1.6+). What each setting is for:
 *
 * <ul>
 *   <li>own root, state and sockets under the data dir, so that it never touches a system containerd;</li>
 *   <li>the CRI plugin on runc with cgroupfs ({@code SystemdCgroup = false}): there may be no systemd, and crun
 *       refuses hybrid cgroup v1/v2 hosts;</li>
 *   <li>{@code restrict_oom_score_adj}: without CAP_SYS_RESOURCE (VMs, containers) runc fails to raise a child's
 *       oom_score_adj and every RunPodSandbox dies with "can't get final child's PID from pipe";</li>
 *   <li>{@code sandbox_image}: kava's own pause image, imported at start, since registry.k8s.io may be out of reach;</li>
 *   <li>{@code netns_mounts_under_state_dir}: the pods' network namespaces are mounted under the state dir, not in the
 *       host-wide {@code /run/netns}, so that a node killed with its containerd leaves them where its data dir names
 *       them ({@code kava node cleanup} finds them by path, and /run/netns is not shared with other nodes);</li>
 *   <li>the CRI streaming server on a random loopback port (the default 10010 collides between instances);</li>
 *   <li>CNI plugins from the distribution's directory, conf dir under the data dir;</li>
 *   <li>registry {@code config_path} under the data dir: hosts.toml files for mirrors and plain-HTTP registries.</li>
 * </ul>
 */
public final class ContainerdConfig {
  private ContainerdConfig() {}

  public static final String DEFAULT_CNI_BIN_DIR = "/usr/lib/cni";

  public static String render(ContainerdLayout l, String sandboxImage, String cniBinDir) {
    String cri = "[plugins.\"io.containerd.grpc.v1.cri\"";
    return """
        # Written by kava at every start; edits are overwritten.
        version = 2
        root = %s
        state = %s
        oom_score = 0

        [grpc]
          address = %s

        [ttrpc]
          address = %s

        [debug]
          level = "info"

        %s]
          sandbox_image = %s
          restrict_oom_score_adj = true
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"
          enable_selinux = false
          max_container_log_line_size = 16384
          netns_mounts_under_state_dir = true

        %s.containerd]
          snapshotter = "overlayfs"
          default_runtime_name = "runc"

        %s.containerd.runtimes.runc]
          runtime_type = "io.containerd.runc.v2"

        %s.containerd.runtimes.runc.options]
          SystemdCgroup = false

        %s.cni]
          bin_dir = %s
          conf_dir = %s
          max_conf_num = 1

        %s.registry]
          config_path = %s
        """.formatted(q(l.root().toString()), q(l.state().toString()), q(l.socket().toString()), q(l.socket() + ".ttrpc"),
        cri, q(sandboxImage), cri, cri, cri, cri, q(cniBinDir), q(l.cniConfDir().toString()), cri, q(l.registryHostsDir().toString()));
  }

  /** A TOML basic string. */
  static String q(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
