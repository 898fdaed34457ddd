package io.kava.apiserver.apply;

import io.kava.api.time.Timestamps;
import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.NameValidation;
import io.kava.api.validation.ObjectMetaValidation;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ResourceDefinition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Field ownership (upstream's field manager): keeps {@code metadata.managedFields} on every write and implements
 * server-side apply.
 *
 * <ul>
 *   <li>{@link #recordCreate} / {@link #recordUpdate}: a create, update or non-apply patch is an <em>Update</em> by
 *       its manager. The manager takes every field the write added or changed (taking them from other managers,
 *       appliers included: updates never conflict); removed fields leave every manager. The manager's Update entry
 *       (one per manager, apiVersion and subresource) accumulates and its time is the last write that changed a field.
 *       Entries left without fields are dropped.</li>
 *   <li>{@link #prepareApply}: a server-side apply (see {@link ApplyPatch}).</li>
 * </ul>
 *
 * <p>What a client sends in {@code managedFields} on a create or update is taken as the starting point when it is a
 * non-empty list that decodes; a list of one empty entry ({@code [{}]}) starts from nothing, which clears the field
 * (the writer still owns what the same request changes). An absent or empty list, or one that does not decode, means
 * "keep the stored entries", so clients unaware of the field cannot strip it. Writes through a subresource always
 * start from the stored entries. Stored entries that do not decode are dropped rather than failing the write.
 *
 * <p>Cost: one walk over the old and new object per write plus set operations proportional to the entries; nothing is
 * deep-copied. Immutable and thread-safe.
 */
public final class FieldManager {
  /** The Update manager that owns what existed before the first apply to an object without managedFields. */
  public static final String BEFORE_FIRST_APPLY = "before-first-apply";
  /** The bucket older Update entries are merged into beyond {@link #MAX_UPDATE_MANAGERS}. */
  public static final String ANCIENT_CHANGES = "ancient-changes";
  /** How many Update entries an object keeps (upstream's DefaultMaxUpdateManagers). */
  public static final int MAX_UPDATE_MANAGERS = 10;
  /** Upstream's FieldManagerMaxLength. */
  static final int MAX_MANAGER_LENGTH = 128;

  private final TypeResolver types;
  private final Clock clock;

  public FieldManager(TypeResolver types, Clock clock) {
    this.types = Objects.requireNonNull(types);
    this.clock = Objects.requireNonNull(clock);
  }

  /** The built-in kinds' types; custom resources are treated as untyped until a schema resolver is put in front. */
  public static FieldManager builtIn(Clock clock) { return new FieldManager(TypeResolver.BUILT_IN, clock); }

  public TypeResolver types() { return types; }

  /** This manager with another type resolver (e.g. CRD schemas in front of the built-in kinds). */
  public FieldManager withTypes(TypeResolver resolver) { return new FieldManager(resolver, clock); }

  ApplyType typeOf(ResourceDefinition def) { return TypeResolver.resolve(types, def); }

  String now() { return Timestamps.formatTime(clock.instant()); }

  // ---------------------------------------------------------------- Update

  /**
   * Records a create by {@code manager} in {@code created}'s managedFields: it owns every field the object sets
   * (compared with the kind's zero value). Call after defaulting, before kind hooks fill in server-owned fields.
   *
   * @param manager null records no entry (internal writes)
   */
  public void recordCreate(ResourceDefinition def, ObjectNode created, String manager) {
    record(def, ZeroValues.of(def), created, "", manager);
  }

  /**
   * Records an update of {@code current} to {@code updated} by {@code manager} in {@code updated}'s managedFields.
   * Writes through {@code binding} and {@code finalize} record nothing (their fields are the server's).
   *
   * @param subresource "" for the main resource, else e.g. "status", "scale"
   * @param manager     null records no entry (internal writes), but still moves changed fields away from others
   */
  public void recordUpdate(ResourceDefinition def, ObjectNode current, ObjectNode updated, String subresource, String manager) {
    if (subresource.equals("binding") || subresource.equals("finalize")) {
      copyManagedFields(current, updated);
      return;
    }
    record(def, current, updated, subresource, manager);
  }

  private void record(ResourceDefinition def, JsonNode before, ObjectNode updated, String subresource, String manager) {
    ObjectNode meta = updated.withObject("metadata");
    JsonNode sent = meta.get("managedFields");
    JsonNode stored = before.path("metadata").get("managedFields");
    // What the client sent counts when it is a non-empty list other than the stored one (patches carry the stored one).
    boolean fromClient = subresource.isEmpty() && sent != null && sent.isArray() && !sent.isEmpty() && !sent.equals(stored);
    List<ManagedFieldsEntry> entries = null;
    if (fromClient) {
      if (isReset(sent)) {
        entries = new ArrayList<>();
      } else {
        try {
          entries = ManagedFields.decode(sent);
        } catch (IllegalArgumentException e) {
          fromClient = false; // not usable: keep the stored entries (upstream)
        }
      }
    }
    Comparison c = Comparison.of(before, updated, typeOf(def));
    if (c.isEmpty() && !fromClient) {
      copyManagedFields(before, updated); // nothing changed: the stored entries stay byte for byte
      return;
    }
    if (entries == null) {
      try {
        entries = ManagedFields.decodeStored(stored);
      } catch (IllegalArgumentException e) {
        meta.remove("managedFields"); // upstream drops what it cannot decode rather than failing the write
        return;
      }
    }
    if (!c.isEmpty()) {
      FieldSet changed = c.changed();
      for (ManagedFieldsEntry e : entries) {
        if (e.touches(changed)) e.fields().removeAll(changed);
        if (e.touches(c.removed)) e.fields().removeAll(c.removed);
      }
      if (manager != null && !changed.isEmpty()) {
        ManagedFieldsEntry mine = ManagedFields.find(entries, manager, ManagedFieldsEntry.UPDATE, def.apiVersion(), subresource);
        if (mine == null) {
          entries.add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.UPDATE, def.apiVersion(), now(), subresource, changed));
        } else {
          mine.fields().addAll(changed);
          mine.time(now());
        }
      }
    }
    capUpdateManagers(entries);
    ManagedFields.write(meta, entries);
  }

  /** {@code [{}]}: one entry with nothing set, the documented way to clear managedFields. */
  private static boolean isReset(JsonNode sent) {
    if (sent.size() != 1 || !sent.get(0).isObject()) return false;
    for (java.util.Map.Entry<String, JsonNode> e : sent.get(0).properties()) {
      JsonNode v = e.getValue();
      if (!(v.isNull() || (v.isString() && v.asString().isEmpty()) || (v.isContainer() && v.isEmpty()))) return false;
    }
    return true;
  }

  private static void copyManagedFields(JsonNode from, ObjectNode to) {
    JsonNode mf = from.path("metadata").get("managedFields");
    ObjectNode meta = to.withObject("metadata");
    if (mf == null || mf.isNull()) meta.remove("managedFields");
    else meta.set("managedFields", mf);
  }

  /** Merges the oldest Update entries into {@link #ANCIENT_CHANGES} buckets (one per apiVersion) beyond the cap. */
  static void capUpdateManagers(List<ManagedFieldsEntry> entries) {
    List<ManagedFieldsEntry> updaters = new ArrayList<>();
    for (ManagedFieldsEntry e : entries) if (!e.applied() && !e.isEmpty()) updaters.add(e);
    int count = updaters.size();
    if (count <= MAX_UPDATE_MANAGERS) return;
    updaters.sort(Comparator.comparingLong(ManagedFieldsEntry::epochSecond).thenComparing(ManagedFieldsEntry::manager));
    for (ManagedFieldsEntry e : updaters) {
      if (count <= MAX_UPDATE_MANAGERS) break;
      if (e.manager().equals(ANCIENT_CHANGES) && e.subresource().isEmpty()) continue;
      ManagedFieldsEntry bucket = ManagedFields.find(entries, ANCIENT_CHANGES, ManagedFieldsEntry.UPDATE, e.apiVersion(), "");
      entries.remove(e);
      if (bucket == null) {
        entries.add(new ManagedFieldsEntry(ANCIENT_CHANGES, ManagedFieldsEntry.UPDATE, e.apiVersion(), e.time(), "", e.fields()));
      } else {
        bucket.fields().addAll(e.fields());
        bucket.time(e.time());
        count--;
      }
    }
  }

  // ---------------------------------------------------------------- Apply

  /**
   * Parses and checks a server-side apply body once (a retry after a write conflict reapplies the result).
   *
   * @param subresource "" or "status" (the body is the whole object; only the subresource's fields are applied)
   * @param manager     the fieldManager parameter (required)
   * @throws StatusException 400 for a body that is not a YAML or JSON object, has the wrong apiVersion or carries
   *                         managedFields; 422 without a fieldManager; 500 when a list cannot be keyed
   */
  public ApplyPatch prepareApply(ResourceDefinition def, String subresource, byte[] body, String manager, boolean force) {
    if (manager == null || manager.isEmpty()) {
      throw StatusException.invalid("meta.k8s.io", "PatchOptions", "", List.of(FieldError.required("fieldManager", "is required for apply patch")));
    }
    return ApplyPatch.prepare(this, def, subresource, ApplyPatch.parse(body), manager, force);
  }

  // ---------------------------------------------------------------- managers

  /**
   * The manager of a write: the {@code fieldManager} parameter when given (checked as upstream does: at most 128
   * bytes of printable characters), else the program name the User-Agent starts with ({@code kubectl/v1.30.0 (linux)}
   * gives {@code kubectl}).
   *
   * @param method the HTTP method, naming the options kind in errors (POST: CreateOptions, PUT: UpdateOptions,
   *               PATCH: PatchOptions)
   * @throws StatusException 422 for an invalid fieldManager parameter
   */
  public static String managerOf(String method, String fieldManager, String userAgent) {
    if (fieldManager != null) {
      List<FieldError> errs = ObjectMetaValidation.validateFieldManager(fieldManager, FieldPath.of("fieldManager"));
      if (!errs.isEmpty()) {
        String kind = switch (method == null ? "" : method) {
          case "POST" -> "CreateOptions";
          case "PUT" -> "UpdateOptions";
          default -> "PatchOptions";
        };
        throw StatusException.invalid("meta.k8s.io", kind, "", errs);
      }
      if (!fieldManager.isEmpty()) return fieldManager;
    }
    return fromUserAgent(userAgent);
  }

  /** Upstream's prefixFromUserAgent: up to the first '/', printable characters only, at most 128 bytes. */
  public static String fromUserAgent(String userAgent) {
    if (userAgent == null) return "";
    int slash = userAgent.indexOf('/');
    String prefix = slash >= 0 ? userAgent.substring(0, slash) : userAgent;
    StringBuilder sb = new StringBuilder(prefix.length());
    int bytes = 0;
    for (int i = 0; i < prefix.length(); ) {
      int cp = prefix.codePointAt(i);
      i += Character.charCount(cp);
      if (!printable(cp)) continue;
      int len = NameValidation.utf8Length(cp);
      if (bytes + len > MAX_MANAGER_LENGTH) break;
      bytes += len;
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  private static boolean printable(int cp) {
    if (cp == ' ') return true;
    if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) return false;
    int t = Character.getType(cp);
    return t != Character.CONTROL && t != Character.FORMAT && t != Character.SURROGATE && t != Character.PRIVATE_USE
        && t != Character.UNASSIGNED;
  }
}
