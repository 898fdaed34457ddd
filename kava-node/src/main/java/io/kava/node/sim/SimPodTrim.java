package io.kava.node.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;

/**
 * What the simulated nodes keep of a pod in their informer: only the fields {@link PodDriver}, {@link PodStatuses}
 * and {@link ContainerScript} read — identity, annotations and deletion; restart policy, host network, node,
 * readiness gates and each container's name, image, command, args and restart policy; the whole status. A simulated
 * kubelet runs nothing, so volumes, environment, resources, probes, tolerations and affinity are dropped, with the
 * managedFields: for the pods of thousands of nodes this is most of the informer's heap. Mutates the pod in place
 * (it is the informer's own copy); idempotent.
 */
final class SimPodTrim {
  private SimPodTrim() {}

  static void trim(Pod pod) {
    ObjectMeta m = pod.getMetadata();
    if (m != null) {
      m.setManagedFields(null);
      m.setLabels(null);
      m.setOwnerReferences(null);
      m.setFinalizers(null);
    }
    PodSpec s = pod.getSpec();
    if (s == null) return;
    PodSpec kept = new PodSpec();
    kept.setNodeName(s.getNodeName());
    kept.setRestartPolicy(s.getRestartPolicy());
    kept.setHostNetwork(s.getHostNetwork());
    kept.setReadinessGates(s.getReadinessGates() == null || s.getReadinessGates().isEmpty() ? null : s.getReadinessGates());
    kept.setContainers(containers(s.getContainers()));
    kept.setInitContainers(s.getInitContainers() == null || s.getInitContainers().isEmpty() ? null : containers(s.getInitContainers()));
    pod.setSpec(kept);
  }

  private static List<Container> containers(List<Container> in) {
    if (in == null) return null;
    return in.stream().map(c -> {
      Container k = new Container();
      k.setName(c.getName());
      k.setImage(c.getImage());
      k.setCommand(c.getCommand() == null || c.getCommand().isEmpty() ? null : c.getCommand());
      k.setArgs(c.getArgs() == null || c.getArgs().isEmpty() ? null : c.getArgs());
      k.setRestartPolicy(c.getRestartPolicy());
      return k;
    }).toList();
  }
}
