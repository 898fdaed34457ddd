package io.kava.apiserver.registry;

import java.util.List;
import java.util.Set;

/**
 * Describes one served resource: where it lives in the API (group, version, plural), how it is named, and the
 * strategy that holds every kind-specific rule. Adding a kind means adding one of these, never HTTP code.
 *
 * @param subresources served subresources, e.g. "status", "scale", "binding"
 */
public record ResourceDefinition(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    Set<String> subresources,
    ResourceStrategy strategy) {

  public String apiVersion() { return group.isEmpty() ? version : group + "/" + version; }

  public String groupVersion() { return apiVersion(); }

  public String listKind() { return kind + "List"; }

  /** Group-qualified resource as upstream prints it in errors: {@code deployments.apps}, {@code pods}. */
  public String qualifiedResource() { return group.isEmpty() ? plural : plural + "." + group; }

  /** Storage key prefix of every object of this resource; the store's watch is demultiplexed by it. */
  public String keyPrefix() {
    StorageConversion shared = strategy.conversion();
    return shared != null ? shared.storagePrefix() : "/" + (group.isEmpty() ? "core" : group) + "/" + plural + "/";
  }

  /** Prefix of the objects in one namespace (namespaced resources only). */
  public String keyPrefix(String namespace) { return keyPrefix() + namespace + "/"; }

  public String key(String namespace, String name) {
    return namespaced ? keyPrefix() + namespace + "/" + name : keyPrefix() + name;
  }

  public boolean hasSubresource(String name) { return subresources.contains(name); }
}
