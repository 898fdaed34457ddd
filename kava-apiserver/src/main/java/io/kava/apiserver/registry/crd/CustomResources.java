package io.kava.apiserver.registry.crd;

import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ObjectHook;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceStrategy;
import io.kava.apiserver.registry.ScaleSpec;
import io.kava.apiserver.table.TableConvertors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Turns a CRD into the {@link ResourceDefinition}s that serve its custom resources, one per version, each with a
 * schema-driven strategy: pruning and defaulting from the version's schema, validation against it, the status and
 * scale subresources, the printer columns, and (for versions other than the storage version) the None conversion.
 * All versions share one storage prefix, {@code /<group>/<plural>/}.
 */
final class CustomResources {
  private CustomResources() {}

  /** What a create answers while the CRD is being deleted (upstream's wording). */
  static final String TERMINATING = "create not allowed while custom resource definition is terminating";

  /**
   * The definitions of the served versions, highest priority first (the order discovery lists them in).
   *
   * @param names the accepted names the resources are served under
   */
  static List<ResourceDefinition> served(JsonNode crd, Crds.Names names) {
    List<JsonNode> versions = new ArrayList<>(Crds.versions(crd));
    versions.removeIf(v -> !v.path("served").asBoolean(false));
    versions.sort(Comparator.comparing((JsonNode v) -> v.path("name").asString(""), Crds.VERSION_PRIORITY));
    List<ResourceDefinition> out = new ArrayList<>();
    for (JsonNode v : versions) out.add(definition(crd, v, names));
    return out;
  }

  /** The definition of the storage version, served or not (to delete every custom resource of a deleted CRD). */
  static ResourceDefinition storage(JsonNode crd) {
    String storage = Crds.storageVersion(crd);
    Crds.Names names = Crds.specNames(crd);
    for (JsonNode v : Crds.versions(crd)) if (v.path("name").asString("").equals(storage)) return definition(crd, v, names);
    throw new IllegalStateException("CRD " + Crds.name(crd) + " has no storage version");
  }

  static ResourceDefinition definition(JsonNode crd, JsonNode version, Crds.Names names) {
    String group = Crds.group(crd);
    String versionName = version.path("name").asString("");
    String storageVersion = Crds.storageVersion(crd);
    Schema schema = Schema.parse(version.path("schema").get("openAPIV3Schema"));
    JsonNode subresources = version.path("subresources");
    boolean status = subresources.get("status") != null && subresources.get("status").isObject();
    JsonNode scale = subresources.get("scale");
    boolean terminating = Crds.isDeleting(crd);

    ResourceStrategy.Builder b = ResourceStrategy.builder()
        .defaulter(o -> {
          Pruning.prune(o, schema);
          Defaulting.apply(o, schema);
        })
        .validator(o -> SchemaValidator.validate(o, schema))
        .table(TableConvertors.forCustomResource(version.get("additionalPrinterColumns")))
        .tracksGeneration()
        .prepareForCreate(prepareForCreate(terminating, status));
    Set<String> subs = new LinkedHashSet<>();
    if (status) {
      b.statusSubresource();
      subs.add("status");
    }
    if (scale != null && scale.isObject()) {
      b.scale(new ScaleSpec(Crds.pointer(scale.path("specReplicasPath").asString("")),
          Crds.pointer(scale.path("statusReplicasPath").asString("")),
          Crds.pointer(scale.path("labelSelectorPath").asString(""))));
      subs.add("scale");
    }
    String plural = Crds.specNames(crd).plural();
    List<String> stored = Crds.storedVersions(crd);
    boolean mixedStorage = stored.size() > 1 || (stored.size() == 1 && !stored.get(0).equals(storageVersion));
    if (!versionName.equals(storageVersion) || mixedStorage) {
      // objects may be stored in another version than the one served: rewrite apiVersion on the way in and out
      b.conversion(new VersionConversion("/" + group + "/" + plural + "/", group + "/" + versionName, group + "/" + storageVersion));
    }
    return new ResourceDefinition(group, versionName, names.kind(), names.plural(), names.singular(), Crds.namespaced(crd),
        List.copyOf(names.shortNames()), List.copyOf(names.categories()), Set.copyOf(subs), b.build());
  }

  private static ObjectHook prepareForCreate(boolean terminating, boolean statusSubresource) {
    return (ctx, object, old) -> {
      if (terminating) throw new StatusException(405, "MethodNotAllowed", TERMINATING);
      // the store resets status on create; upstream leaves no status at all, so schemas requiring fields in it pass
      JsonNode s = object.get("status");
      if (statusSubresource && s != null && s.isObject() && s.isEmpty()) object.remove("status");
    };
  }
}
