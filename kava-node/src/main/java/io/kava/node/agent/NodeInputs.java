package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.node.cri.v1.KeyValue;
import io.kava.node.cri.v1.Mount;
import io.kava.node.cri.v1.MountPropagation;
import io.kava.node.env.EnvException;
import io.kava.node.env.EnvResolver;
import io.kava.node.env.EnvSources;
import io.kava.node.objects.InformedServices;
import io.kava.node.env.EnvVar;
import io.kava.node.volume.ContainerMount;
import io.kava.node.volume.VolumeException;
import io.kava.node.volume.VolumeManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ContainerInputs} from the node's volume manager and environment resolver. */
final class NodeInputs implements ContainerInputs {
  private final VolumeManager volumes;
  private final EnvResolver env;

  NodeInputs(VolumeManager volumes, EnvResolver env) {
    this.volumes = volumes;
    this.env = env;
  }

  /** Environment sources: ConfigMaps and Secrets read from the API server when a container starts, Services from {@code services}. */
  static EnvSources apiEnvSources(KubernetesClient client, InformedServices services) {
    return new EnvSources() {
      @Override public Optional<ConfigMap> configMap(String ns, String name) { return Optional.ofNullable(client.configMaps().inNamespace(ns).withName(name).get()); }

      @Override public Optional<Secret> secret(String ns, String name) { return Optional.ofNullable(client.secrets().inNamespace(ns).withName(name).get()); }

      @Override public List<Service> services(String ns) { return services.services(ns); }
    };
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
  public void refreshPod(Pod pod) { volumes.refresh(pod); }

  @Override
  public Prepared prepare(Pod pod, Container c, String podIp, String hostIp) throws ConfigError {
    EnvResolver.Resolved resolved;
    try {
      resolved = env.resolve(pod, c, new EnvResolver.Addresses(List.of(hostIp), podIp == null || podIp.isEmpty() ? List.of() : List.of(podIp)));
    } catch (EnvException e) {
      throw new ConfigError(e.getMessage());
    }
    Map<String, String> vars = resolved.asMap();
    List<KeyValue> kvs = new ArrayList<>();
    for (EnvVar v : resolved.env()) kvs.add(ContainerInputs.keyValue(v.name(), v.value()));
    List<Mount> mounts = new ArrayList<>();
    try {
      for (ContainerMount m : volumes.mounts(pod, c, vars)) {
        mounts.add(Mount.newBuilder().setContainerPath(m.containerPath()).setHostPath(m.hostPath()).setReadonly(m.readOnly())
            .setPropagation(switch (m.propagation()) {
              case PRIVATE -> MountPropagation.PROPAGATION_PRIVATE;
              case HOST_TO_CONTAINER -> MountPropagation.PROPAGATION_HOST_TO_CONTAINER;
              case BIDIRECTIONAL -> MountPropagation.PROPAGATION_BIDIRECTIONAL;
            }).build());
      }
    } catch (VolumeException e) {
      throw new ConfigError(e.getMessage());
    }
    return new Prepared(kvs, mounts, EnvResolver.expandCommand(c.getCommand(), vars), EnvResolver.expandCommand(c.getArgs(), vars));
  }

  @Override
  public void tearDownPod(String podUid) { volumes.tearDown(podUid); }
}
