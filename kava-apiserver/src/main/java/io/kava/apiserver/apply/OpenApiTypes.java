package io.kava.apiserver.apply;

import io.kava.apiserver.patch.PatchMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * {@link ApplyType}s read from an OpenAPI v3 schema ({@code JSONSchemaProps}, as in a CustomResourceDefinition's
 * {@code openAPIV3Schema}): {@code x-kubernetes-list-type} (atomic when absent, as upstream treats CRD lists),
 * {@code x-kubernetes-list-map-keys} (with the key fields' {@code default}s), {@code x-kubernetes-map-type},
 * {@code properties}, {@code additionalProperties} and {@code items}. Fields the schema does not describe
 * ({@code x-kubernetes-preserve-unknown-fields}) are {@link ApplyType#DEDUCED}.
 *
 * <p>A CRD's resolver would be, for example:
 * <pre>{@code
 * Map<String, ApplyType> byKind = ...; // "group/version Kind" -> OpenApiTypes.customResource(openAPIV3Schema), kept by the CRD controller
 * store.fieldManager(store.fieldManager().withTypes(
 *     ((TypeResolver) def -> byKind.get(def.apiVersion() + " " + def.kind())).orElse(TypeResolver.BUILT_IN)));
 * }</pre>
 */
public final class OpenApiTypes implements ApplyType {
  private static final ApplyType OBJECT_META = PatchMetaTypes.forType("meta/v1.ObjectMeta");

  private final JsonNode schema;
  private final ListType listType;
  private final List<String> keys;
  private final ConcurrentHashMap<String, ApplyType> fields = new ConcurrentHashMap<>();
  private volatile ApplyType element;

  private OpenApiTypes(JsonNode schema) {
    this.schema = schema;
    List<String> k = new ArrayList<>();
    for (JsonNode n : schema.path("x-kubernetes-list-map-keys")) k.add(n.asString(""));
    this.keys = List.copyOf(k);
    this.listType = switch (schema.path("x-kubernetes-list-type").asString("")) {
      case "set" -> ListType.SET;
      case "map" -> keys.isEmpty() ? ListType.ATOMIC : ListType.MAP;
      default -> ListType.ATOMIC;
    };
  }

  /** The type a schema describes; a missing or empty schema is {@link ApplyType#DEDUCED}. */
  public static ApplyType of(JsonNode schema) {
    if (schema == null || !schema.isObject() || schema.isEmpty()) return DEDUCED;
    return new OpenApiTypes(schema);
  }

  /**
   * The root type of a custom resource whose version has {@code openAPIV3Schema} (may be null): the schema's type,
   * with upstream's ObjectMeta semantics for {@code metadata} (finalizers a set, ownerReferences keyed by uid).
   */
  public static ApplyType customResource(JsonNode openAPIV3Schema) { return withObjectMeta(of(openAPIV3Schema)); }

  /** {@code root} with the built-in ObjectMeta type at {@code metadata}. */
  static ApplyType withObjectMeta(ApplyType root) {
    return new ApplyType() {
      @Override public boolean atomicObject() { return false; }
      @Override public ListType listType() { return ListType.ATOMIC; }
      @Override public List<String> listMapKeys() { return List.of(); }
      @Override public ApplyType field(String name) { return name.equals("metadata") ? OBJECT_META : root.field(name); }
      @Override public ApplyType element() { return root.element(); }
      @Override public String toString() { return "custom resource " + root; }
    };
  }

  @Override public boolean atomicObject() { return "atomic".equals(schema.path("x-kubernetes-map-type").asString("")); }

  @Override public ListType listType() { return listType; }

  @Override public List<String> listMapKeys() { return listType == ListType.MAP ? keys : List.of(); }

  @Override
  public JsonNode keyDefault(String key) {
    JsonNode d = schema.path("properties").path(key).get("default");
    return d == null || d.isNull() ? null : d;
  }

  @Override
  public ApplyType field(String name) {
    ApplyType t = fields.get(name);
    if (t != null) return t;
    JsonNode p = schema.path("properties").get(name);
    if (p == null) {
      JsonNode ap = schema.get("additionalProperties");
      p = ap != null && ap.isObject() ? ap : null;
    }
    t = of(p);
    ApplyType prev = fields.putIfAbsent(name, t);
    return prev != null ? prev : t;
  }

  @Override
  public ApplyType element() {
    ApplyType e = element;
    if (e == null) element = e = of(schema.get("items"));
    return e;
  }

  @Override public String toString() { return "openapi " + schema.path("type").asString("?"); }
}
