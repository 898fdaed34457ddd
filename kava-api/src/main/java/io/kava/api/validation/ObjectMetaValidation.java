package io.kava.api.validation;

import io.kava.api.time.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Generic ObjectMeta validation with upstream's paths and messages (apimachinery api/validation/objectmeta.go, plus
 * the extra finalizer-name rule kube-apiserver applies to built-in kinds). Works on the JSON {@code metadata} node;
 * a null or missing node counts as empty. Paths start at {@code metadata}.
 *
 * <p>Order of errors follows upstream: generateName, name, namespace, generation, labels, annotations,
 * ownerReferences, finalizers, managedFields. Map entries are checked in document order (upstream's order is Go map
 * order, i.e. random).
 */
public final class ObjectMetaValidation {
  private ObjectMetaValidation() {}

  public static final String FIELD_IMMUTABLE = "field is immutable";
  /** TotalAnnotationSizeLimitB: 256 KiB over all keys and values. */
  public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
  public static final String IS_NEGATIVE = "must be greater than or equal to 0";
  public static final int FIELD_MANAGER_MAX_LENGTH = 128;
  public static final int MAX_SUBRESOURCE_NAME_LENGTH = 256;
  /** Finalizers a built-in object may carry without a domain prefix. */
  public static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

  private static final FieldPath METADATA = FieldPath.of("metadata");

  /**
   * Create validation for built-in kinds (core's ValidateObjectMeta): the generic rules plus "standard finalizer or
   * fully qualified" per finalizer. Name generation must already have happened.
   */
  public static List<FieldError> validate(JsonNode metadata, boolean namespaced, NameRule nameRule) {
    List<FieldError> errs = validateGeneric(metadata, namespaced, nameRule);
    errs.addAll(validateKubeFinalizerNames(field(metadata, "finalizers"), METADATA.child("finalizers")));
    return errs;
  }

  /** Create validation as apimachinery's ValidateObjectMetaAccessor (custom resources). */
  public static List<FieldError> validateGeneric(JsonNode metadata, boolean namespaced, NameRule nameRule) {
    FieldPath p = METADATA;
    List<FieldError> errs = new ArrayList<>(0);
    String generateName = text(field(metadata, "generateName"));
    if (!generateName.isEmpty()) {
      for (String msg : nameRule.validate(generateName, true)) {
        errs.add(FieldError.invalid(p.child("generateName").toString(), generateName, msg));
      }
    }
    String name = text(field(metadata, "name"));
    if (name.isEmpty()) {
      errs.add(FieldError.required(p.child("name").toString(), "name or generateName is required"));
    } else {
      for (String msg : nameRule.validate(name, false)) errs.add(FieldError.invalid(p.child("name").toString(), name, msg));
    }
    String namespace = text(field(metadata, "namespace"));
    if (namespaced) {
      if (namespace.isEmpty()) {
        errs.add(FieldError.required(p.child("namespace").toString(), ""));
      } else {
        for (String msg : NameValidation.nameIsDNSLabel(namespace, false)) {
          errs.add(FieldError.invalid(p.child("namespace").toString(), namespace, msg));
        }
      }
    } else if (!namespace.isEmpty()) {
      errs.add(FieldError.forbidden(p.child("namespace").toString(), "not allowed on this type"));
    }
    JsonNode generation = field(metadata, "generation");
    if (generation != null && generation.isNumber() && generation.asLong() < 0) {
      errs.add(FieldError.invalid(p.child("generation").toString(), generation.asLong(), IS_NEGATIVE));
    }
    errs.addAll(validateLabels(field(metadata, "labels"), p.child("labels")));
    errs.addAll(validateAnnotations(field(metadata, "annotations"), p.child("annotations")));
    errs.addAll(validateOwnerReferences(field(metadata, "ownerReferences"), p.child("ownerReferences")));
    errs.addAll(validateFinalizers(field(metadata, "finalizers"), p.child("finalizers")));
    errs.addAll(validateManagedFields(field(metadata, "managedFields"), p.child("managedFields")));
    return errs;
  }

  /** Update validation for built-in kinds (core's ValidateObjectMetaUpdate). */
  public static List<FieldError> validateUpdate(JsonNode metadata, JsonNode oldMetadata) {
    List<FieldError> errs = validateUpdateGeneric(metadata, oldMetadata);
    errs.addAll(validateKubeFinalizerNames(field(metadata, "finalizers"), METADATA.child("finalizers")));
    return errs;
  }

  /**
   * Update validation as apimachinery's ValidateObjectMetaAccessorUpdate: no new finalizers while deleting, a
   * resourceVersion is required (fill it in first for unconditional updates), generation may not go down, and name,
   * namespace, uid, creationTimestamp, deletionTimestamp and deletionGracePeriodSeconds are immutable; then labels,
   * annotations, ownerReferences and managedFields as on create.
   */
  public static List<FieldError> validateUpdateGeneric(JsonNode metadata, JsonNode oldMetadata) {
    FieldPath p = METADATA;
    List<FieldError> errs = new ArrayList<>(0);
    if (!isUnset(field(oldMetadata, "deletionTimestamp"))) {
      Set<String> extra = new TreeSet<>(strings(field(metadata, "finalizers")));
      extra.removeAll(strings(field(oldMetadata, "finalizers")));
      if (!extra.isEmpty()) {
        errs.add(FieldError.forbidden(p.child("finalizers").toString(),
            "no new finalizers can be added if the object is being deleted, found new finalizers " + goStringSlice(extra)));
      }
    }
    String rv = text(field(metadata, "resourceVersion"));
    if (rv.isEmpty()) errs.add(FieldError.invalid(p.child("resourceVersion").toString(), rv, "must be specified for an update"));
    long gen = longValue(field(metadata, "generation"));
    if (gen < longValue(field(oldMetadata, "generation"))) {
      errs.add(FieldError.invalid(p.child("generation").toString(), gen, "must not be decremented"));
    }
    for (String f : List.of("name", "namespace", "uid")) {
      String now = text(field(metadata, f));
      if (!now.equals(text(field(oldMetadata, f)))) errs.add(FieldError.invalid(p.child(f).toString(), now, FIELD_IMMUTABLE));
    }
    for (String f : List.of("creationTimestamp", "deletionTimestamp")) {
      JsonNode now = field(metadata, f);
      if (!sameTime(now, field(oldMetadata, f))) {
        errs.add(FieldError.invalid(p.child(f).toString(), isUnset(now) ? null : text(now), FIELD_IMMUTABLE));
      }
    }
    JsonNode grace = field(metadata, "deletionGracePeriodSeconds");
    JsonNode oldGrace = field(oldMetadata, "deletionGracePeriodSeconds");
    Long g = isUnset(grace) ? null : grace.asLong();
    Long og = isUnset(oldGrace) ? null : oldGrace.asLong();
    if (!Objects.equals(g, og)) errs.add(FieldError.invalid(p.child("deletionGracePeriodSeconds").toString(), g, FIELD_IMMUTABLE));

    errs.addAll(validateLabels(field(metadata, "labels"), p.child("labels")));
    errs.addAll(validateAnnotations(field(metadata, "annotations"), p.child("annotations")));
    errs.addAll(validateOwnerReferences(field(metadata, "ownerReferences"), p.child("ownerReferences")));
    errs.addAll(validateManagedFields(field(metadata, "managedFields"), p.child("managedFields")));
    return errs;
  }

  /** ValidateLabels: each key a qualified name, each value a label value; errors at {@code path} itself. */
  public static List<FieldError> validateLabels(JsonNode labels, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(0);
    if (labels == null || !labels.isObject()) return errs;
    for (Map.Entry<String, JsonNode> e : labels.properties()) {
      for (String msg : NameValidation.isQualifiedName(e.getKey())) errs.add(FieldError.invalid(path.toString(), e.getKey(), msg));
      String v = text(e.getValue());
      for (String msg : NameValidation.isValidLabelValue(v)) errs.add(FieldError.invalid(path.toString(), v, msg));
    }
    return errs;
  }

  /** ValidateAnnotations: keys are qualified names once lower-cased; keys plus values at most 256 KiB. */
  public static List<FieldError> validateAnnotations(JsonNode annotations, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(0);
    if (annotations == null || !annotations.isObject()) return errs;
    long total = 0;
    for (Map.Entry<String, JsonNode> e : annotations.properties()) {
      String k = e.getKey();
      for (String msg : NameValidation.isQualifiedName(k.toLowerCase(java.util.Locale.ROOT))) {
        errs.add(FieldError.invalid(path.toString(), k, msg));
      }
      total += NameValidation.byteLength(k) + NameValidation.byteLength(text(e.getValue()));
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      errs.add(new FieldError(FieldError.Type.TOO_LONG, path.toString(), null, "may not be more than " + TOTAL_ANNOTATION_SIZE_LIMIT + " bytes"));
    }
    return errs;
  }

  /** ValidateOwnerReferences: apiVersion, kind, name and uid set; Events may not own; at most one controller. */
  public static List<FieldError> validateOwnerReferences(JsonNode refs, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(0);
    if (refs == null || !refs.isArray()) return errs;
    String firstController = "";
    for (JsonNode ref : refs) {
      String apiVersion = text(ref.get("apiVersion"));
      String kind = text(ref.get("kind"));
      String group = "";
      String version = "";
      int slash = apiVersion.indexOf('/');
      if (slash < 0) {
        version = apiVersion;
      } else if (apiVersion.indexOf('/', slash + 1) < 0) {
        group = apiVersion.substring(0, slash);
        version = apiVersion.substring(slash + 1);
      }
      if (version.isEmpty()) errs.add(FieldError.invalid(path.child("apiVersion").toString(), apiVersion, "version must not be empty"));
      if (kind.isEmpty()) errs.add(FieldError.invalid(path.child("kind").toString(), kind, "must not be empty"));
      String name = text(ref.get("name"));
      if (name.isEmpty()) errs.add(FieldError.invalid(path.child("name").toString(), name, "must not be empty"));
      String uid = text(ref.get("uid"));
      if (uid.isEmpty()) errs.add(FieldError.invalid(path.child("uid").toString(), uid, "must not be empty"));
      if (group.isEmpty() && version.equals("v1") && kind.equals("Event")) {
        errs.add(FieldError.invalid(path.toString(), ref, "/v1, Kind=Event is disallowed from being an owner"));
      }
      JsonNode controller = ref.get("controller");
      if (controller != null && controller.isBoolean() && controller.asBoolean()) {
        String current = kind + "/" + name;
        if (!firstController.isEmpty()) {
          errs.add(FieldError.invalid(path.toString(), refs, "Only one reference can have Controller set to true. Found \"true\" in references for "
              + firstController + " and " + current));
        } else {
          firstController = current;
        }
      }
    }
    return errs;
  }

  /** ValidateFinalizers: each a qualified name (errors at {@code path} itself); not both orphan and foregroundDeletion. */
  public static List<FieldError> validateFinalizers(JsonNode finalizers, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(0);
    List<String> list = strings(finalizers);
    for (String f : list) {
      for (String msg : NameValidation.isQualifiedName(f)) errs.add(FieldError.invalid(path.toString(), f, msg));
    }
    if (list.contains("orphan") && list.contains("foregroundDeletion")) {
      errs.add(FieldError.invalid(path.toString(), list, "finalizer orphan and foregroundDeletion cannot be both set"));
    }
    return errs;
  }

  /** The built-in kinds' extra rule: a finalizer without '/' must be a standard one ({@code path[i]}). */
  public static List<FieldError> validateKubeFinalizerNames(JsonNode finalizers, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(0);
    List<String> list = strings(finalizers);
    for (int i = 0; i < list.size(); i++) {
      String f = list.get(i);
      if (f.indexOf('/') < 0 && !STANDARD_FINALIZERS.contains(f)) {
        errs.add(FieldError.invalid(path.index(i).toString(), f, "name is neither a standard finalizer name nor is it fully qualified"));
      }
    }
    return errs;
  }

  /** ValidateManagedFields: operation Apply/Update, fieldsType FieldsV1, manager and subresource lengths. */
  public static List<FieldError> validateManagedFields(JsonNode entries, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(0);
    if (entries == null || !entries.isArray()) return errs;
    for (int i = 0; i < entries.size(); i++) {
      JsonNode e = entries.get(i);
      FieldPath ep = path.index(i);
      String op = text(e.get("operation"));
      if (!op.equals("Apply") && !op.equals("Update")) {
        errs.add(FieldError.invalid(ep.child("operation").toString(), op, "must be `Apply` or `Update`"));
      }
      String fieldsType = text(e.get("fieldsType"));
      if (!fieldsType.isEmpty() && !fieldsType.equals("FieldsV1")) {
        errs.add(FieldError.invalid(ep.child("fieldsType").toString(), fieldsType, "must be `FieldsV1`"));
      }
      errs.addAll(validateFieldManager(text(e.get("manager")), ep.child("manager")));
      if (NameValidation.byteLength(text(e.get("subresource"))) > MAX_SUBRESOURCE_NAME_LENGTH) {
        errs.add(new FieldError(FieldError.Type.TOO_LONG, ep.child("subresource").toString(), null,
            "may not be more than " + MAX_SUBRESOURCE_NAME_LENGTH + " bytes"));
      }
    }
    return errs;
  }

  /** ValidateFieldManager (also used for the {@code fieldManager} query parameter). */
  public static List<FieldError> validateFieldManager(String fieldManager, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(0);
    if (NameValidation.byteLength(fieldManager) > FIELD_MANAGER_MAX_LENGTH) {
      errs.add(new FieldError(FieldError.Type.TOO_LONG, path.toString(), null, "may not be more than " + FIELD_MANAGER_MAX_LENGTH + " bytes"));
    }
    int bytePos = 0;
    for (int i = 0; i < fieldManager.length(); ) {
      int cp = fieldManager.codePointAt(i);
      if (!isPrint(cp)) {
        errs.add(FieldError.invalid(path.toString(), fieldManager,
            String.format("invalid character U+%04X (at position %d)", cp, bytePos)));
      }
      bytePos += NameValidation.utf8Length(cp);
      i += Character.charCount(cp);
    }
    return errs;
  }

  /** Close to Go's unicode.IsPrint: graphic characters and the ASCII space. */
  private static boolean isPrint(int cp) {
    if (cp == ' ') return true;
    if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) return false;
    int t = Character.getType(cp);
    return t != Character.CONTROL && t != Character.FORMAT && t != Character.SURROGATE && t != Character.PRIVATE_USE
        && t != Character.UNASSIGNED;
  }

  /** ValidateImmutableField for plain values: {@code field is immutable} when they differ. */
  public static List<FieldError> validateImmutable(Object newValue, Object oldValue, FieldPath path) {
    if (Objects.equals(newValue, oldValue)) return List.of();
    return List.of(FieldError.invalid(path.toString(), newValue, FIELD_IMMUTABLE));
  }

  // ---- JSON helpers ----------------------------------------------------------------------------------------------

  private static JsonNode field(JsonNode n, String name) { return n == null || !n.isObject() ? null : n.get(name); }

  private static boolean isUnset(JsonNode n) { return n == null || n.isNull() || n.isMissingNode(); }

  private static String text(JsonNode n) {
    if (isUnset(n)) return "";
    return n.isValueNode() ? n.asString() : n.toString();
  }

  private static long longValue(JsonNode n) { return isUnset(n) ? 0 : n.asLong(); }

  /** metav1.Time equality: both unset, or the same second; unparsable values compare as text. */
  private static boolean sameTime(JsonNode a, JsonNode b) {
    String ta = text(a);
    String tb = text(b);
    if (ta.isEmpty() || tb.isEmpty()) return ta.isEmpty() && tb.isEmpty();
    try {
      Instant ia = Timestamps.truncateToTime(Timestamps.parseTime(ta));
      Instant ib = Timestamps.truncateToTime(Timestamps.parseTime(tb));
      return ia.equals(ib);
    } catch (RuntimeException e) {
      return ta.equals(tb);
    }
  }

  private static List<String> strings(JsonNode n) {
    if (n == null || !n.isArray()) return List.of();
    List<String> out = new ArrayList<>(n.size());
    for (JsonNode v : n) out.add(text(v));
    return out;
  }

  /** Go's %#v of a []string: {@code []string{"a", "b"}}. */
  private static String goStringSlice(Set<String> values) {
    StringBuilder sb = new StringBuilder("[]string{");
    boolean first = true;
    for (String v : new LinkedHashSet<>(values)) {
      if (!first) sb.append(", ");
      sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      first = false;
    }
    return sb.append('}').toString();
  }
}
