package io.kava.node.objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.node.env.EnvSources;
import io.kava.node.volume.VolumeSources;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ConfigMaps and Secrets of this node's pods, watched ({@link WatchedObjects}); pods are registered as they
 * arrive and unregistered when their worker ends. Configmap and secret volumes and env read from here; everything
 * else (PVCs, tokens, services) still goes to the sources given.
 */
public final class ReferencedObjects implements AutoCloseable {
  private final WatchedObjects<ConfigMap> configMaps;
  private final WatchedObjects<Secret> secrets;

  public ReferencedObjects(WatchedObjects<ConfigMap> configMaps, WatchedObjects<Secret> secrets) {
    this.configMaps = configMaps;
    this.secrets = secrets;
  }

  /** Watches through {@code client}; objects without a watch are read with a GET. */
  public static ReferencedObjects watching(KubernetesClient client) {
    return new ReferencedObjects(
        new WatchedObjects<ConfigMap>("configmap", new InformerWatcher<ConfigMap>("configmap", r -> client.configMaps().inNamespace(r.namespace()).withName(r.name())),
            r -> Optional.ofNullable(client.configMaps().inNamespace(r.namespace()).withName(r.name()).get()),
            cm -> Boolean.TRUE.equals(cm.getImmutable())),
        new WatchedObjects<Secret>("secret", new InformerWatcher<Secret>("secret", r -> client.secrets().inNamespace(r.namespace()).withName(r.name())),
            r -> Optional.ofNullable(client.secrets().inNamespace(r.namespace()).withName(r.name()).get()),
            secret -> Boolean.TRUE.equals(secret.getImmutable())));
  }

  public void register(Pod pod) {
    String uid = pod.getMetadata().getUid();
    configMaps.register(uid, PodReferences.configMaps(pod));
    secrets.register(uid, PodReferences.secrets(pod));
  }

  public void unregister(String podUid) {
    configMaps.unregister(podUid);
    secrets.unregister(podUid);
  }

  /** Who to tell (by pod uid) when an object a pod refers to changes. */
  public void onChange(Consumer<Set<String>> listener) {
    configMaps.onChange(listener);
    secrets.onChange(listener);
  }

  public int watched() { return configMaps.watched() + secrets.watched(); }

  public Optional<ConfigMap> configMap(String namespace, String name) { return configMaps.get(new ObjectRef(namespace, name)); }

  public Optional<Secret> secret(String namespace, String name) { return secrets.get(new ObjectRef(namespace, name)); }

  /** {@code api} with ConfigMaps and Secrets from here. */
  public VolumeSources volumeSources(VolumeSources api) {
    return new VolumeSources() {
      @Override public Optional<ConfigMap> configMap(String ns, String name) { return ReferencedObjects.this.configMap(ns, name); }

      @Override public Optional<Secret> secret(String ns, String name) { return ReferencedObjects.this.secret(ns, name); }

      @Override public Optional<PersistentVolumeClaim> persistentVolumeClaim(String ns, String name) { return api.persistentVolumeClaim(ns, name); }

      @Override public Optional<PersistentVolume> persistentVolume(String name) { return api.persistentVolume(name); }

      @Override public ServiceAccountToken requestToken(String ns, String sa, List<String> audiences, long exp, String podName, String podUid) {
        return api.requestToken(ns, sa, audiences, exp, podName, podUid);
      }
    };
  }

  /** {@code api} with ConfigMaps and Secrets from here. */
  public EnvSources envSources(EnvSources api) {
    return new EnvSources() {
      @Override public Optional<ConfigMap> configMap(String ns, String name) { return ReferencedObjects.this.configMap(ns, name); }

      @Override public Optional<Secret> secret(String ns, String name) { return ReferencedObjects.this.secret(ns, name); }

      @Override public List<Service> services(String ns) { return api.services(ns); }
    };
  }

  @Override
  public void close() {
    configMaps.close();
    secrets.close();
  }
}
