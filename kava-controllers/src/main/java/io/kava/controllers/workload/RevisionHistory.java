package io.kava.controllers.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The revision history of a StatefulSet or DaemonSet (upstream's history package and the controllers'
 * constructHistory / getStatefulSetRevisions / truncateHistory), written through the client.
 */
public final class RevisionHistory {
  private RevisionHistory() {}

  /** The revision of the owner's current template, and the others, oldest first. */
  public record Current(ControllerRevision current, List<ControllerRevision> old) {
    public String hash() { return current.getMetadata().getLabels().get(Revisions.HASH_LABEL); }
  }

  /** A revision name taken by a different template: the owner's collisionCount must go up before a retry. */
  public static final class CollisionException extends Exception {
    public CollisionException(String name) { super("controller revision " + name + " exists with different content; bumping collisionCount"); }
  }

  /**
   * Finds or creates the revision holding {@code template}: an existing equal revision is reused (and renumbered
   * to the newest if it was an older one, as after a rollback); otherwise a new one is created with the next number.
   *
   * @param owned the owner's revisions, from the cache
   * @throws CollisionException when the hash's name is taken by another template
   */
  public static Current ensure(KubernetesClient client, HasMetadata owner, String apiVersion, String kind,
                               PodTemplateSpec template, Integer collisionCount, Map<String, String> annotations,
                               List<ControllerRevision> owned) throws CollisionException {
    List<ControllerRevision> sorted = Revisions.sorted(owned);
    long next = Revisions.nextRevision(sorted);
    ControllerRevision cur = null;
    for (ControllerRevision r : sorted) if (Revisions.holds(r, template)) cur = r; // the newest equal one
    String ns = owner.getMetadata().getNamespace();
    if (cur != null) {
      long max = next - 1;
      if (cur.getRevision() == null || cur.getRevision() < max) cur = renumber(client, cur, next);
    } else {
      ControllerRevision fresh = Revisions.newRevision(owner, apiVersion, kind, template, next, collisionCount, annotations);
      try {
        cur = client.resources(ControllerRevision.class).inNamespace(ns).resource(fresh).create();
      } catch (KubernetesClientException e) {
        if (!ApiErrors.isAlreadyExists(e)) throw e;
        ControllerRevision existing = client.resources(ControllerRevision.class).inNamespace(ns).withName(fresh.getMetadata().getName()).get();
        if (existing == null || !Objects.equals(Owners.controllerUid(existing), owner.getMetadata().getUid())
            || !Revisions.holds(existing, template)) {
          throw new CollisionException(fresh.getMetadata().getName());
        }
        cur = existing.getRevision() != null && existing.getRevision() == next - 1 ? existing : renumber(client, existing, next);
      }
    }
    List<ControllerRevision> old = new ArrayList<>();
    for (ControllerRevision r : sorted) if (!r.getMetadata().getName().equals(cur.getMetadata().getName())) old.add(r);
    return new Current(cur, old);
  }

  private static ControllerRevision renumber(KubernetesClient client, ControllerRevision r, long revision) {
    return client.resources(ControllerRevision.class).inNamespace(r.getMetadata().getNamespace()).withName(r.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"revision\":" + revision + "}");
  }

  /**
   * Deletes the oldest of {@code old} beyond {@code limit}, sparing those {@code live} says pods still use.
   */
  public static void truncate(KubernetesClient client, List<ControllerRevision> old, Predicate<ControllerRevision> live, int limit) {
    List<ControllerRevision> candidates = Revisions.sorted(old).stream().filter(live.negate()).toList();
    int toKill = candidates.size() - Math.max(0, limit);
    for (int i = 0; i < toKill; i++) {
      ControllerRevision r = candidates.get(i);
      try {
        client.resources(ControllerRevision.class).inNamespace(r.getMetadata().getNamespace()).withName(r.getMetadata().getName()).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) throw e;
      }
    }
  }
}
