package io.kava.node.inputs;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.kava.node.agent.ContainerInputs;
import io.kava.node.cri.v1.KeyValue;
import io.kava.node.cri.v1.Mount;
import io.kava.node.env.EnvException;
import io.kava.node.env.EnvResolver;
import io.kava.node.env.EnvVar;
import io.kava.node.volume.ContainerMount;
import io.kava.node.volume.VolumeException;
import io.kava.node.volume.VolumeManager;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's {@link ContainerInputs} from a {@link VolumeManager} and an {@link EnvResolver}: volumes set up
 * before the pod's containers, each container's environment (with service links and downward API values) and its
 * mounts (subPathExpr expanded against that environment), all as CRI messages. Failures become
 * {@link ContainerInputs.ConfigError}s with the kubelet's wording.
 *
 * <p>Wiring: {@code nodeAgent.inputs(new NodeContainerInputs(volumes, env, () -> List.of(nodeIp),
 * NodeContainerInputs::podIpsFromStatus, warnings))}. The pod worker must still expand {@code $(VAR)} in command
 * and args with {@link EnvResolver#expandCommand} over {@link #envMap}.
 */
public final class NodeContainerInputs implements ContainerInputs {
  private static final Logger log = LoggerFactory.getLogger(NodeContainerInputs.class);

  private final VolumeManager volumes;
  private final EnvResolver env;
  private final Supplier<List<String>> hostIps;
  private final Function<Pod, List<String>> podIps;
  private final BiConsumer<Pod, String> warnings;

  /**
   * @param hostIps the node's addresses, primary first (status.hostIP(s))
   * @param podIps the pod's addresses, primary first (status.podIP(s)); {@link #podIpsFromStatus} reads the pod
   * @param warnings receives warnings to record as events on the pod (e.g. envFrom keys that were skipped)
   */
  public NodeContainerInputs(VolumeManager volumes, EnvResolver env, Supplier<List<String>> hostIps,
      Function<Pod, List<String>> podIps, BiConsumer<Pod, String> warnings) {
    this.volumes = volumes;
    this.env = env;
    this.hostIps = hostIps;
    this.podIps = podIps;
    this.warnings = warnings;
  }

  /** The pod IPs its status reports (empty before the sandbox has one). */
  public static List<String> podIpsFromStatus(Pod pod) {
    if (pod.getStatus() == null) return List.of();
    if (pod.getStatus().getPodIPs() != null && !pod.getStatus().getPodIPs().isEmpty()) {
      return pod.getStatus().getPodIPs().stream().map(PodIP::getIp).toList();
    }
    String ip = pod.getStatus().getPodIP();
    return ip == null || ip.isEmpty() ? List.of() : List.of(ip);
  }

  @Override
  public void setUpPod(Pod pod) throws ConfigError {
    try {
      volumes.setUp(pod);
    } catch (VolumeException e) {
      throw new ConfigError(e.getMessage());
    }
  }

  @Override
  public List<KeyValue> env(Pod pod, Container c) throws ConfigError {
    EnvResolver.Resolved resolved = resolve(pod, c);
    for (String w : resolved.warnings()) warnings.accept(pod, w);
    return resolved.env().stream().map(EnvVar::toCri).toList();
  }

  /** The container's environment as a map, for command and args expansion. */
  public java.util.Map<String, String> envMap(Pod pod, Container c) throws ConfigError {
    return resolve(pod, c).asMap();
  }

  @Override
  public List<Mount> mounts(Pod pod, Container c) throws ConfigError {
    boolean needsEnv = c.getVolumeMounts() != null
        && c.getVolumeMounts().stream().anyMatch(m -> m.getSubPathExpr() != null && !m.getSubPathExpr().isEmpty());
    try {
      return volumes.mounts(pod, c, needsEnv ? resolve(pod, c).asMap() : java.util.Map.of()).stream()
          .map(ContainerMount::toCri).toList();
    } catch (VolumeException e) {
      throw new ConfigError(e.getMessage());
    }
  }

  @Override
  public void tearDownPod(String podUid) {
    try {
      volumes.tearDown(podUid);
    } catch (VolumeException e) {
      log.warn("{}", e.getMessage());
    }
  }

  private EnvResolver.Resolved resolve(Pod pod, Container c) throws ConfigError {
    try {
      return env.resolve(pod, c, new EnvResolver.Addresses(hostIps.get(), podIps.apply(pod)));
    } catch (EnvException e) {
      throw new ConfigError(e.getMessage());
    }
  }
}
