package io.kava.apiserver.openapi;

import io.kava.apiserver.patch.PatchMeta;
import io.swagger.annotations.ApiModel;
import io.swagger.annotations.ApiModelProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAPI v2 definitions of the built-in kinds, generated from the official Kubernetes Java client's models
 * ({@code io.kubernetes:client-java-api}): each model class carries upstream's field documentation
 * ({@code @ApiModelProperty}), JSON names ({@code @SerializedName}) and type documentation ({@code @ApiModel}).
 * Definitions are named as upstream names them; patch and list-type extensions come from {@link PatchMeta}.
 *
 * <p>The only reflection in the OpenAPI code. Definitions are generated on demand, per kind, and memoized: a
 * registry change reuses everything generated before. Not thread-safe; {@link OpenApiService} serializes use.
 *
 * <p>Every schema here is in v2 form ({@code #/definitions/} references); the v3 documents are derived from them.
 */
final class ModelSchemas {
  private static final String MODELS = "io.kubernetes.client.openapi.models.";
  static final String REF = "#/definitions/";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Field names whose time is a MicroTime (RFC 3339 with microseconds) rather than a Time, upstream. */
  private static final Set<String> MICRO_TIME_FIELDS = Set.of("eventTime", "acquireTime", "renewTime", "lastObservedTime", "pingTime");

  private final Map<Class<?>, String> names = new HashMap<>();
  private final Map<String, ObjectNode> definitions = new HashMap<>();
  private final Map<String, Set<String>> references = new HashMap<>();
  private final Map<String, String> kinds = new HashMap<>();
  private final Set<String> missing = new HashSet<>();

  ModelSchemas() {
    special(TypeNames.QUANTITY, "Quantity is a fixed-point representation of a number, written as a string such as \"100m\", "
        + "\"1.5Gi\" or \"2e3\". It is used for resource amounts (CPU, memory, storage).", "string", null);
    special(TypeNames.INT_OR_STRING, "IntOrString holds either an int32 or a string; in JSON and YAML it is written as "
        + "the inner value, so a field can accept a name or a number (for example a port).", "string", "int-or-string");
    special(TypeNames.TIME, "Time is a timestamp written in RFC 3339 form with a precision of seconds.", "string", "date-time");
    special(TypeNames.MICRO_TIME, "MicroTime is a timestamp written in RFC 3339 form with a precision of microseconds.",
        "string", "date-time");
    special(TypeNames.FIELDS_V1, "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format. "
        + "Each key is either a '.' (the field itself, always mapped to an empty set), or a string naming a sub-field "
        + "or item: 'f:<name>' (a field of a struct), 'v:<value>' (a set item, by its JSON value), 'i:<index>' (an item "
        + "by position) or 'k:<keys>' (a list item, by the JSON map of its key fields).", "object", null);
    special(TypeNames.RAW_EXTENSION, "RawExtension holds an embedded object whose schema is not known here: any JSON "
        + "object, usually with its own apiVersion and kind.", "object", null);
    special(TypeNames.PATCH, "Patch is the body of a PATCH request: a JSON patch, a JSON merge patch, a strategic merge "
        + "patch or an apply configuration, as the Content-Type says.", "object", null);
    String ext = TypeNames.APIEXTENSIONS + "v1.";
    special(ext + "JSON", "JSON represents any valid JSON value: a boolean, a number, a string, an array, an object or null.", null, null);
    special(ext + "JSONSchemaPropsOrBool", "JSONSchemaPropsOrBool is a schema (JSONSchemaProps) or a boolean; "
        + "the boolean form allows (true) or forbids (false) any value.", null, null);
    special(ext + "JSONSchemaPropsOrArray", "JSONSchemaPropsOrArray is a schema (JSONSchemaProps) or an array of schemas.", null, null);
    special(ext + "JSONSchemaPropsOrStringArray", "JSONSchemaPropsOrStringArray is a schema (JSONSchemaProps) or an "
        + "array of strings.", null, null);
    special(ext + "CustomResourceSubresourceStatus", "CustomResourceSubresourceStatus enables the status subresource of "
        + "a custom resource: the object's .status is served at /status and ignored by writes to the main resource, "
        + "whose .spec writes increment metadata.generation.", "object", null);
    special("io.k8s.api.apiserverinternal.v1alpha1.StorageVersionSpec", "StorageVersionSpec is an empty spec.", "object", null);
  }

  private void special(String name, String description, String type, String format) {
    ObjectNode n = F.objectNode();
    n.put("description", description);
    if (format != null) n.put("format", format);
    if (type != null) n.put("type", type);
    definitions.put(name, n);
    references.put(name, Set.of());
  }

  /** The v2 schema of a definition, or null. Shared: callers must not modify it. */
  ObjectNode definition(String name) { return definitions.get(name); }

  /** True for definitions with a string form that v3 describes with oneOf (Quantity, IntOrString). */
  static boolean isQuantityOrIntOrString(String name) {
    return name.equals(TypeNames.QUANTITY) || name.equals(TypeNames.INT_OR_STRING);
  }

  /**
   * The definition of a built-in kind's model (or its list's), generated with everything it references; null when the
   * kind is not built in ({@link PatchMeta#supports}: a custom resource) or the Java client has no model for it.
   */
  String kind(String group, String version, String kind) {
    String key = group + "/" + version + "/" + kind;
    if (kinds.containsKey(key)) return kinds.get(key);
    String apiVersion = group.isEmpty() ? version : group + "/" + version;
    String item = kind.endsWith("List") ? kind.substring(0, kind.length() - 4) : kind;
    if (!PatchMeta.supports(apiVersion, kind) && !PatchMeta.supports(apiVersion, item)) {
      // not a built-in kind (a custom resource may share a name with a model: it must not take the model's place)
      kinds.put(key, null);
      return null;
    }
    String pkg = TypeNames.packageOfGroup(group);
    String v = TypeNames.capitalize(version);
    Class<?> c = modelClass(TypeNames.capitalize(pkg) + v + kind);
    if (c == null) c = modelClass(v + kind);
    String name = null;
    if (c != null) {
      // the model must be the kind of this group: V1Event is not events.k8s.io's Event
      String expected = TypeNames.definitionPrefix(pkg, version) + kind;
      name = define(c, TypeNames.definitionPrefix(pkg, version), expected);
      if (!name.equals(expected)) name = null;
    }
    kinds.put(key, name);
    return name;
  }

  /** Defines a model by its Java client name ({@code V1ObjectMeta}); returns its definition name, or null. */
  String model(String simpleName) {
    Class<?> c = modelClass(simpleName);
    return c == null ? null : define(c, "io.k8s.api.core.v1.", null);
  }

  private Class<?> modelClass(String simpleName) {
    if (missing.contains(simpleName)) return null;
    try {
      return Class.forName(MODELS + simpleName, false, ModelSchemas.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      missing.add(simpleName);
      return null;
    }
  }

  /** The definitions {@code roots} reference, directly or not, including the roots. */
  Set<String> closure(Collection<String> roots) {
    Set<String> out = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(roots);
    while (!todo.isEmpty()) {
      String n = todo.remove(todo.size() - 1);
      if (!out.add(n)) continue;
      todo.addAll(references.getOrDefault(n, Set.of()));
    }
    return out;
  }

  int size() { return definitions.size(); }

  // ------------------------------------------------------------------ the walk

  /**
   * Defines a model class (and, recursively, every model it references) and returns its definition name.
   *
   * @param parentPrefix definition prefix of the referencing type (the fallback package for unprefixed models)
   * @param hint the name the patch metadata table gives the type at this position, or null
   */
  private String define(Class<?> c, String parentPrefix, String hint) {
    String known = names.get(c);
    if (known != null) return known;
    String name = nameOf(c, parentPrefix, hint);
    names.put(c, name);
    if (definitions.containsKey(name)) return name; // a special definition, or a clash: first wins

    ObjectNode schema = F.objectNode();
    definitions.put(name, schema);
    Set<String> refs = new LinkedHashSet<>();
    references.put(name, refs);
    String prefix = name.substring(0, name.lastIndexOf('.') + 1);

    ApiModel model = c.getAnnotation(ApiModel.class);
    if (model != null && !model.description().isEmpty()) schema.put("description", model.description());

    Map<String, Method> getters = new HashMap<>();
    for (Method m : c.getDeclaredMethods()) {
      if (m.getParameterCount() == 0 && m.isAnnotationPresent(ApiModelProperty.class)) {
        getters.put(m.getName().toLowerCase(Locale.ROOT), m);
      }
    }
    PatchMeta.Node typeMeta = PatchMeta.forType(TypeNames.goName(name));

    TreeMap<String, ObjectNode> props = new TreeMap<>();
    List<String> required = new ArrayList<>();
    for (Field f : c.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) continue;
      com.google.gson.annotations.SerializedName sn = f.getAnnotation(com.google.gson.annotations.SerializedName.class);
      if (sn == null) continue;
      String json = sn.value();
      String fieldName = f.getName().startsWith("_") ? f.getName().substring(1) : f.getName();
      Method getter = getters.get(("get" + fieldName).toLowerCase(Locale.ROOT));
      if (getter == null) getter = getters.get(("is" + fieldName).toLowerCase(Locale.ROOT));
      ApiModelProperty doc = getter == null ? null : getter.getAnnotation(ApiModelProperty.class);

      PatchMeta.Node fieldMeta = typeMeta == null ? PatchMeta.UNKNOWN : typeMeta.child(json);
      ObjectNode p = schemaOf(f.getGenericType(), c, json, prefix, elementHint(fieldMeta), refs);
      if (doc != null && !doc.value().isEmpty()) {
        // description first, as upstream (keys are written in the order they are put)
        ObjectNode withDoc = F.objectNode();
        JsonNode ref = p.remove("$ref");
        if (ref != null) withDoc.set("$ref", ref);
        withDoc.put("description", doc.value());
        withDoc.setAll(p);
        p = withDoc;
      }
      extensions(p, fieldMeta);
      props.put(json, p);
      if (doc != null && doc.required()) required.add(json);
    }
    if (!props.isEmpty()) {
      ObjectNode properties = schema.putObject("properties");
      props.forEach(properties::set);
    }
    if (!required.isEmpty()) {
      ArrayNode r = schema.putArray("required");
      required.forEach(r::add);
    }
    schema.put("type", "object");
    if (typeMeta != null && typeMeta.atomic()) schema.put("x-kubernetes-map-type", "atomic");
    return name;
  }

  private String nameOf(Class<?> c, String parentPrefix, String hint) {
    TypeNames.ModelName mn = TypeNames.parseModel(c.getSimpleName());
    if (mn == null) return parentPrefix + c.getSimpleName();
    if (hint != null && hint.endsWith("." + mn.name()) && hint.contains("." + mn.version() + ".")) return hint;
    if (mn.pkg() != null) return TypeNames.definitionPrefix(mn.pkg(), mn.version()) + mn.name();
    // an unprefixed model lives in the package of the type that references it (new types of a package are
    // referenced from that package; cross-package references are in the patch metadata table)
    String base = parentPrefix.substring(0, parentPrefix.length() - 1);
    base = base.substring(0, base.lastIndexOf('.') + 1);
    return base + mn.version() + "." + mn.name();
  }

  /** The struct a patch metadata position holds ({@code []core/v1.Container} → its definition), or null. */
  private static String elementHint(PatchMeta.Node n) {
    if (n == null || n.shape() == PatchMeta.Shape.UNKNOWN) return null;
    String t = n.typeName();
    while (t.startsWith("[]") || t.startsWith("{}")) t = t.substring(2);
    return TypeNames.fromGoName(t);
  }

  private ObjectNode schemaOf(Type t, Class<?> owner, String json, String prefix, String hint, Set<String> refs) {
    ObjectNode s = F.objectNode();
    if (t instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
      Type[] args = pt.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw)) {
        s.set("items", schemaOf(args[0], owner, json, prefix, hint, refs));
        s.put("type", "array");
        return s;
      }
      if (Map.class.isAssignableFrom(raw)) {
        s.set("additionalProperties", schemaOf(args[1], owner, json, prefix, hint, refs));
        s.put("type", "object");
        return s;
      }
    }
    if (!(t instanceof Class<?> c)) {
      s.put("type", "object");
      return s;
    }
    if (c == String.class) return type(s, "string", null);
    if (c == Integer.class || c == int.class || c == Short.class) return type(s, "integer", "int32");
    if (c == Long.class || c == long.class) return type(s, "integer", "int64");
    if (c == Boolean.class || c == boolean.class) return type(s, "boolean", null);
    if (c == Double.class || c == double.class || c == java.math.BigDecimal.class) return type(s, "number", "double");
    if (c == Float.class || c == float.class) return type(s, "number", "float");
    if (c == byte[].class) return type(s, "string", "byte");
    if (c == OffsetDateTime.class) return ref(s, MICRO_TIME_FIELDS.contains(json) ? TypeNames.MICRO_TIME : TypeNames.TIME, refs);
    if (c.getName().equals("io.kubernetes.client.custom.Quantity")) return ref(s, TypeNames.QUANTITY, refs);
    if (c.getName().equals("io.kubernetes.client.custom.IntOrString")) return ref(s, TypeNames.INT_OR_STRING, refs);
    if (c == Object.class) return ref(s, untyped(owner, json), refs);
    if (c.getName().startsWith(MODELS)) return ref(s, define(c, prefix, hint), refs);
    s.put("type", "object");
    return s;
  }

  /** What a field the Java client types as Object is upstream. */
  private static String untyped(Class<?> owner, String json) {
    String ext = TypeNames.APIEXTENSIONS + "v1.";
    String o = owner.getSimpleName();
    if (json.equals("fieldsV1")) return TypeNames.FIELDS_V1;
    if (o.equals("V1JSONSchemaProps")) {
      return switch (json) {
        case "additionalItems", "additionalProperties" -> ext + "JSONSchemaPropsOrBool";
        case "items" -> ext + "JSONSchemaPropsOrArray";
        case "dependencies" -> ext + "JSONSchemaPropsOrStringArray";
        default -> ext + "JSON";
      };
    }
    if (o.equals("V1CustomResourceSubresources") && json.equals("status")) return ext + "CustomResourceSubresourceStatus";
    if (o.equals("V1alpha1StorageVersion") && json.equals("spec")) return "io.k8s.api.apiserverinternal.v1alpha1.StorageVersionSpec";
    return TypeNames.RAW_EXTENSION;
  }

  private static ObjectNode type(ObjectNode s, String type, String format) {
    if (format != null) s.put("format", format);
    s.put("type", type);
    return s;
  }

  private static ObjectNode ref(ObjectNode s, String definition, Set<String> refs) {
    refs.add(definition);
    s.put("$ref", REF + definition);
    return s;
  }

  /** Adds upstream's merge extensions of a field: patch strategy and merge key, list type and keys, map type. */
  private static void extensions(ObjectNode p, PatchMeta.Node f) {
    if (f == null || f.shape() == PatchMeta.Shape.UNKNOWN) return;
    Map<String, String> tags = tags(f);
    String lt = tags.get("lt");
    if (lt != null) {
      if (lt.equals("map")) {
        ArrayNode keys = p.putArray("x-kubernetes-list-map-keys");
        String lk = tags.get("lk");
        for (String k : lk != null ? List.of(lk.split(",")) : f.listMapKeys()) keys.add(k);
      }
      p.put("x-kubernetes-list-type", lt);
    }
    String mt = tags.containsKey("mt") ? tags.get("mt") : tags.get("st");
    if (mt != null) p.put("x-kubernetes-map-type", mt);
    if (!f.mergeKey().isEmpty()) p.put("x-kubernetes-patch-merge-key", f.mergeKey());
    if (!f.patchStrategies().isEmpty()) p.put("x-kubernetes-patch-strategy", String.join(",", f.patchStrategies()));
  }

  /** The markers of a field position, as {@link PatchMeta.Node#toString()} prints them ({@code name type k=v ...}). */
  private static Map<String, String> tags(PatchMeta.Node f) {
    Map<String, String> tags = new HashMap<>();
    String[] parts = f.toString().split(" ");
    for (int i = 2; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0) tags.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
    }
    return tags;
  }
}
