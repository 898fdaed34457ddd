package io.kava.apiserver.apply;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ResourceDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One server-side apply request (PATCH with {@code application/apply-patch+yaml}), parsed and checked once and
 * applied to each attempt's live object.
 *
 * <p>The configuration is merged into the live object by the list and map semantics of the kind's schema
 * ({@link Merger}); the applier's entry then owns exactly the fields the configuration specifies
 * ({@link AppliedFields}); fields it applied last time and no longer specifies are removed unless another manager
 * owns them. A change to a field another manager owns is a conflict (409, upstream's message and causes) unless the
 * request forces, which moves the field to the applier. Fields that no change touched are shared with their other
 * owners. Reapplying the same configuration changes nothing, not even the entry's time.
 *
 * <p>As upstream, the applier {@code kubectl} may take fields from client-side apply without conflicts where the
 * {@code kubectl.kubernetes.io/last-applied-configuration} annotation shows the live value is the one last applied,
 * and keeps that annotation in step with what it applies.
 */
public final class ApplyPatch {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  static final String KUBECTL = "kubectl";
  private static final ObjectMapper YAML = YAMLMapper.builder().build();
  /** What an apply to /status may set: the status and these metadata fields. */
  private static final Set<String> STATUS_METADATA = Set.of("name", "namespace", "labels", "annotations", "resourceVersion", "uid");

  private final FieldManager manager;
  private final ResourceDefinition def;
  private final ApplyType root;
  private final String subresource;
  private final String applier;
  private final boolean force;
  private final ObjectNode original; // as sent (for last-applied-configuration)
  private final ObjectNode config;   // without the fields the endpoint resets
  private final FieldSet applied;    // the fields config specifies; never modified

  private ApplyPatch(FieldManager manager, ResourceDefinition def, ApplyType root, String subresource, String applier, boolean force,
                     ObjectNode original, ObjectNode config, FieldSet applied) {
    this.manager = manager;
    this.def = def;
    this.root = root;
    this.subresource = subresource;
    this.applier = applier;
    this.force = force;
    this.original = original;
    this.config = config;
    this.applied = applied;
  }

  /** Parses a YAML or JSON body into an object (upstream's "error decoding YAML" for anything else). */
  static ObjectNode parse(byte[] body) {
    if (body == null || body.length == 0) return Json.object();
    JsonNode n = null;
    int first = 0;
    while (first < body.length && Character.isWhitespace(body[first])) first++;
    if (first < body.length && body[first] == '{') {
      try {
        n = Json.MAPPER.readTree(body); // JSON (what kubectl and most clients send) is YAML; parse it the fast way
      } catch (JacksonException e) {
        n = null; // a YAML flow mapping
      }
    }
    if (n == null) {
      try {
        n = YAML.readTree(body);
      } catch (JacksonException e) {
        throw StatusException.badRequest("error decoding YAML: " + e.getOriginalMessage());
      }
    }
    if (n == null || n.isNull() || n.isMissingNode()) return Json.object();
    if (!(n instanceof ObjectNode o)) {
      throw StatusException.badRequest("error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
          + (n.isArray() ? "array" : n.isString() ? "string" : n.isNumber() ? "number" : n.isBoolean() ? "bool" : "value")
          + " into Go value of type map[string]interface {}");
    }
    return o;
  }

  static ApplyPatch prepare(FieldManager manager, ResourceDefinition def, String subresource, ObjectNode original, String applier, boolean force) {
    String version = original.path("apiVersion").asString("");
    if (!version.equals(def.apiVersion())) {
      throw StatusException.badRequest("Incorrect version specified in apply patch. Specified patch version: " + version
          + ", expected: " + def.apiVersion());
    }
    JsonNode meta = original.get("metadata");
    if (meta != null && meta.isObject() && meta.has("managedFields") && !meta.get("managedFields").isNull()) {
      throw StatusException.badRequest("metadata.managedFields must be nil");
    }
    ObjectNode config = resetFieldsRemoved(def, subresource, original);
    ApplyType root = manager.typeOf(def);
    FieldSet applied;
    try {
      applied = AppliedFields.of(config, root);
    } catch (InvalidObjectException e) {
      throw typedPatchError(def, original, e.getMessage());
    }
    return new ApplyPatch(manager, def, root, subresource, applier, force, original, config, applied);
  }

  /** Upstream's reset fields: the main resource does not apply status (when it has /status); /status applies only it. */
  private static ObjectNode resetFieldsRemoved(ResourceDefinition def, String subresource, ObjectNode original) {
    if (subresource.isEmpty()) {
      if (!def.strategy().statusSubresource() || !original.has("status")) return original;
      ObjectNode c = original.deepCopy();
      c.remove("status");
      return c;
    }
    ObjectNode c = Json.object();
    for (Map.Entry<String, JsonNode> e : original.properties()) {
      String f = e.getKey();
      if (f.equals("apiVersion") || f.equals("kind") || f.equals(subresource)) c.set(f, e.getValue());
    }
    JsonNode meta = original.get("metadata");
    if (meta != null && meta.isObject()) {
      ObjectNode m = c.putObject("metadata");
      for (Map.Entry<String, JsonNode> e : meta.properties()) if (STATUS_METADATA.contains(e.getKey())) m.set(e.getKey(), e.getValue());
    }
    return c;
  }

  private static StatusException typedPatchError(ResourceDefinition def, JsonNode object, String detail) {
    String ns = object.path("metadata").path("namespace").asString("");
    String name = object.path("metadata").path("name").asString("");
    String gvk = def.group().isEmpty() ? "/" + def.version() : def.group() + "/" + def.version();
    return StatusException.internal("failed to create typed patch object (" + (ns.isEmpty() ? "" : ns + "/") + name + "; "
        + gvk + ", Kind=" + def.kind() + "): " + detail);
  }

  /** The fields this apply specifies (its entry's set after a successful apply). */
  public FieldSet appliedFields() { return applied.copy(); }

  public String manager() { return applier; }

  public boolean force() { return force; }

  /**
   * For an apply to a missing object: the object to create (with its Apply entry), or null through a subresource
   * (which cannot create). The configuration must name the object.
   *
   * @throws StatusException 400 when the configuration's name or namespace differs from the request's
   */
  public ObjectNode createIfMissing(String namespace, String name) {
    if (!subresource.isEmpty()) return null;
    JsonNode meta = config.path("metadata");
    String bodyName = meta.path("name").asString("");
    if (bodyName.isEmpty()) {
      throw StatusException.badRequest("the name of the object (" + name + " based on URL) was undeterminable: name or generateName is required");
    }
    checkIdentity(bodyName, meta.path("namespace").asString(""), name, namespace);
    return apply(Json.object());
  }

  private static void checkIdentity(String bodyName, String bodyNamespace, String name, String namespace) {
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw StatusException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
    }
    if (namespace != null && !namespace.isEmpty() && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
      throw StatusException.badRequest("the namespace of the object (" + bodyNamespace + ") does not match the namespace on the request (" + namespace + ")");
    }
  }

  /**
   * Applies to {@code live} (not modified; the result shares its unchanged parts) and returns the object to store,
   * with managedFields. When nothing would change, the result equals {@code live}, managedFields included.
   *
   * @throws StatusException 409 Conflict with upstream's message and FieldManagerConflict causes
   */
  public ObjectNode apply(ObjectNode live) {
    JsonNode liveMeta = live.path("metadata");
    if (liveMeta.has("name")) {
      checkIdentity(config.path("metadata").path("name").asString(""), config.path("metadata").path("namespace").asString(""),
          liveMeta.path("name").asString(""), liveMeta.path("namespace").asString(""));
    }
    JsonNode storedJson = liveMeta.get("managedFields");
    List<ManagedFieldsEntry> entries;
    try {
      entries = ManagedFields.decodeStored(storedJson);
    } catch (IllegalArgumentException e) {
      throw StatusException.internal("failed to decode managed fields: " + e.getMessage());
    }
    List<ManagedFieldsEntry> before = copies(entries);
    String now = manager.now();
    if (entries.isEmpty() && liveMeta.has("name")) {
      // An object written before fields were tracked: what it holds belongs to "before-first-apply" (upstream).
      FieldSet existing = Comparison.of(ZeroValues.of(def), live, root).changed();
      if (!existing.isEmpty()) {
        entries.add(new ManagedFieldsEntry(FieldManager.BEFORE_FIRST_APPLY, ManagedFieldsEntry.UPDATE, def.apiVersion(), now, subresource, existing));
      }
    }
    ManagedFieldsEntry mine = ManagedFields.find(entries, applier, ManagedFieldsEntry.APPLY, null, subresource);
    FieldSet last = mine == null ? null : mine.fields();
    FieldSet keep = null;
    if (last != null && !last.isEmpty()) {
      keep = applied.copy();
      for (ManagedFieldsEntry e : entries) if (e != mine) keep.addAll(e.fields());
    }
    ObjectNode merged = Merger.merge(live, config, root, last, keep);
    Comparison c = Comparison.of(live, merged, root);

    FieldSet changed = c.changed();
    List<Conflict> conflicts = new ArrayList<>();
    for (ManagedFieldsEntry e : entries) {
      if (e == mine || !e.touches(changed)) continue;
      FieldSet x = e.fields().intersection(changed);
      if (!x.isEmpty()) conflicts.add(new Conflict(e, x));
    }
    if (!conflicts.isEmpty() && !force) {
      List<Conflict> remaining = KUBECTL.equals(applier) ? LastApplied.notAllowed(conflicts, live, root) : conflicts;
      if (!remaining.isEmpty()) throw Conflict.error(remaining);
    }
    for (Conflict x : conflicts) x.entry().fields().removeAll(x.fields());
    for (ManagedFieldsEntry e : entries) if (e != mine && e.touches(c.removed)) e.fields().removeAll(c.removed);
    if (mine != null) entries.remove(mine);
    entries.add(new ManagedFieldsEntry(applier, ManagedFieldsEntry.APPLY, def.apiVersion(), now, subresource, applied.copy()));
    FieldManager.capUpdateManagers(entries);

    ObjectNode meta = merged.withObject("metadata"); // a new node: config always has metadata (see Merger.merge)
    boolean annotationChanged = KUBECTL.equals(applier) && LastApplied.sync(meta, original);
    if (c.isEmpty() && !annotationChanged && sameIgnoringTime(before, entries)) {
      if (storedJson == null) meta.remove("managedFields");
      else meta.set("managedFields", storedJson);
      return merged;
    }
    ManagedFields.write(meta, entries);
    return merged;
  }

  private static List<ManagedFieldsEntry> copies(List<ManagedFieldsEntry> entries) {
    List<ManagedFieldsEntry> out = new ArrayList<>(entries.size());
    for (ManagedFieldsEntry e : entries) out.add(e.copy());
    return out;
  }

  /** Upstream ignores an apply whose only change is its entry's time. */
  private static boolean sameIgnoringTime(List<ManagedFieldsEntry> before, List<ManagedFieldsEntry> after) {
    Map<String, ManagedFieldsEntry> b = nonEmpty(before);
    Map<String, ManagedFieldsEntry> a = nonEmpty(after);
    if (!a.keySet().equals(b.keySet())) return false;
    for (Map.Entry<String, ManagedFieldsEntry> e : a.entrySet()) if (!e.getValue().sameFields(b.get(e.getKey()))) return false;
    return true;
  }

  private static Map<String, ManagedFieldsEntry> nonEmpty(List<ManagedFieldsEntry> entries) {
    Map<String, ManagedFieldsEntry> m = new LinkedHashMap<>();
    for (ManagedFieldsEntry e : entries) {
      if (e.isEmpty()) continue;
      m.put(e.manager() + "\0" + e.operation() + "\0" + e.apiVersion() + "\0" + e.subresource(), e);
    }
    return m;
  }
}
