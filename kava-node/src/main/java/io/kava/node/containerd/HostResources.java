package io.kava.node.containerd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node leaves on the host outside containerd's own state and nobody else cleans: the CNI bridge and the
 * masquerade rule (the pod cgroups are {@code PodCgroups}'). Everything here is named by {@link ContainerdLayout}, so
 * only this instance's leftovers are touched.
 */
public final class HostResources {
  private static final Logger log = LoggerFactory.getLogger(HostResources.class);

  private final ContainerdLayout layout;

  public HostResources(ContainerdLayout layout) { this.layout = layout; }

  /** Deletes the CNI bridge (once no pod uses it) and host-local's allocations. */
  public void removeBridge() {
    if (Files.exists(Path.of("/sys/class/net", layout.bridgeName()))) {
      run("ip", "link", "delete", layout.bridgeName());
    }
  }

  /**
   * Masquerades traffic from the pod CIDR to anywhere outside it with one iptables rule for the node, as flannel does
   * for k3s. The bridge plugin's {@code ipMasq} would add a chain and three rules per pod, and remove them per pod,
   * each an iptables run under the xtables lock (~150 ms of a pod's start and ~80 ms of its deletion here), and would
   * leave them behind for every pod of a node that is killed. Idempotent: a restart finds its rule.
   */
  public void ensureMasquerade(String podCidr) {
    if (run(iptables("-C", podCidr)) == 0) return;
    if (run(iptables("-A", podCidr)) != 0) {
      log.warn("could not add the masquerade rule for pod network {} (is iptables installed?): pods reach each other and this "
          + "host, but not other hosts", podCidr);
    }
  }

  /** Removes the rule of {@link #ensureMasquerade}. */
  public void removeMasquerade(String podCidr) {
    while (run(iptables("-C", podCidr)) == 0) {
      if (run(iptables("-D", podCidr)) != 0) return;
    }
  }

  private String[] iptables(String op, String podCidr) {
    return new String[] {"iptables", "-w", "-t", "nat", op, "POSTROUTING", "-s", podCidr, "!", "-d", podCidr,
        "-m", "comment", "--comment", "kava pod network " + layout.networkName(), "-j", "MASQUERADE"};
  }

  static int run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        log.debug("{} timed out: {}", String.join(" ", cmd), out.strip());
        return -1;
      }
      if (p.exitValue() != 0) log.debug("{} failed: {}", String.join(" ", cmd), out.strip());
      return p.exitValue();
    } catch (IOException e) {
      log.debug("{}: {}", String.join(" ", cmd), e.getMessage());
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
