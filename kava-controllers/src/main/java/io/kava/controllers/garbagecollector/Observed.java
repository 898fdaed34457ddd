package io.kava.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kava.controllers.runtime.ApiResource;
import java.util.List;

/**
 * An object as an informer cache holds it (metadata only), with the resource it came from: list items do not
 * carry kind and apiVersion, the resource does.
 */
record Observed(ApiResource resource, GenericKubernetesResource object) {
  String uid() { return object.getMetadata().getUid(); }

  String name() { return object.getMetadata().getName(); }

  /** "" for cluster-scoped objects. */
  String namespace() {
    String ns = object.getMetadata().getNamespace();
    return ns == null ? "" : ns;
  }

  List<OwnerReference> owners() {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs == null ? List.of() : refs;
  }

  boolean deleting() { return object.getMetadata().getDeletionTimestamp() != null; }

  boolean hasFinalizer(String f) {
    List<String> fins = object.getMetadata().getFinalizers();
    return fins != null && fins.contains(f);
  }

  /** The reference to the owner with {@code uid}, or null. */
  OwnerReference ownerRef(String uid) {
    for (OwnerReference r : owners()) if (uid.equals(r.getUid())) return r;
    return null;
  }

  String path() { return resource.path(namespace(), name()); }

  ObjectReference reference() {
    return new ObjectReferenceBuilder()
        .withApiVersion(resource.apiVersion()).withKind(resource.kind())
        .withNamespace(namespace().isEmpty() ? null : namespace()).withName(name()).withUid(uid())
        .withResourceVersion(object.getMetadata().getResourceVersion())
        .build();
  }

  @Override
  public String toString() { return resource + " " + (namespace().isEmpty() ? "" : namespace() + "/") + name() + " (" + uid() + ")"; }
}
