package io.kava.apiserver.apply;

import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import io.kava.apiserver.registry.validation.GoValue;
import java.util.Comparator;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code metadata.managedFields} entry: who ({@link #manager}, {@link #operation}, {@link #apiVersion},
 * {@link #subresource}) owns which {@link #fields}, since when. Entries are identified by manager, operation,
 * subresource and, for Update entries only, apiVersion (an applier keeps one entry whatever version it applies with).
 *
 * <p>The field set and time are mutable while the server computes a write; the identity is not. Entries read from a
 * stored object keep their FieldsV1 JSON and decode it only when a write touches them ({@link #touches}), so that a
 * write re-encodes only the entries it changes.
 */
public final class ManagedFieldsEntry {
  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";
  public static final String FIELDS_V1 = "FieldsV1";

  /** Upstream's order of entries: by operation (Apply first), time, manager, apiVersion, subresource. */
  static final Comparator<ManagedFieldsEntry> ORDER = Comparator.comparing((ManagedFieldsEntry e) -> e.operation)
      .thenComparingLong(ManagedFieldsEntry::epochSecond)
      .thenComparing(e -> e.manager)
      .thenComparing(e -> e.apiVersion)
      .thenComparing(e -> e.subresource);

  private final String manager;
  private final String operation;
  private String apiVersion;
  private final String subresource;
  private String time; // RFC 3339 seconds, or null
  private FieldSet fields;  // null while only the stored JSON is known
  private JsonNode stored;  // canonical FieldsV1 as stored (see ManagedFields.decodeStored); null once decoded

  public ManagedFieldsEntry(String manager, String operation, String apiVersion, String time, String subresource, FieldSet fields) {
    this.manager = manager == null ? "" : manager;
    this.operation = operation == null ? "" : operation;
    this.apiVersion = apiVersion == null ? "" : apiVersion;
    this.time = time;
    this.subresource = subresource == null ? "" : subresource;
    this.fields = fields;
  }

  public String manager() { return manager; }
  public String operation() { return operation; }
  public String apiVersion() { return apiVersion; }
  public String subresource() { return subresource; }
  public String time() { return time; }
  /** The field set (decoded on first use; changes to it are the entry's). */
  public FieldSet fields() {
    if (fields == null) {
      fields = FieldSet.fromFieldsV1(stored);
      stored = null;
    }
    return fields;
  }

  /** Whether no field is owned. */
  boolean isEmpty() { return fields != null ? fields.isEmpty() : stored == null || stored.isEmpty(); }

  /** Whether the entry owns a member of {@code s}, without decoding a stored entry. */
  boolean touches(FieldSet s) { return fields != null ? fields.intersects(s) : FieldSet.overlaps(s, stored); }

  /** Same owned fields (comparing stored JSON directly when neither side was decoded). */
  boolean sameFields(ManagedFieldsEntry o) {
    if (fields == null && o.fields == null) return Objects.equals(stored, o.stored);
    return fields().equals(o.fields());
  }

  static ManagedFieldsEntry stored(String manager, String operation, String apiVersion, String time, String subresource, JsonNode fieldsV1) {
    ManagedFieldsEntry e = new ManagedFieldsEntry(manager, operation, apiVersion, time, subresource, null);
    e.stored = fieldsV1 == null || fieldsV1.isNull() ? Json.object() : fieldsV1;
    return e;
  }

  boolean applied() { return APPLY.equals(operation); }

  void fields(FieldSet s) { fields = s; }
  void time(String t) { time = t; }
  void apiVersion(String v) { apiVersion = v; }

  /** Whether this entry is the one {@code (manager, operation, apiVersion, subresource)} writes to. */
  boolean identifies(String manager, String operation, String apiVersion, String subresource) {
    return this.manager.equals(manager) && this.operation.equals(operation) && this.subresource.equals(subresource)
        && (APPLY.equals(operation) || this.apiVersion.equals(apiVersion));
  }

  boolean sameIdentity(ManagedFieldsEntry o) { return identifies(o.manager, o.operation, o.apiVersion, o.subresource); }

  long epochSecond() {
    if (time == null || time.isEmpty()) return 0;
    try {
      return Timestamps.parseTime(time).getEpochSecond();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * How upstream names the entry in conflict messages: {@code "m"}, {@code "m" using apps/v1},
   * {@code "m" with subresource "status" using v1}.
   */
  String describe() {
    String s = GoValue.quote(manager);
    if (!subresource.isEmpty()) s += " with subresource " + GoValue.quote(subresource);
    if (UPDATE.equals(operation)) s += " using " + apiVersion;
    return s;
  }

  ManagedFieldsEntry copy() {
    if (fields == null) return stored(manager, operation, apiVersion, time, subresource, stored);
    return new ManagedFieldsEntry(manager, operation, apiVersion, time, subresource, fields.copy());
  }

  /** The JSON form, fields in upstream's order. */
  ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("manager", manager);
    o.put("operation", operation);
    o.put("apiVersion", apiVersion);
    if (time != null) o.put("time", time);
    o.put("fieldsType", FIELDS_V1);
    o.set("fieldsV1", fields != null ? fields.toFieldsV1() : stored);
    if (!subresource.isEmpty()) o.put("subresource", subresource);
    return o;
  }

  /**
   * Parses one entry.
   *
   * @throws IllegalArgumentException when it cannot be decoded (as upstream: an operation other than Apply or Update, no
   *                                  apiVersion, a fieldsType other than FieldsV1, a malformed fieldsV1)
   */
  static ManagedFieldsEntry fromJson(JsonNode e, boolean trusted) {
    if (!e.isObject()) throw new IllegalArgumentException("managedFields entries must be objects");
    String operation = text(e, "operation");
    if (!operation.equals(APPLY) && !operation.equals(UPDATE)) throw new IllegalArgumentException("operation must be `Apply` or `Update`");
    if (text(e, "apiVersion").isEmpty()) throw new IllegalArgumentException("apiVersion must not be empty");
    String fieldsType = text(e, "fieldsType");
    if (!FIELDS_V1.equals(fieldsType)) throw new IllegalArgumentException("invalid fieldsType \"" + fieldsType + "\"");
    String time = e.hasNonNull("time") ? e.get("time").asString() : null;
    JsonNode f = e.get("fieldsV1");
    if (trusted && (f == null || f.isObject())) return stored(text(e, "manager"), text(e, "operation"), text(e, "apiVersion"), time, text(e, "subresource"), f);
    return new ManagedFieldsEntry(text(e, "manager"), text(e, "operation"), text(e, "apiVersion"), time, text(e, "subresource"), FieldSet.fromFieldsV1(f));
  }

  private static String text(JsonNode o, String f) {
    JsonNode v = o.get(f);
    return v == null || v.isNull() ? "" : v.asString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ManagedFieldsEntry e && sameIdentity(e) && apiVersion.equals(e.apiVersion) && Objects.equals(time, e.time)
        && sameFields(e);
  }

  @Override
  public int hashCode() { return Objects.hash(manager, operation, subresource, apiVersion); }

  @Override
  public String toString() { return Json.MAPPER.writeValueAsString(toJson()); }
}
