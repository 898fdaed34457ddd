package io.kava.client.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager;
import io.fabric8.kubernetes.client.dsl.internal.BaseOperation;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.impl.DefaultSharedIndexInformer;
import io.fabric8.kubernetes.client.informers.impl.ListerWatcher;
import java.net.MalformedURLException;
import java.util.concurrent.CompletableFuture;

/**
 * Informers whose watches read the event stream with a {@link LineSplitter} ({@link LineWatchManager}) instead of
 * fabric8's character-at-a-time reader; otherwise fabric8's informer as {@code runnableInformer(0)} builds it (lists,
 * relists, reconnects, handlers, indexes). For the informers that carry most of the in-process watch traffic.
 *
 * <p>Only for operations over a whole resource (all namespaces or one), without label or field selectors or a
 * name: that is what the watch request is built from here.
 */
public final class LineWatches {
  private LineWatches() {}

  /** An informer of {@code op}'s objects, not started, without resync. */
  public static <T extends HasMetadata, L extends KubernetesResourceList<T>> SharedIndexInformer<T> informer(Class<T> type, Object op) {
    if (!(op instanceof BaseOperation<?, ?, ?> base)) throw new IllegalArgumentException("not a fabric8 resource operation: " + op.getClass().getName());
    @SuppressWarnings("unchecked")
    BaseOperation<T, L, ?> typed = (BaseOperation<T, L, ?>) base;
    if (typed.getName() != null || !empty(typed.getOperationContext().getLabelQueryParam())
        || !empty(typed.getOperationContext().getFieldQueryParam())) {
      throw new IllegalArgumentException("line watches are for whole resources, without a name or selectors");
    }
    return new DefaultSharedIndexInformer<>(type, new Lister<>(typed), 0, typed.getOperationContext().getExecutor());
  }

  private static boolean empty(String s) { return s == null || s.isEmpty(); }

  /** fabric8's lister-watcher of the operation, with this package's watch. */
  private record Lister<T extends HasMetadata, L extends KubernetesResourceList<T>>(BaseOperation<T, L, ?> op) implements ListerWatcher<T, L> {
    @Override
    public CompletableFuture<AbstractWatchManager<T>> submitWatch(ListOptions options, Watcher<T> watcher) {
      options.setWatch(true); // what the operation's own submitWatch adds for an operation without selectors
      try {
        return CompletableFuture.completedFuture(new LineWatchManager<>(op.getOperationContext().getHttpClient(), op, options, watcher,
            op.getRequestConfig().getWatchReconnectInterval(), op.getRequestConfig().getWatchReconnectLimit()));
      } catch (MalformedURLException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override public CompletableFuture<L> submitList(ListOptions options) { return op.submitList(options); }

    @Override public Long getLimit() { return op.getLimit(); }

    @Override public int getWatchReconnectInterval() { return op.getWatchReconnectInterval(); }

    @Override public String getApiEndpointPath() { return op.getApiEndpointPath(); }

    @Override public Config getConfig() { return op.getConfig(); }
  }
}
