package io.kava.node.objects;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The ConfigMaps and Secrets a pod reads on the node, as the kubelet's podutil.VisitPodConfigmapNames and
 * VisitPodSecretNames find them: configMap/secret volumes and projected sources, env valueFrom and envFrom of every
 * container (init, regular, ephemeral). Image pull secrets are read once per pull, not kept current: not listed.
 */
public final class PodReferences {
  private PodReferences() {}

  public static Set<ObjectRef> configMaps(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    Set<String> names = new LinkedHashSet<>();
    for (Volume v : volumes(pod)) {
      if (v.getConfigMap() != null) names.add(v.getConfigMap().getName());
      if (v.getProjected() != null && v.getProjected().getSources() != null) {
        for (VolumeProjection p : v.getProjected().getSources()) if (p.getConfigMap() != null) names.add(p.getConfigMap().getName());
      }
    }
    for (Container c : containers(pod)) {
      if (c.getEnvFrom() != null) for (EnvFromSource e : c.getEnvFrom()) if (e.getConfigMapRef() != null) names.add(e.getConfigMapRef().getName());
      if (c.getEnv() != null) {
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) names.add(e.getValueFrom().getConfigMapKeyRef().getName());
        }
      }
    }
    return refs(ns, names);
  }

  public static Set<ObjectRef> secrets(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    Set<String> names = new LinkedHashSet<>();
    for (Volume v : volumes(pod)) {
      if (v.getSecret() != null) names.add(v.getSecret().getSecretName());
      if (v.getProjected() != null && v.getProjected().getSources() != null) {
        for (VolumeProjection p : v.getProjected().getSources()) if (p.getSecret() != null) names.add(p.getSecret().getName());
      }
    }
    for (Container c : containers(pod)) {
      if (c.getEnvFrom() != null) for (EnvFromSource e : c.getEnvFrom()) if (e.getSecretRef() != null) names.add(e.getSecretRef().getName());
      if (c.getEnv() != null) {
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) names.add(e.getValueFrom().getSecretKeyRef().getName());
        }
      }
    }
    return refs(ns, names);
  }

  private static Set<ObjectRef> refs(String ns, Set<String> names) {
    Set<ObjectRef> out = new LinkedHashSet<>();
    for (String n : names) if (n != null && !n.isEmpty()) out.add(new ObjectRef(ns, n));
    return out;
  }

  private static List<Volume> volumes(Pod pod) { return pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes(); }

  private static List<Container> containers(Pod pod) {
    List<Container> all = new ArrayList<>();
    if (pod.getSpec().getInitContainers() != null) all.addAll(pod.getSpec().getInitContainers());
    if (pod.getSpec().getContainers() != null) all.addAll(pod.getSpec().getContainers());
    if (pod.getSpec().getEphemeralContainers() != null) {
      for (EphemeralContainer e : pod.getSpec().getEphemeralContainers()) {
        Container c = new Container();
        c.setEnv(e.getEnv());
        c.setEnvFrom(e.getEnvFrom());
        all.add(c);
      }
    }
    return all;
  }
}
