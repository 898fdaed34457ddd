package io.kava.controllers.runtime;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Set;

/**
 * One resource as the API's discovery documents describe it.
 *
 * @param group "" for the core group
 * @param verbs the verbs discovery lists ("list", "watch", "delete", "deletecollection" …)
 */
public record ApiResource(String group, String version, String plural, String kind, boolean namespaced, Set<String> verbs) {
  public ApiResource {
    verbs = Set.copyOf(verbs);
  }

  /** "v1" or "group/version", as in apiVersion fields. */
  public String apiVersion() { return group.isEmpty() ? version : group + "/" + version; }

  /** "plural.group" (or "plural." for the core group), the form upstream's namespace conditions print. */
  public String groupResource() { return plural + "." + group; }

  public boolean supports(String... wanted) {
    for (String v : wanted) if (!verbs.contains(v)) return false;
    return true;
  }

  /** The URL path of the collection ({@code name} null) or of one object; {@code namespace} is ignored when cluster-scoped. */
  public String path(String namespace, String name) {
    StringBuilder p = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
    if (namespaced && namespace != null && !namespace.isEmpty()) p.append("/namespaces/").append(namespace);
    p.append('/').append(plural);
    if (name != null) p.append('/').append(name);
    return p.toString();
  }

  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withPlural(plural).withKind(kind).withNamespaced(namespaced).build();
  }

  @Override
  public String toString() { return group.isEmpty() ? plural : plural + "." + group; }
}
