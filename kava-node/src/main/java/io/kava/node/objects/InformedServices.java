package io.kava.node.objects;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kava.client.InformerRetries;
import io.kava.client.TrimmedItemStore;
import java.util.List;
import java.util.function.Function;

/**
 * Every Service of the cluster, watched (the kubelet's service lister): a container's service environment variables
 * read its namespace's and {@code default}'s Services from here, not with two LISTs per container start. Until the
 * informer's first list has arrived, {@code fallback} (the API) answers.
 */
public final class InformedServices implements AutoCloseable {
  private final SharedIndexInformer<Service> informer;
  private final Function<String, List<Service>> fallback;

  InformedServices(SharedIndexInformer<Service> informer, Function<String, List<Service>> fallback) {
    this.informer = informer;
    this.fallback = fallback;
  }

  /** Starts watching every Service through {@code client}; LISTs through it until the watch has synced. */
  public static InformedServices watching(KubernetesClient client) {
    SharedIndexInformer<Service> inf = InformerRetries.keepRetrying(
        TrimmedItemStore.withoutManagedFields(client.services().inAnyNamespace().runnableInformer(0)), "services");
    inf.start();
    return new InformedServices(inf, ns -> client.services().inNamespace(ns).list().getItems());
  }

  /** The Services of {@code namespace}. */
  public List<Service> services(String namespace) {
    if (!informer.hasSynced()) return fallback.apply(namespace);
    return informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  @Override
  public void close() { informer.close(); }
}
