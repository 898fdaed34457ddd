package io.kava.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The metadata the garbage collector decides on, read alike from an informer cache (fabric8 objects) or a live
 * metadata GET (JSON).
 */
record Meta(String uid, String resourceVersion, boolean deleting, List<String> finalizers, List<OwnerReference> owners) {
  static Meta of(ObjectMeta m) {
    return new Meta(m.getUid(), m.getResourceVersion(), m.getDeletionTimestamp() != null,
        m.getFinalizers() == null ? List.of() : List.copyOf(m.getFinalizers()),
        m.getOwnerReferences() == null ? List.of() : List.copyOf(m.getOwnerReferences()));
  }

  /** From an object or PartialObjectMetadata in JSON. */
  static Meta of(JsonNode object) {
    JsonNode m = object.path("metadata");
    List<String> fins = new ArrayList<>();
    for (JsonNode f : m.path("finalizers")) fins.add(f.asString());
    List<OwnerReference> owners = new ArrayList<>();
    for (JsonNode r : m.path("ownerReferences")) {
      OwnerReferenceBuilder b = new OwnerReferenceBuilder()
          .withApiVersion(r.path("apiVersion").asString("")).withKind(r.path("kind").asString(""))
          .withName(r.path("name").asString("")).withUid(r.path("uid").asString(""));
      if (r.has("controller")) b.withController(r.path("controller").asBoolean());
      if (r.has("blockOwnerDeletion")) b.withBlockOwnerDeletion(r.path("blockOwnerDeletion").asBoolean());
      owners.add(b.build());
    }
    return new Meta(m.path("uid").asString(""), m.path("resourceVersion").asString(""),
        m.hasNonNull("deletionTimestamp"), List.copyOf(fins), List.copyOf(owners));
  }

  /** Being deleted in the foreground: its dependents go first ("waiting for dependents deletion"). */
  boolean deletingDependents() { return deleting && finalizers.contains(GarbageCollector.FOREGROUND); }
}
