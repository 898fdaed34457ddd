package io.kava.apiserver.registry.crd;

import io.kava.api.time.Timestamps;
import io.kava.apiserver.registry.ObjectHook;
import io.kava.apiserver.registry.ResourceStrategy;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The strategy of apiextensions.k8s.io/v1 CustomResourceDefinitions themselves: upstream's defaults, validation,
 * status handling (storedVersions always holds the storage version) and deletion, which marks the CRD Terminating
 * with the {@value Crds#CLEANUP_FINALIZER} finalizer so that {@link CrdRegistrar} can delete its custom resources
 * before the CRD goes.
 */
public final class CrdStrategy {
  private CrdStrategy() {}

  /** Applies the CRD's rules to a strategy builder (status subresource, generation, hooks). */
  public static ResourceStrategy.Builder configure(ResourceStrategy.Builder b) {
    return b.statusSubresource()
        .tracksGeneration()
        .defaulter(CrdStrategy::defaults)
        .validator(CrdValidation.INSTANCE)
        .prepareForCreate(PREPARE_FOR_CREATE)
        .prepareForUpdate(PREPARE_FOR_UPDATE)
        // A CRD is always marked first when deleted, even without finalizers: the mark adds the cleanup finalizer.
        .finalizationPending(crd -> !Crds.isDeleting(crd))
        .markedForDeletion(MARKED_FOR_DELETION);
  }

  /** Upstream's SetDefaults_CustomResourceDefinition(Spec) and friends. Idempotent. */
  static void defaults(ObjectNode crd) {
    if (!(crd.get("spec") instanceof ObjectNode spec)) return;
    if (spec.get("names") instanceof ObjectNode names) {
      String kind = names.path("kind").asString("");
      if (names.path("singular").asString("").isEmpty() && !kind.isEmpty()) names.put("singular", Crds.lower(kind));
      if (names.path("listKind").asString("").isEmpty() && !kind.isEmpty()) names.put("listKind", kind + "List");
    }
    JsonNode conversion = spec.get("conversion");
    if (conversion == null || conversion.isNull()) {
      spec.putObject("conversion").put("strategy", "None");
    } else if (conversion instanceof ObjectNode c && c.path("webhook").path("clientConfig").path("service") instanceof ObjectNode svc
        && !svc.has("port")) {
      svc.put("port", 443);
    }
    if (spec.get("versions") instanceof ArrayNode versions) {
      for (JsonNode v : versions) {
        if (!(v instanceof ObjectNode version)) continue;
        // Go writes these booleans even when false
        if (!version.has("served")) version.put("served", false);
        if (!version.has("storage")) version.put("storage", false);
        SchemaOmitEmpty.apply(version.path("schema").get("openAPIV3Schema"));
      }
    }
  }

  /** Create: the status starts with the storage version stored and no names accepted yet. */
  private static final ObjectHook PREPARE_FOR_CREATE = (ctx, crd, old) -> {
    ObjectNode status = crd.withObject("status");
    ObjectNode accepted = status.putObject("acceptedNames");
    accepted.put("kind", "");
    accepted.put("plural", "");
    addStorageVersion(crd);
  };

  /** Update: a new storage version joins storedVersions (objects may now be stored in it). */
  private static final ObjectHook PREPARE_FOR_UPDATE = (ctx, crd, old) -> addStorageVersion(crd);

  private static void addStorageVersion(ObjectNode crd) {
    String storage = Crds.storageVersion(crd);
    if (storage == null) return;
    List<String> stored = Crds.storedVersions(crd);
    if (stored.contains(storage)) return;
    crd.withObject("status").withArray("storedVersions").add(storage);
  }

  private static final ObjectHook MARKED_FOR_DELETION = (ctx, crd, old) -> {
    ObjectNode meta = crd.withObject("metadata");
    if (!Crds.hasFinalizer(crd, Crds.CLEANUP_FINALIZER)) meta.withArray("finalizers").add(Crds.CLEANUP_FINALIZER);
    Crds.setCondition(crd.withObject("status"), "Terminating", "True", "InstanceDeletionPending",
        "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon", Timestamps.formatTime(ctx.now()));
  };
}
