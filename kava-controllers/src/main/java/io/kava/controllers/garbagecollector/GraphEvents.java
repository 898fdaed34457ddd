package io.kava.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kava.client.WorkQueue;
import io.kava.controllers.runtime.Handlers;
import java.util.List;
import java.util.Objects;

/**
 * Maps changes of any monitored object to the uids the garbage collector must look at. Only keys, no decisions:
 *
 * <ul>
 *   <li>a new object with owners, one whose ownerReferences changed, or one being deleted with the orphan or
 *       foregroundDeletion finalizer: itself;</li>
 *   <li>a deleted object: itself (its absence makes its dependents look at their owners) and its owners (one
 *       deleting in the foreground may have been waiting for it);</li>
 *   <li>an object that dropped an owner, or stopped blocking one: that owner, for the same reason.</li>
 * </ul>
 *
 * An update that leaves the ownerReferences as they were (a Lease renewal, a pod status change) is not a change of
 * the graph, so it queues nothing, as upstream's graph builder acts only on reference diffs and deletion transitions:
 * with 1000 nodes renewing their Leases (each owned by its Node) every 10 s, that was 100 needless syncs a second.
 */
final class GraphEvents implements ResourceEventHandler<GenericKubernetesResource> {
  private final WorkQueue<String> queue;

  GraphEvents(WorkQueue<String> queue) { this.queue = queue; }

  @Override
  public void onAdd(GenericKubernetesResource o) {
    if (interesting(o.getMetadata())) queue.add(o.getMetadata().getUid());
  }

  @Override
  public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource o) {
    if (Handlers.sameVersion(old, o)) return;
    List<OwnerReference> now = refs(o.getMetadata());
    if (deletingForCollector(o.getMetadata()) || (!now.isEmpty() && !now.equals(refs(old.getMetadata())))) {
      queue.add(o.getMetadata().getUid());
    }
    for (OwnerReference before : refs(old.getMetadata())) {
      if (!stillBlocks(before, now)) queue.add(before.getUid());
    }
  }

  @Override
  public void onDelete(GenericKubernetesResource o, boolean finalStateUnknown) {
    queue.add(o.getMetadata().getUid());
    for (OwnerReference r : refs(o.getMetadata())) queue.add(r.getUid());
  }

  static boolean interesting(ObjectMeta m) {
    return (m.getOwnerReferences() != null && !m.getOwnerReferences().isEmpty()) || deletingForCollector(m);
  }

  /** Being deleted with a finalizer only the collector removes (orphan or foregroundDeletion). */
  private static boolean deletingForCollector(ObjectMeta m) {
    List<String> fins = m.getFinalizers();
    return m.getDeletionTimestamp() != null && fins != null
        && (fins.contains(GarbageCollector.ORPHAN) || fins.contains(GarbageCollector.FOREGROUND));
  }

  /** Whether the reference is still there with the same blocking flag (so the owner has nothing new to see). */
  private static boolean stillBlocks(OwnerReference before, List<OwnerReference> now) {
    for (OwnerReference r : now) {
      if (Objects.equals(r.getUid(), before.getUid())) return Boolean.TRUE.equals(r.getBlockOwnerDeletion()) == Boolean.TRUE.equals(before.getBlockOwnerDeletion());
    }
    return false;
  }

  private static List<OwnerReference> refs(ObjectMeta m) {
    return m == null || m.getOwnerReferences() == null ? List.of() : m.getOwnerReferences();
  }
}
