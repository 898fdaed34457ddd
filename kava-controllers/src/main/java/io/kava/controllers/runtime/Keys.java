package io.kava.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Queue keys in client-go's form: "namespace/name" for namespaced objects, "name" for cluster-scoped ones. */
public final class Keys {
  private Keys() {}

  public static String of(HasMetadata o) { return of(o.getMetadata().getNamespace(), o.getMetadata().getName()); }

  public static String of(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** The namespace part of a key, "" for cluster-scoped keys. */
  public static String namespace(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  public static String name(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(slash + 1);
  }
}
