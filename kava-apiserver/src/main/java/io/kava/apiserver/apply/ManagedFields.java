package io.kava.apiserver.apply;

import io.kava.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes {@code metadata.managedFields}. */
public final class ManagedFields {
  private ManagedFields() {}

  /**
   * The entries of a {@code managedFields} value (absent or null: none). Entries with the same identity are merged.
   *
   * @throws IllegalArgumentException when an entry cannot be decoded (not FieldsV1, malformed fieldsV1)
   */
  public static List<ManagedFieldsEntry> decode(JsonNode managedFields) { return decode(managedFields, false); }

  /**
   * The entries of a stored object: the server wrote them, so their FieldsV1 is canonical and is decoded only when
   * needed (see {@link ManagedFieldsEntry#touches}).
   */
  static List<ManagedFieldsEntry> decodeStored(JsonNode managedFields) { return decode(managedFields, true); }

  private static List<ManagedFieldsEntry> decode(JsonNode managedFields, boolean trusted) {
    List<ManagedFieldsEntry> out = new ArrayList<>();
    if (managedFields == null || managedFields.isNull() || managedFields.isMissingNode()) return out;
    if (!managedFields.isArray()) throw new IllegalArgumentException("managedFields must be a list");
    for (JsonNode e : managedFields) {
      ManagedFieldsEntry entry = ManagedFieldsEntry.fromJson(e, trusted);
      ManagedFieldsEntry same = find(out, entry);
      if (same == null) out.add(entry);
      else same.fields().addAll(entry.fields());
    }
    return out;
  }

  /** The entries of an object's metadata. */
  public static List<ManagedFieldsEntry> of(JsonNode object) { return decode(object.path("metadata").get("managedFields")); }

  private static ManagedFieldsEntry find(List<ManagedFieldsEntry> entries, ManagedFieldsEntry like) {
    for (ManagedFieldsEntry e : entries) if (e.sameIdentity(like)) return e;
    return null;
  }

  static ManagedFieldsEntry find(List<ManagedFieldsEntry> entries, String manager, String operation, String apiVersion, String subresource) {
    for (ManagedFieldsEntry e : entries) if (e.identifies(manager, operation, apiVersion, subresource)) return e;
    return null;
  }

  /** The JSON of the non-empty entries in upstream's order, or null when none is left. */
  public static ArrayNode encode(List<ManagedFieldsEntry> entries) {
    List<ManagedFieldsEntry> kept = new ArrayList<>(entries.size());
    for (ManagedFieldsEntry e : entries) if (!e.isEmpty()) kept.add(e);
    if (kept.isEmpty()) return null;
    kept.sort(ManagedFieldsEntry.ORDER);
    ArrayNode a = Json.NODES.arrayNode(kept.size());
    for (ManagedFieldsEntry e : kept) a.add(e.toJson());
    return a;
  }

  /** Writes {@code entries} into {@code metadata} (removing the field when no entry is left). */
  static void write(ObjectNode metadata, List<ManagedFieldsEntry> entries) {
    ArrayNode a = encode(entries);
    if (a == null) metadata.remove("managedFields");
    else metadata.set("managedFields", a);
  }
}
