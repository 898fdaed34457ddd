package io.kava.apiserver.apply;

import io.kava.apiserver.registry.ResourceDefinition;

/**
 * Finds the {@link ApplyType} of a resource's objects. The built-in resolver knows the built-in kinds; a resolver
 * backed by CustomResourceDefinition schemas can be put in front of it with {@link #orElse}.
 */
@FunctionalInterface
public interface TypeResolver {
  /** The root type of objects of {@code def}, or null when this resolver does not know the kind. */
  ApplyType root(ResourceDefinition def);

  /** The built-in kinds, from their Go type markers (see {@link io.kava.apiserver.patch.PatchMeta}). */
  TypeResolver BUILT_IN = def -> PatchMetaTypes.forKind(def.apiVersion(), def.kind());

  /** This resolver, falling back to {@code next} for kinds it does not know. */
  default TypeResolver orElse(TypeResolver next) {
    return def -> {
      ApplyType t = root(def);
      return t != null ? t : next.root(def);
    };
  }

  /**
   * The type to use for {@code def}: the resolver's answer, else untyped ({@link ApplyType#DEDUCED}) with the
   * built-in ObjectMeta semantics at {@code metadata}.
   */
  static ApplyType resolve(TypeResolver resolver, ResourceDefinition def) {
    ApplyType t = resolver.root(def);
    return t == null ? UNTYPED : t;
  }

  /** Custom resources without a schema: every object granular, every list atomic, metadata as ObjectMeta. */
  ApplyType UNTYPED = OpenApiTypes.withObjectMeta(ApplyType.DEDUCED);
}
