package io.kava.node.agent;

import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.kava.node.cri.v1.KeyValue;
import io.kava.node.cri.v1.Mount;
import java.util.ArrayList;
import java.util.List;

/**
 * What a container needs from outside its spec: its resolved environment, its volume mounts, and its command and
 * args with {@code $(VAR)} expanded. {@link NodeInputs} does it with the volume manager and the env resolver;
 * {@link #LITERAL} knows only literal env values and no volumes, and says so instead of starting a container
 * without what it asked for.
 */
public interface ContainerInputs {
  /** A container's inputs could not be prepared; shown as CreateContainerConfigError. */
  final class ConfigError extends Exception {
    public ConfigError(String message) { super(message); }
  }

  /** What CreateContainer gets. Command and args stay empty when the spec leaves them to the image. */
  record Prepared(List<KeyValue> env, List<Mount> mounts, List<String> command, List<String> args) {}

  /** Prepares the pod's volumes (idempotent; called before its containers start). */
  void setUpPod(Pod pod) throws ConfigError;

  /** Brings configMap/secret/downwardAPI/projected volumes of a running pod up to date (called about every 30 s). */
  void refreshPod(Pod pod);

  Prepared prepare(Pod pod, Container c, String podIp, String hostIp) throws ConfigError;

  /** The pod is gone: remove what {@link #setUpPod} made. Throws when a mount cannot be removed (nothing may be deleted then). */
  void tearDownPod(String podUid);

  static KeyValue keyValue(String k, String v) { return KeyValue.newBuilder().setKey(k).setValue(ByteString.copyFromUtf8(v == null ? "" : v)).build(); }

  ContainerInputs LITERAL = new ContainerInputs() {
    @Override
    public void setUpPod(Pod pod) throws ConfigError {
      List<Volume> vols = pod.getSpec().getVolumes();
      if (vols != null && !vols.isEmpty()) {
        throw new ConfigError("volumes are not supported by this node: " + vols.stream().map(Volume::getName).toList());
      }
    }

    @Override
    public void refreshPod(Pod pod) { }

    @Override
    public Prepared prepare(Pod pod, Container c, String podIp, String hostIp) throws ConfigError {
      List<KeyValue> out = new ArrayList<>();
      if (c.getEnvFrom() != null && !c.getEnvFrom().isEmpty()) throw new ConfigError("envFrom is not supported by this node");
      if (c.getEnv() != null) {
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() != null) throw new ConfigError("env " + e.getName() + ": valueFrom is not supported by this node");
          out.add(keyValue(e.getName(), e.getValue()));
        }
      }
      return new Prepared(out, List.of(), c.getCommand() == null ? List.of() : c.getCommand(), c.getArgs() == null ? List.of() : c.getArgs());
    }

    @Override
    public void tearDownPod(String podUid) { }
  };
}
