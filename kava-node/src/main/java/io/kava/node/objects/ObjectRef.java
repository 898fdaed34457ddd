package io.kava.node.objects;

/** A namespaced API object by name (a ConfigMap or a Secret a pod refers to). */
public record ObjectRef(String namespace, String name) {
  @Override
  public String toString() { return namespace + "/" + name; }
}
