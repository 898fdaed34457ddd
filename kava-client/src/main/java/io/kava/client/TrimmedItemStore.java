package io.kava.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An informer store that trims each object before keeping it, as upstream's scheduler and controller manager strip
 * managedFields from their informers' objects (client-go's informer transform): no component of kava reads them, and
 * a fabric8 copy of a pod's managedFields (nested maps of field sets, one entry per writer) costs more heap than the
 * rest of the pod. Writes stay correct without them: an update that sends no managedFields keeps the stored ones.
 *
 * <p>The trim runs on the object the watch delivered, before event handlers see it, so handlers get the trimmed
 * object too. It must only drop what no reader of the informer needs, and be idempotent. The empty lists and maps
 * left in the object are then shared ({@link ModelCompactor}): cached objects are read-only.
 */
public final class TrimmedItemStore<T extends HasMetadata> implements ItemStore<T> {
  private final ConcurrentHashMap<String, T> items = new ConcurrentHashMap<>();
  private final Consumer<? super T> trim;

  public TrimmedItemStore(Consumer<? super T> trim) { this.trim = trim; }

  /** A store that drops metadata.managedFields. */
  public static <T extends HasMetadata> TrimmedItemStore<T> withoutManagedFields() { return new TrimmedItemStore<>(TrimmedItemStore::dropManagedFields); }

  /** Installs a store that drops metadata.managedFields on {@code informer} (before it starts); returns the informer. */
  public static <T extends HasMetadata> SharedIndexInformer<T> withoutManagedFields(SharedIndexInformer<T> informer) {
    return informer.itemStore(withoutManagedFields());
  }

  public static void dropManagedFields(HasMetadata o) {
    if (o.getMetadata() != null) o.getMetadata().setManagedFields(null);
  }

  @Override
  public String getKey(T obj) { return Cache.metaNamespaceKeyFunc(obj); }

  @Override
  public T put(String key, T obj) {
    trim.accept(obj);
    ModelCompactor.compact(obj);
    return items.put(key, obj);
  }

  @Override
  public T remove(String key) { return items.remove(key); }

  @Override
  public Stream<String> keySet() { return items.keySet().stream(); }

  @Override
  public Stream<T> values() { return items.values().stream(); }

  @Override
  public int size() { return items.size(); }

  @Override
  public T get(String key) { return items.get(key); }
}
