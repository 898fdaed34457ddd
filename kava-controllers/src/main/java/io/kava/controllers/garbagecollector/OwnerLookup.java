package io.kava.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kava.client.EventRecorder;
import io.kava.client.RawApi;
import io.kava.controllers.runtime.ApiResource;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Tells what a dependent's ownerReference points at (upstream's isDangling/classifyReferences). An owner the caches
 * hold under the referenced uid, kind, name and namespace is trusted as present: the caches can only lag behind a
 * deletion, and the deletion's event brings the dependent back. Anything else is checked with a live GET, so that a
 * cache that has not yet seen a new owner never gets a dependent deleted.
 */
final class OwnerLookup {
  static final String INVALID_NAMESPACE = "OwnerRefInvalidNamespace";

  private final Monitors monitors;
  private final RawApi api;
  private final EventRecorder recorder;
  private final AbsentOwners absent = new AbsentOwners();

  OwnerLookup(Monitors monitors, RawApi api, EventRecorder recorder) {
    this.monitors = monitors;
    this.api = api;
    this.recorder = recorder;
  }

  /** The owner's state if the caches alone can vouch for it, else empty (meaning: ask {@link #classify}). */
  Optional<OwnerState> fromCache(Observed item, OwnerReference ref) {
    Optional<ApiResource> res = monitors.resourceFor(ref.getApiVersion(), ref.getKind());
    if (res.isEmpty() || item.namespace().isEmpty() && res.get().namespaced()) return Optional.empty();
    return monitors.find(ref.getUid())
        .filter(o -> matches(o, ref, res.get(), item.namespace()))
        .map(o -> stateOf(Meta.of(o.object().getMetadata())));
  }

  /** The owner's state, asking the API server when the caches cannot tell. */
  OwnerState classify(Observed item, OwnerReference ref) {
    ApiResource res = monitors.resourceFor(ref.getApiVersion(), ref.getKind())
        .orElseThrow(() -> new IllegalStateException("no resource serves ownerReference kind " + ref.getKind() + " in " + ref.getApiVersion()));
    Optional<Observed> cached = monitors.find(ref.getUid());
    if (item.namespace().isEmpty() && res.namespaced()) {
      if (cached.isPresent()) reportInvalidNamespace(item, ref);
      return OwnerState.INVALID;
    }
    if (cached.isPresent()) {
      if (matches(cached.get(), ref, res, item.namespace())) return stateOf(Meta.of(cached.get().object().getMetadata()));
      // The uid exists, but in another namespace: a namespaced object can only be owned from its own namespace.
      if (res.namespaced() && !cached.get().namespace().equals(item.namespace())) reportInvalidNamespace(item, ref);
    }
    String lookupNamespace = res.namespaced() ? item.namespace() : "";
    if (absent.contains(ref.getUid(), lookupNamespace)) return OwnerState.DANGLING;
    JsonNode live = api.getMetadata(res.path(lookupNamespace, ref.getName()));
    if (live == null || !ref.getUid().equals(live.path("metadata").path("uid").asString(""))) {
      absent.add(ref.getUid(), lookupNamespace);
      return OwnerState.DANGLING;
    }
    return stateOf(Meta.of(live));
  }

  private static boolean matches(Observed owner, OwnerReference ref, ApiResource res, String dependentNamespace) {
    return owner.resource().group().equals(res.group()) && owner.resource().kind().equals(ref.getKind())
        && owner.name().equals(ref.getName())
        && (!res.namespaced() || owner.namespace().equals(dependentNamespace));
  }

  private static OwnerState stateOf(Meta owner) { return owner.deletingDependents() ? OwnerState.WAITING : OwnerState.SOLID; }

  private void reportInvalidNamespace(Observed item, OwnerReference ref) {
    recorder.event(item.reference(), EventRecorder.WARNING, INVALID_NAMESPACE, String.format(
        "ownerRef [%s/%s, namespace: %s, name: %s, uid: %s] does not exist in namespace \"%s\"",
        ref.getApiVersion(), ref.getKind(), item.namespace(), ref.getName(), ref.getUid(), item.namespace()));
  }
}
