package io.kava.controllers.namespace;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.client.WorkQueue;
import io.kava.controllers.runtime.ApiDiscovery;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Result;
import java.time.Clock;
import java.time.Duration;

/**
 * Upstream's namespace controller: a namespace with a deletionTimestamp is emptied and then released to the API
 * server (see {@link NamespacedContentDeleter}). Keys are namespace names.
 */
public final class NamespaceController implements Controller {
  public static final String NAME = "namespace";
  /**
   * Delay between seeing a namespace deleted and acting on it. Upstream waits 5 s so that other API servers' caches
   * see the deletion (and refuse new content) before the content is listed. kava's lists are consistent reads and
   * admission lag between servers sharing a store is milliseconds, so a short delay keeps the margin and keeps
   * {@code kubectl delete namespace} quick.
   */
  static final Duration DELETION_GRACE = Duration.ofMillis(500);
  /** Longest wait between passes while content is still going away (upstream waits estimate/2 + 1 s, unbounded). */
  static final Duration MAX_RECHECK = Duration.ofSeconds(5);

  private final SharedIndexInformer<Namespace> namespaces;
  private final NamespacedContentDeleter deleter;

  public NamespaceController(ControllerContext ctx) {
    this.namespaces = ctx.informer(Namespace.class);
    this.deleter = new NamespacedContentDeleter(ctx.raw(), () -> ApiDiscovery.discover(ctx.client()), Clock.systemUTC());
    WorkQueue<String> queue = ctx.queue();
    namespaces.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Namespace ns) { enqueueIfDeleting(queue, ns); }

      @Override
      public void onUpdate(Namespace oldNs, Namespace ns) {
        if (!Handlers.sameVersion(oldNs, ns)) enqueueIfDeleting(queue, ns);
      }

      @Override
      public void onDelete(Namespace ns, boolean finalStateUnknown) {}
    });
  }

  private static void enqueueIfDeleting(WorkQueue<String> queue, Namespace ns) {
    if (ns.getMetadata().getDeletionTimestamp() != null) queue.addAfter(ns.getMetadata().getName(), DELETION_GRACE);
  }

  @Override
  public String name() { return NAME; }

  @Override
  public int workers() { return 2; }

  @Override
  public Result reconcile(String name) {
    Namespace cached = namespaces.getStore().getByKey(name);
    if (cached == null || cached.getMetadata().getDeletionTimestamp() == null) return Result.DONE;
    return switch (deleter.delete(name)) {
      case NamespacedContentDeleter.Progress.Finished f -> Result.DONE;
      case NamespacedContentDeleter.Progress.Waiting w -> Result.requeueAfter(recheck(w.estimate()));
    };
  }

  /** Upstream's half the estimate plus a second, capped so a namespace is released soon after its content goes. */
  static Duration recheck(Duration estimate) {
    Duration d = estimate.dividedBy(2).plusSeconds(1);
    return d.compareTo(MAX_RECHECK) > 0 ? MAX_RECHECK : d;
  }
}
