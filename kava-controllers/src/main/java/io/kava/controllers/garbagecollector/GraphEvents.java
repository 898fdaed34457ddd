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
 *   <li>an object with owners, or being deleted with the orphan or foregroundDeletion finalizer: itself;</li>
 *   <li>a deleted object: itself (its absence makes its dependents look at their owners) and its owners (one
 *       deleting in the foreground may have been waiting for it);</li>
 *   <li>an object that dropped an owner, or stopped blocking one: that owner, for the same reason.</li>
 * </ul>
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
    if (interesting(o.getMetadata())) queue.add(o.getMetadata().getUid());
    List<OwnerReference> now = refs(o.getMetadata());
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
    if (m.getOwnerReferences() != null && !m.getOwnerReferences().isEmpty()) return true;
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
