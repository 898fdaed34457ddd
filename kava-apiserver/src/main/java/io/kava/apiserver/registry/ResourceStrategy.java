package io.kava.apiserver.registry;

import io.kava.api.validation.NameRule;
import io.kava.apiserver.table.TableConvertor;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Every kind-specific rule of one resource, as data and small functions; the generic store owns the order in
 * which they run (decode → defaults → hooks → validation → write), as upstream's BeforeCreate/BeforeUpdate do.
 *
 * @param defaulter            upstream's v1 defaults
 * @param validator            kind validation (metadata validation is generic and runs after it)
 * @param table                Table columns and cells; null means the default NAME/CREATED AT table
 * @param selectableFields     field-selector fields beyond metadata.name/metadata.namespace, with their values
 * @param statusSubresource    main-resource writes keep the old status; /status writes keep everything but status
 * @param tracksGeneration     metadata.generation starts at 1 and increments when the spec changes
 * @param allowCreateOnUpdate  a PUT of a missing object creates it (endpoints, leases, events...)
 * @param prepareForCreate     runs on create after defaulting (status reset, allocations)
 * @param prepareForUpdate     runs on update after defaulting, with the old object
 * @param afterDelete          runs once the object is gone from the store (release allocations)
 * @param gracefulDeletion     the grace period (seconds) a delete without finalizers must wait, given the object
 *                             and the requested period (null = unset); 0 deletes at once (upstream: pods only)
 * @param scale                what /scale exposes, or null when the kind has none
 * @param nameRule             what a valid metadata.name is for this kind
 * @param selectableFieldNames names of the fields {@code selectableFields} reports (for "field label not supported")
 * @param finalizationPending  whether a kind-specific finalizer still holds a deleted object (namespaces' spec.finalizers)
 * @param markedForDeletion    runs when a delete marks the object (deletionTimestamp set) instead of removing it
 * @param conversion           how served objects map to stored ones when the storage is shared; null = identical
 * @param createOnly           never-stored create handlers by subresource ("" = the resource itself, which is then
 *                             not stored at all)
 * @param subresourceValidators update validation of writes through a subresource, where upstream's strategy for it
 *                             validates other than the kind does (pods/status checks status, not the spec); a
 *                             subresource not listed is validated by {@code validator}
 */
public record ResourceStrategy(
    Defaulter defaulter,
    Validator validator,
    TableConvertor table,
    Function<JsonNode, Map<String, String>> selectableFields,
    Set<String> selectableFieldNames,
    boolean statusSubresource,
    boolean tracksGeneration,
    boolean allowCreateOnUpdate,
    ObjectHook prepareForCreate,
    ObjectHook prepareForUpdate,
    ObjectHook afterDelete,
    GracePeriodPolicy gracefulDeletion,
    ScaleSpec scale,
    NameRule nameRule,
    java.util.function.Predicate<JsonNode> finalizationPending,
    ObjectHook markedForDeletion,
    StorageConversion conversion,
    Map<String, CreateOnly> createOnly,
    Map<String, Validator> subresourceValidators) {

  /** The validator of an update through {@code subresource} ("" for the resource itself). */
  public Validator validatorFor(String subresource) { return subresourceValidators.getOrDefault(subresource, validator); }

  /** Whether objects of this resource live in the store (false for reviews). */
  public boolean stored() { return !createOnly.containsKey(""); }

  /** Decides how long a deletion waits; see {@link ResourceStrategy#gracefulDeletion}. */
  @FunctionalInterface
  public interface GracePeriodPolicy {
    long gracePeriodSeconds(JsonNode object, Long requested);

    GracePeriodPolicy IMMEDIATE = (o, r) -> 0;
  }

  public static Builder builder() { return new Builder(); }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.defaulter = defaulter;
    b.validator = validator;
    b.table = table;
    b.selectableFields = selectableFields;
    b.selectableFieldNames = selectableFieldNames;
    b.statusSubresource = statusSubresource;
    b.tracksGeneration = tracksGeneration;
    b.allowCreateOnUpdate = allowCreateOnUpdate;
    b.prepareForCreate = prepareForCreate;
    b.prepareForUpdate = prepareForUpdate;
    b.afterDelete = afterDelete;
    b.gracefulDeletion = gracefulDeletion;
    b.scale = scale;
    b.nameRule = nameRule;
    b.finalizationPending = finalizationPending;
    b.markedForDeletion = markedForDeletion;
    b.conversion = conversion;
    b.createOnly = new java.util.HashMap<>(createOnly);
    b.subresourceValidators = new java.util.HashMap<>(subresourceValidators);
    return b;
  }

  /** Builder with the defaults of a plain kind (no status, no generation, immediate deletion). */
  public static final class Builder {
    private Defaulter defaulter = Defaulter.NONE;
    private Validator validator = Validator.NONE;
    private TableConvertor table;
    private Function<JsonNode, Map<String, String>> selectableFields = o -> Map.of();
    private Set<String> selectableFieldNames = Set.of();
    private boolean statusSubresource;
    private boolean tracksGeneration;
    private boolean allowCreateOnUpdate;
    private ObjectHook prepareForCreate = ObjectHook.NONE;
    private ObjectHook prepareForUpdate = ObjectHook.NONE;
    private ObjectHook afterDelete = ObjectHook.NONE;
    private GracePeriodPolicy gracefulDeletion = GracePeriodPolicy.IMMEDIATE;
    private ScaleSpec scale;
    private NameRule nameRule = NameRule.DNS_SUBDOMAIN;
    private java.util.function.Predicate<JsonNode> finalizationPending = o -> false;
    private ObjectHook markedForDeletion = ObjectHook.NONE;
    private StorageConversion conversion;
    private Map<String, CreateOnly> createOnly = new java.util.HashMap<>();
    private Map<String, Validator> subresourceValidators = new java.util.HashMap<>();

    public Builder defaulter(Defaulter d) { defaulter = d; return this; }
    public Builder validator(Validator v) { validator = v; return this; }
    public Builder table(TableConvertor t) { table = t; return this; }

    public Builder selectableFields(Set<String> names, Function<JsonNode, Map<String, String>> fields) {
      selectableFieldNames = Set.copyOf(names);
      selectableFields = fields;
      return this;
    }

    /** Main resource writes keep the old status; create resets it (with {@link #prepareForCreate} to seed it). */
    public Builder statusSubresource() { statusSubresource = true; return this; }
    public Builder tracksGeneration() { tracksGeneration = true; return this; }
    public Builder allowCreateOnUpdate() { allowCreateOnUpdate = true; return this; }
    public Builder prepareForCreate(ObjectHook h) { prepareForCreate = prepareForCreate.andThen(h); return this; }
    public Builder prepareForUpdate(ObjectHook h) { prepareForUpdate = prepareForUpdate.andThen(h); return this; }
    public Builder afterDelete(ObjectHook h) { afterDelete = afterDelete.andThen(h); return this; }
    public Builder gracefulDeletion(GracePeriodPolicy p) { gracefulDeletion = p; return this; }
    public Builder scale(ScaleSpec s) { scale = s; return this; }
    public Builder nameRule(NameRule r) { nameRule = r; return this; }
    public Builder finalizationPending(java.util.function.Predicate<JsonNode> p) { finalizationPending = p; return this; }
    public Builder markedForDeletion(ObjectHook h) { markedForDeletion = markedForDeletion.andThen(h); return this; }
    public Builder conversion(StorageConversion c) { conversion = c; return this; }
    /** The resource itself is never stored: see {@link CreateOnly}. */
    public Builder createOnly(CreateOnly c) { createOnly.put("", c); return this; }
    /** A never-stored subresource (serviceaccounts/token). */
    public Builder createOnly(String subresource, CreateOnly c) { createOnly.put(subresource, c); return this; }
    /** Updates through {@code subresource} are validated by {@code v} instead of the kind's validator. */
    public Builder subresourceValidator(String subresource, Validator v) { subresourceValidators.put(subresource, v); return this; }

    public ResourceStrategy build() {
      return new ResourceStrategy(defaulter, validator, table, selectableFields, selectableFieldNames, statusSubresource,
          tracksGeneration, allowCreateOnUpdate, prepareForCreate, prepareForUpdate, afterDelete, gracefulDeletion, scale, nameRule,
          finalizationPending, markedForDeletion, conversion, Map.copyOf(createOnly), Map.copyOf(subresourceValidators));
    }
  }
}
