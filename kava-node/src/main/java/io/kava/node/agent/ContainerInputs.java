package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.kava.node.cri.v1.KeyValue;
import io.kava.node.cri.v1.Mount;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * What a container needs from outside its spec: its resolved environment and its volume mounts. The node's volume
 * manager and environment resolver plug in here; {@link #LITERAL} knows only literal env values and no volumes,
 * and says so instead of starting a container without what it asked for.
 */
public interface ContainerInputs {
  /** A container's inputs could not be prepared; shown as CreateContainerConfigError. */
  final class ConfigError extends Exception {
    public ConfigError(String message) { super(message); }
  }

  /** Prepares the pod's volumes (idempotent; called before its containers start). */
  void setUpPod(Pod pod) throws ConfigError;

  List<KeyValue> env(Pod pod, Container c) throws ConfigError;

  List<Mount> mounts(Pod pod, Container c) throws ConfigError;

  /** The pod is gone: remove what {@link #setUpPod} made. */
  void tearDownPod(String podUid);

  ContainerInputs LITERAL = new ContainerInputs() {
    @Override
    public void setUpPod(Pod pod) throws ConfigError {
      List<Volume> vols = pod.getSpec().getVolumes();
      if (vols != null && !vols.isEmpty()) {
        throw new ConfigError("volumes are not supported by this node yet: " + vols.stream().map(Volume::getName).toList());
      }
    }

    @Override
    public List<KeyValue> env(Pod pod, Container c) throws ConfigError {
      List<KeyValue> out = new ArrayList<>();
      if (c.getEnvFrom() != null && !c.getEnvFrom().isEmpty()) throw new ConfigError("envFrom is not supported by this node yet");
      if (c.getEnv() == null) return out;
      for (EnvVar e : c.getEnv()) {
        if (e.getValueFrom() != null) throw new ConfigError("env " + e.getName() + ": valueFrom is not supported by this node yet");
        out.add(KeyValue.newBuilder().setKey(e.getName()).setValue(ByteString.copyFromUtf8(e.getValue() == null ? "" : e.getValue())).build());
      }
      return out;
    }

    @Override
    public List<Mount> mounts(Pod pod, Container c) { return List.of(); }

    @Override
    public void tearDownPod(String podUid) { }
  };
}
