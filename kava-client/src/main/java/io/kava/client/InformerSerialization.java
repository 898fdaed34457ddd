package io.kava.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kava.api.json.Json;
import tools.jackson.databind.json.JsonMapper;

/**
 * The serialization of clients that only feed informers whose store drops managedFields ({@link TrimmedItemStore}):
 * {@code metadata.managedFields} is skipped when an object is decoded instead of being bound to fabric8's
 * {@code ManagedFieldsEntry} objects (nested maps of field sets, one entry per writer, often a third of a pod's JSON)
 * and thrown away. The cluster benchmark (docs/benchmarks.md, issue 4) measured fabric8's binding of watch events as
 * the largest single CPU cost of the in-process components.
 *
 * <p>Only for clients whose reads nobody inspects for managedFields: an object read through such a client and written
 * back carries none, which the API server takes as "keep the stored ones" (as for the trimmed informer objects).
 */
public final class InformerSerialization {
  private InformerSerialization() {}

  @JsonIgnoreProperties(value = "managedFields", allowSetters = false)
  private abstract static class WithoutManagedFields {}

  /** A fresh serialization that decodes every object without its managedFields. */
  public static KubernetesSerialization withoutManagedFields() { return withoutManagedFields(true); }

  /**
   * As {@link #withoutManagedFields()}; with {@code modelClasses} false the serialization knows no model classes, so
   * every object decodes into a {@code GenericKubernetesResource} (for generic informers).
   */
  public static KubernetesSerialization withoutManagedFields(boolean modelClasses) {
    // uncanonicalized property names: the skipped managedFields are still parsed, and their keys are unique per object
    return new KubernetesSerialization(JsonMapper.builder(Json.uncanonicalized()).addMixIn(ObjectMeta.class, WithoutManagedFields.class).build(),
        modelClasses);
  }
}
