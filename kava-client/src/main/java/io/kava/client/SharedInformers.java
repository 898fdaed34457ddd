package io.kava.client;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.client.watch.LineWatches;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Informers shared by the components of one process (the controllers, the scheduler and the simulated nodes of a
 * {@code kava server}): each object is listed, watched, decoded and cached once instead of once per component. Pods
 * are what a large cluster has most of, so they are what is shared: one cluster-wide pod informer without
 * managedFields, indexed by {@code spec.nodeName}.
 *
 * <p>A component {@link #borrowPods borrows} the informer: what it gets behaves like an informer of its own (it adds
 * handlers, starts it, reads its store and stops it at the end of its term), except that stopping removes only the
 * handlers this borrower added, and the shared informer runs until {@link #close}. A borrower may add indexes (under
 * names of its own; they index the objects already held, and stay); it may not replace the item store or remove
 * indexes (refused with an {@link UnsupportedOperationException}). The node index is {@link #POD_NODE_INDEX}. Cached objects are shared: a borrower copies before it changes one, as with any informer.
 */
public final class SharedInformers implements AutoCloseable {
  /** Index of the shared pod informer: the pod's spec.nodeName ("" for an unbound pod). */
  public static final String POD_NODE_INDEX = "spec.nodeName";

  private final Supplier<Config> config;
  // Guarded by this.
  private KubernetesClient client;
  private SharedIndexInformer<Pod> pods;
  private boolean closed;

  public SharedInformers(Supplier<Config> config) { this.config = config; }

  /** A view of the shared pod informer for one borrower (see the class comment); the first call creates it. */
  @SuppressWarnings("unchecked")
  public SharedIndexInformer<Pod> borrowPods() { return borrow(sharedPods()); }

  private synchronized SharedIndexInformer<Pod> sharedPods() {
    if (closed) throw new IllegalStateException("shared informers are closed");
    if (pods == null) {
      // this client only feeds the informer, whose store drops managedFields: they are not even decoded
      client = new KubernetesClientBuilder().withConfig(config.get()).withHttpClientFactory(SharedVertx.httpClientFactory())
          .withKubernetesSerialization(InformerSerialization.shared())
          .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(InformerSerialization.WITHOUT_MANAGED_FIELDS_INTERCEPTOR,
              InformerSerialization.WITHOUT_MANAGED_FIELDS_ON_THE_WIRE)).build();
      SharedIndexInformer<Pod> inf = TrimmedItemStore.withoutManagedFields(LineWatches.<Pod, PodList>informer(Pod.class, client.pods().inAnyNamespace()));
      inf.addIndexers(Map.of(POD_NODE_INDEX, p -> List.of(nodeName(p))));
      pods = InformerRetries.keepRetrying(inf, "pods (shared)");
    }
    return pods;
  }

  private synchronized void startShared(SharedIndexInformer<?> inf) {
    if (!closed && !inf.isRunning()) inf.start();
  }

  static String nodeName(Pod p) { return p.getSpec() == null || p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName(); }

  private static final Set<String> REFUSED = Set.of("removeIndexer", "removeNamespaceIndex", "itemStore", "initialState",
      "exceptionHandler");

  /** A view of {@code shared} whose handlers are its own and whose stop removes only them. */
  @SuppressWarnings("unchecked")
  <T> SharedIndexInformer<T> borrow(SharedIndexInformer<T> shared) {
    List<ResourceEventHandler<? super T>> added = new CopyOnWriteArrayList<>();
    InvocationHandler h = (proxy, method, args) -> {
      String name = method.getName();
      switch (name) {
        case "addEventHandler", "addEventHandlerWithResyncPeriod" -> {
          added.add((ResourceEventHandler<? super T>) args[0]);
          method.invoke(shared, args);
          return proxy;
        }
        case "removeEventHandler" -> {
          added.remove(args[0]);
          shared.removeEventHandler((ResourceEventHandler<? super T>) args[0]);
          return proxy;
        }
        case "start" -> {
          startShared(shared);
          return CompletableFuture.completedFuture(null);
        }
        case "run" -> {
          startShared(shared);
          return proxy;
        }
        case "stop", "close" -> {
          for (ResourceEventHandler<? super T> r : added) shared.removeEventHandler(r);
          added.clear();
          return null;
        }
        case "stopped" -> { return CompletableFuture.completedFuture(null); } // this borrower's part ends with stop
        case "equals" -> { return proxy == args[0]; }
        case "hashCode" -> { return System.identityHashCode(proxy); }
        case "toString" -> { return "borrowed " + shared; }
        default -> {
          if (REFUSED.contains(name)) throw new UnsupportedOperationException(name + " on a shared informer");
          try {
            return method.invoke(shared, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        }
      }
    };
    return (SharedIndexInformer<T>) Proxy.newProxyInstance(SharedInformers.class.getClassLoader(), new Class<?>[] {SharedIndexInformer.class}, h);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (pods != null) pods.stop();
    if (client != null) client.close();
    pods = null;
    client = null;
  }
}
