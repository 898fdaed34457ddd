package io.kava.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kava.api.json.Json;
import io.kava.client.ApiException;
import io.kava.client.RawApi;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The garbage collector's writes. Each re-reads the object, checks it is still the same object (uid), and writes a
 * merge patch conditional on the resourceVersion it read, retrying a few times on conflict: lists in a merge patch
 * replace the whole list, so an unconditional patch could undo someone else's concurrent change.
 */
final class Mutations {
  static final int ATTEMPTS = 5;

  private final RawApi api;

  Mutations(RawApi api) { this.api = api; }

  /** Deletes the object if it still has that uid; absent is fine. */
  void delete(Observed item, String propagationPolicy) {
    ObjectNode opts = Json.object().put("propagationPolicy", propagationPolicy);
    opts.putObject("preconditions").put("uid", item.uid());
    api.delete(item.path(), opts);
  }

  /** Removes the ownerReferences to {@code ownerUids}. */
  void removeOwnerRefs(Observed item, Set<String> ownerUids) {
    patchMeta(item, meta -> {
      List<OwnerReference> keep = meta.owners().stream().filter(r -> !ownerUids.contains(r.getUid())).toList();
      return keep.size() == meta.owners().size() ? null : ownerRefsPatch(keep, null);
    });
  }

  /** Sets blockOwnerDeletion=false on the references to {@code ownerUids} (upstream's cycle breaker). */
  void unblockOwnerRefs(Observed item, Set<String> ownerUids) {
    patchMeta(item, meta -> {
      boolean any = meta.owners().stream().anyMatch(r -> ownerUids.contains(r.getUid()) && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
      return any ? ownerRefsPatch(meta.owners(), ownerUids) : null;
    });
  }

  void removeFinalizer(Observed item, String finalizer) {
    patchMeta(item, meta -> {
      if (!meta.finalizers().contains(finalizer)) return null;
      ObjectNode m = Json.object();
      ArrayNode fins = m.putArray("finalizers");
      for (String f : meta.finalizers()) if (!f.equals(finalizer)) fins.add(f);
      return m;
    });
  }

  /**
   * Read-modify-write of metadata. {@code change} returns the metadata fields to patch, or null when nothing is to
   * be done.
   */
  private void patchMeta(Observed item, Function<Meta, ObjectNode> change) {
    for (int attempt = 1; ; attempt++) {
      JsonNode live = api.getMetadata(item.path());
      if (live == null) return;
      Meta meta = Meta.of(live);
      if (!meta.uid().equals(item.uid())) return; // replaced by a new object of the same name
      ObjectNode metaPatch = change.apply(meta);
      if (metaPatch == null) return;
      metaPatch.put("resourceVersion", meta.resourceVersion());
      ObjectNode patch = Json.object();
      patch.set("metadata", metaPatch);
      try {
        api.mergePatch(item.path(), patch);
        return;
      } catch (ApiException e) {
        if (!e.isConflict() || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  /** An ownerReferences patch; references to {@code unblock} get blockOwnerDeletion=false. */
  private static ObjectNode ownerRefsPatch(List<OwnerReference> refs, Set<String> unblock) {
    ObjectNode m = Json.object();
    if (refs.isEmpty()) {
      m.putNull("ownerReferences");
      return m;
    }
    ArrayNode arr = m.putArray("ownerReferences");
    for (OwnerReference r : refs) {
      ObjectNode o = arr.addObject();
      o.put("apiVersion", r.getApiVersion());
      o.put("kind", r.getKind());
      o.put("name", r.getName());
      o.put("uid", r.getUid());
      if (r.getController() != null) o.put("controller", r.getController());
      if (unblock != null && unblock.contains(r.getUid())) o.put("blockOwnerDeletion", false);
      else if (r.getBlockOwnerDeletion() != null) o.put("blockOwnerDeletion", r.getBlockOwnerDeletion());
    }
    return m;
  }
}
