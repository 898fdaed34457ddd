package io.kava.node.objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.client.InformerRetries;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link WatchedObjects.Watcher} by a fabric8 informer on one named object (fabric8 lists and watches a named
 * resource with the field selector {@code metadata.name=NAME}), retrying its list and watch for as long as it runs.
 */
public final class InformerWatcher<T extends HasMetadata> implements WatchedObjects.Watcher<T> {
  private final Function<ObjectRef, Resource<T>> resource;
  private final String kind;

  public InformerWatcher(String kind, Function<ObjectRef, Resource<T>> resource) {
    this.kind = kind;
    this.resource = resource;
  }

  @Override
  public WatchedObjects.Watch<T> watch(ObjectRef ref, Runnable changed) {
    SharedIndexInformer<T> inf = InformerRetries.keepRetrying(resource.apply(ref).runnableInformer(0), kind + " " + ref);
    inf.addEventHandler(new ResourceEventHandler<>() {
      // The first list's add is what the pod reads anyway; only later events are changes.
      @Override public void onAdd(T o) { if (inf.hasSynced()) changed.run(); }

      @Override public void onUpdate(T a, T b) {
        if (!Objects.equals(a.getMetadata().getResourceVersion(), b.getMetadata().getResourceVersion())) changed.run();
      }

      @Override public void onDelete(T o, boolean unknown) { changed.run(); }
    });
    inf.start();
    return new WatchedObjects.Watch<>() {
      @Override public boolean synced() { return inf.hasSynced(); }

      @Override public Optional<T> current() { return inf.getStore().list().stream().findFirst(); }

      @Override public void stop() { inf.stop(); }
    };
  }
}
