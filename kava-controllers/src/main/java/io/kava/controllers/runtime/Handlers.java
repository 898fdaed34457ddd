package io.kava.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kava.client.WorkQueue;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Event handlers that only map events to queue keys, the one thing handlers may do. Updates that carry the
 * resourceVersion already seen (informer resyncs) are dropped: nothing changed, so there is nothing to reconcile.
 */
public final class Handlers {
  private Handlers() {}

  /** Enqueues {@code keyOf(object)} on every add, changed update and delete; a null key is skipped. */
  public static <T extends HasMetadata> ResourceEventHandler<T> enqueue(WorkQueue<String> queue, Function<? super T, String> keyOf) {
    return enqueueAll(queue, o -> {
      String k = keyOf.apply(o);
      return k == null ? List.of() : List.of(k);
    });
  }

  /** Enqueues the object's own key ({@link Keys#of}). */
  public static <T extends HasMetadata> ResourceEventHandler<T> enqueueSelf(WorkQueue<String> queue) {
    return enqueue(queue, Keys::of);
  }

  /** Enqueues every key {@code keysOf} returns for the new state (and for the old state of a delete). */
  public static <T extends HasMetadata> ResourceEventHandler<T> enqueueAll(WorkQueue<String> queue,
                                                                          Function<? super T, ? extends Collection<String>> keysOf) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) { keysOf.apply(obj).forEach(queue::add); }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        if (sameVersion(oldObj, newObj)) return;
        keysOf.apply(newObj).forEach(queue::add);
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) { keysOf.apply(obj).forEach(queue::add); }
    };
  }

  /** True for a resync: the informer re-delivered the object it already had. */
  public static boolean sameVersion(HasMetadata oldObj, HasMetadata newObj) {
    return oldObj != null && newObj != null
        && Objects.equals(oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion());
  }
}
