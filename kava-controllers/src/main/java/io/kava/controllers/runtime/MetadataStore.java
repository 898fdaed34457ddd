package io.kava.controllers.runtime;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer store that keeps only apiVersion, kind and metadata (without managedFields) of each object, for
 * controllers that watch every resource but read only metadata (the garbage collector): the data of secrets,
 * config maps and pod specs is not held twice in memory. (The informers' client asks for PartialObjectMetadata,
 * so there is little to drop; the store still drops managedFields.)
 */
final class MetadataStore implements ItemStore<GenericKubernetesResource> {
  private final ConcurrentHashMap<String, GenericKubernetesResource> items = new ConcurrentHashMap<>();

  @Override
  public String getKey(GenericKubernetesResource obj) { return Cache.metaNamespaceKeyFunc(obj); }

  @Override
  public GenericKubernetesResource put(String key, GenericKubernetesResource obj) { return items.put(key, reduce(obj)); }

  @Override
  public GenericKubernetesResource remove(String key) { return items.remove(key); }

  @Override
  public Stream<String> keySet() { return items.keySet().stream(); }

  @Override
  public Stream<GenericKubernetesResource> values() { return items.values().stream(); }

  @Override
  public int size() { return items.size(); }

  @Override
  public GenericKubernetesResource get(String key) { return items.get(key); }

  @Override
  public boolean isFullState() { return false; }

  private static GenericKubernetesResource reduce(GenericKubernetesResource obj) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(obj.getApiVersion());
    r.setKind(obj.getKind());
    ObjectMeta m = obj.getMetadata();
    if (m != null) {
      ObjectMeta copy = new ObjectMeta();
      copy.setName(m.getName());
      copy.setNamespace(m.getNamespace());
      copy.setUid(m.getUid());
      copy.setResourceVersion(m.getResourceVersion());
      copy.setGeneration(m.getGeneration());
      copy.setCreationTimestamp(m.getCreationTimestamp());
      copy.setDeletionTimestamp(m.getDeletionTimestamp());
      copy.setDeletionGracePeriodSeconds(m.getDeletionGracePeriodSeconds());
      copy.setLabels(m.getLabels());
      copy.setAnnotations(m.getAnnotations());
      copy.setFinalizers(m.getFinalizers());
      copy.setOwnerReferences(m.getOwnerReferences());
      r.setMetadata(copy);
    }
    return r;
  }
}
