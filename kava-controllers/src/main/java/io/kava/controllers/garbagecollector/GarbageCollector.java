package io.kava.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kava.client.RawApi;
import io.kava.client.WorkQueue;
import io.kava.controllers.runtime.ApiDiscovery;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Upstream's garbage collector. Keys are object uids; the owner graph is the monitors' uid and owner indexes.
 *
 * <ul>
 *   <li><b>Background</b>: an object whose owners are all gone (dangling references) is deleted; one that still has
 *       a live owner only loses the dangling references.</li>
 *   <li><b>Foreground</b>: an owner being deleted with the "foregroundDeletion" finalizer has its dependents deleted
 *       first; it keeps the finalizer while any dependent with blockOwnerDeletion=true still exists (dependents with
 *       finalizers of their own therefore hold it), then the finalizer is removed and the API server deletes it.</li>
 *   <li><b>Orphan</b>: an owner being deleted with the "orphan" finalizer has its ownerReference removed from every
 *       dependent, then loses the finalizer.</li>
 * </ul>
 *
 * Periodically ({@link #RESYNC_PERIOD}) discovery is read again so custom resources are monitored too.
 */
public final class GarbageCollector implements Controller {
  public static final String NAME = "garbagecollector";
  /** The event source upstream's garbage collector reports as. */
  static final String COMPONENT = "garbage-collector-controller";
  static final String ORPHAN = "orphan";
  static final String FOREGROUND = "foregroundDeletion";
  /** Queue key of the periodic rediscovery; cannot collide with a uid. */
  static final String RESYNC = "#resync";
  static final Duration RESYNC_PERIOD = Duration.ofSeconds(30);

  private final WorkQueue<String> queue;
  private final RawApi api;
  private final Monitors monitors;
  private final OwnerLookup owners;
  private final Mutations writes;

  public GarbageCollector(ControllerContext ctx) {
    this.queue = ctx.queue();
    this.api = ctx.raw();
    GraphEvents events = new GraphEvents(queue);
    this.monitors = new Monitors(ctx, () -> ApiDiscovery.discover(ctx.client()), r -> events);
    this.owners = new OwnerLookup(monitors, api, ctx.recorder(COMPONENT));
    this.writes = new Mutations(api);
    queue.addAfter(RESYNC, RESYNC_PERIOD);
  }

  @Override
  public String name() { return NAME; }

  @Override
  public int workers() { return 4; }

  @Override
  public Result reconcile(String key) {
    if (key.equals(RESYNC)) {
      monitors.resync();
      return Result.requeueAfter(RESYNC_PERIOD);
    }
    Optional<Observed> found = monitors.find(key);
    if (found.isEmpty()) {
      // Gone (or never seen): whatever it owned must now check its owners.
      for (Observed d : monitors.dependents(key)) queue.add(d.uid());
      return Result.DONE;
    }
    Observed item = found.get();
    if (item.deleting()) {
      if (item.hasFinalizer(ORPHAN)) {
        orphanDependents(item);
        return Result.DONE;
      }
      if (item.hasFinalizer(FOREGROUND)) deleteDependentsFirst(item);
      return Result.DONE; // otherwise its own deletion is under way; nothing for us until it is gone
    }
    if (!item.owners().isEmpty()) attemptToDelete(item);
    return Result.DONE;
  }

  /** Decides the fate of an object with owners, from the state of those owners. */
  private void attemptToDelete(Observed item) {
    if (item.owners().stream().allMatch(r -> owners.fromCache(item, r).orElse(null) == OwnerState.SOLID)) return;

    // Something looks off: decide on the object as it is now, not as the cache last saw it.
    Meta latest = latest(item);
    if (latest == null || latest.deleting() || latest.owners().isEmpty()) return;
    List<OwnerReference> solid = new ArrayList<>();
    Set<String> dangling = new HashSet<>();
    Set<String> waiting = new HashSet<>();
    for (OwnerReference ref : latest.owners()) {
      switch (owners.classify(item, ref)) {
        case SOLID -> solid.add(ref);
        case DANGLING -> dangling.add(ref.getUid());
        case WAITING -> waiting.add(ref.getUid());
        case INVALID -> {
          return; // cannot be fixed by retrying; left alone as upstream does
        }
      }
    }
    if (!solid.isEmpty()) {
      // A live owner keeps it; references that no longer hold (or wait on it) are dropped so they block nothing.
      Set<String> drop = new HashSet<>(dangling);
      drop.addAll(waiting);
      if (!drop.isEmpty()) writes.removeOwnerRefs(item, drop);
      return;
    }
    List<Observed> dependents = monitors.dependents(item.uid());
    if (!waiting.isEmpty() && !dependents.isEmpty()) {
      // An owner waits for us and we have dependents: go in the foreground too, so the wait covers them. If one of
      // our dependents is itself deleting in the foreground there may be a cycle; stop blocking our owners then.
      if (dependents.stream().anyMatch(d -> d.deleting() && d.hasFinalizer(FOREGROUND))) writes.unblockOwnerRefs(item, waiting);
      writes.delete(item, "Foreground");
      return;
    }
    writes.delete(item, latest.finalizers().contains(ORPHAN) ? "Orphan"
        : latest.finalizers().contains(FOREGROUND) ? "Foreground" : "Background");
  }

  /** Foreground deletion of an owner: dependents go first; the owner follows when none blocks it any more. */
  private void deleteDependentsFirst(Observed owner) {
    boolean blocked = false;
    for (Observed d : monitors.dependents(owner.uid())) {
      if (!d.deleting()) queue.add(d.uid()); // each decides for itself: delete, or drop the reference to us
      OwnerReference ref = d.ownerRef(owner.uid());
      if (ref != null && Boolean.TRUE.equals(ref.getBlockOwnerDeletion())) blocked = true;
    }
    // Blocking dependents' deletions (and reference changes) queue this owner again.
    if (!blocked) writes.removeFinalizer(owner, FOREGROUND);
  }

  /** Orphan deletion: dependents lose their reference to the owner, then the owner loses the finalizer. */
  private void orphanDependents(Observed owner) {
    for (Observed d : monitors.dependents(owner.uid())) writes.removeOwnerRefs(d, Set.of(owner.uid()));
    writes.removeFinalizer(owner, ORPHAN);
  }

  /** The object's metadata as the API server has it now; null if it is gone or was replaced. */
  private Meta latest(Observed item) {
    JsonNode live = api.getMetadata(item.path());
    if (live == null) return null;
    Meta m = Meta.of(live);
    return m.uid().equals(item.uid()) ? m : null;
  }
}
